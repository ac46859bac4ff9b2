package insite

import (
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
)

func status(code, msg string) *armcompute.InstanceViewStatus {
	lvl := armcompute.StatusLevelTypesInfo
	return &armcompute.InstanceViewStatus{Code: ptr(code), Level: &lvl, DisplayStatus: ptr("Provisioning succeeded"), Message: ptr(msg)}
}

func TestParseResultLinux(t *testing.T) {
	r := armcompute.RunCommandResult{Value: []*armcompute.InstanceViewStatus{
		status("ProvisioningState/succeeded", "Enable succeeded: \n[stdout]\n##azuredr check 0 begin\n##azuredr check 0 exit 0\n\n[stderr]\nbash: line 3: warning\n"),
	}}
	out, err := ParseResult(r)
	if err != nil || out.Stdout != "##azuredr check 0 begin\n##azuredr check 0 exit 0\n" || out.Stderr != "bash: line 3: warning" {
		t.Errorf("ParseResult = %q, %q, %v", out.Stdout, out.Stderr, err)
	}
}

func TestParseResultWindows(t *testing.T) {
	r := armcompute.RunCommandResult{Value: []*armcompute.InstanceViewStatus{
		status("ComponentStatus/StdOut/succeeded", "##azuredr check 0 begin\r\nTrue\r\n##azuredr check 0 exit 0"),
		status("ComponentStatus/StdErr/succeeded", ""),
	}}
	out, err := ParseResult(r)
	if err != nil || !strings.Contains(out.Stdout, "True") || out.Stderr != "" {
		t.Errorf("ParseResult = %q, %q, %v", out.Stdout, out.Stderr, err)
	}
}

// A Linux script that exits non-zero: Azure answers Enable failed, still
// with both streams.
func TestParseResultEnableFailed(t *testing.T) {
	r := armcompute.RunCommandResult{Value: []*armcompute.InstanceViewStatus{
		status("ProvisioningState/succeeded", "Enable failed: failed to execute command: command terminated with exit status=2\n[stdout]\npartial\n\n[stderr]\n/var/lib/waagent/run-command/download/0/script.sh: line 2: syntax error\n"),
	}}
	out, err := ParseResult(r)
	if err == nil || !strings.Contains(err.Error(), "Enable failed: failed to execute command: command terminated with exit status=2") || !strings.Contains(err.Error(), "syntax error") {
		t.Errorf("error = %v", err)
	}
	if out.Stdout != "partial\n" {
		t.Errorf("stdout = %q", out.Stdout)
	}
	if _, err := ParseResult(armcompute.RunCommandResult{}); err == nil {
		t.Error("an empty result parsed")
	}
}

func TestOSOf(t *testing.T) {
	win := armcompute.OperatingSystemTypesWindows
	vm := &armcompute.VirtualMachine{Properties: &armcompute.VirtualMachineProperties{StorageProfile: &armcompute.StorageProfile{OSDisk: &armcompute.OSDisk{OSType: &win}}}}
	if o, err := osOf(vm); err != nil || o != Windows || o.CommandID() != "RunPowerShellScript" {
		t.Errorf("osOf = %v, %v", o, err)
	}
	if _, err := osOf(&armcompute.VirtualMachine{}); err == nil {
		t.Error("a VM without osType has an OS")
	}
	if Linux.CommandID() != "RunShellScript" {
		t.Error("Linux command id")
	}
}
