package compute

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute/vmshell"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

// Run Command (VirtualMachines_RunCommand): POST .../runCommand with a
// RunCommandInput, answered 202 with a Location to poll; once done the
// Location returns the RunCommandResult, the script's output in
// value[].message as the VM agent reports it (Linux: one status whose
// message holds [stdout] and [stderr]; Windows: a StdOut and a StdErr
// status), each stream cut to its last 4096 bytes, as Azure keeps them.
//
// The script runs when the command is accepted, as the VM (package
// vmshell, in the world runcommand_world.go builds): its writes land on
// the VM's files (files.go) in the same transaction that starts the
// operation, and the operation lasts the agent's overhead plus the VM time
// the script took (a timed-out probe costs its timeout). One Run Command
// at a time per VM: a second one while the first runs gets 409, as in
// Azure. The VM must be running.

const (
	vmRunCommandPath = vmPath + "/runCommand"
	runCommandKind   = "Microsoft.Compute/virtualMachines/runCommand"

	// runCommandOverhead is the agent's part of a run: Azure's Run
	// Command takes tens of seconds even for an empty script.
	runCommandOverhead = 20 * time.Second
	// maxScriptBytes is Azure's limit on a script.
	maxScriptBytes = 256 << 10
	// maxOutputBytes is what Azure keeps of each output stream.
	maxOutputBytes = 4096

	commandLinux   = "RunShellScript"
	commandWindows = "RunPowerShellScript"
)

// builtinCommands are Azure's other command ids, by OS: known, but not
// interpreted by the emulator.
var builtinCommands = map[string]string{
	"ifconfig": "Linux", "EnableRemotePS": "Windows", "EnableAdminAccount": "Windows", "IPConfig": "Windows",
	"RDPSettings": "Windows", "ResetRDPCert": "Windows", "SetRDPPort": "Windows",
}

type runCommandInput struct {
	CommandID  *string           `json:"commandId"`
	Script     []string          `json:"script"`
	Parameters []json.RawMessage `json:"parameters"`
}

// runCommandRecord is what the operation keeps for its result.
type runCommandRecord struct {
	OS     string    `json:"os"`
	Stdout string    `json:"stdout"`
	Stderr string    `json:"stderr"`
	Exit   int       `json:"exit"`
	At     time.Time `json:"at"`
}

func (v *virtualMachines) runCommandKind() lro.Kind {
	return lro.Kind{
		Name: runCommandKind, Namespace: "Microsoft.Compute", Duration: runCommandOverhead,
		Complete: func(*store.Tx, *lro.Operation) error { return nil },
		Result: func(_ store.Reader, op *lro.Operation) (arm.Response, error) {
			var rec runCommandRecord
			if err := json.Unmarshal(op.Input, &rec); err != nil {
				return arm.Response{}, err
			}
			return arm.JSON(http.StatusOK, runCommandResult(rec)), nil
		},
	}
}

func (v *virtualMachines) runCommand(req *service.Request) (arm.Response, error) {
	var in runCommandInput
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	vm, err := v.findVM(v.s.Store, req)
	if err != nil {
		return arm.Response{}, err
	}
	st, ok, err := service.GetJSON[VMState](v.s.Store, StateKey(vm.ID))
	if err != nil {
		return arm.Response{}, err
	}
	if !ok {
		return arm.Response{}, arm.ResourceNotFound(VMType, vm.Name, req.Param("resourceGroupName"))
	}
	os := osOf(vm)
	if err := checkRunCommand(in, vm, os); err != nil {
		return arm.Response{}, err
	}
	if st.PowerState != PowerRunning {
		return arm.Response{}, &arm.Error{Status: http.StatusConflict, Code: "OperationNotAllowed",
			Message: fmt.Sprintf("Operation 'RunCommand' is not allowed on VM '%s' since the VM is not running (power state '%s'). Start the VM, then run the command.", vm.Name, st.PowerState)}
	}
	if cur, busy, err := v.s.Ops.InFlight(v.s.Store, vm.ID); err != nil {
		return arm.Response{}, err
	} else if busy {
		return arm.Response{}, runCommandConflict(vm.Name, cur.ID)
	}

	// Run the script against the world as it is now, outside any
	// transaction: its HTTP requests reach the emulator's own sites.
	world := v.s.worldOf(v.s.Store, vm, st)
	res := vmshell.Run(os, in.Script, world)

	// sitesMu orders the page's update with ReconcileSites', as a canary
	// write does (canary.go).
	v.s.sitesMu.Lock()
	defer v.s.sitesMu.Unlock()
	var (
		resp  arm.Response
		shown *VMState
	)
	err = v.s.Store.Update(func(tx *store.Tx) error {
		cur, ok, err := service.GetJSON[VMState](tx, StateKey(vm.ID))
		if err != nil {
			return err
		}
		if !ok {
			return arm.ResourceNotFound(VMType, vm.Name, req.Param("resourceGroupName"))
		}
		op, err := v.s.Ops.Start(tx, lro.Spec{Kind: runCommandKind, ResourceID: vm.ID, Location: vm.Location, Method: http.MethodPost,
			APIVersion: req.APIVersion, Duration: runCommandOverhead + res.Elapsed,
			Input: runCommandRecord{OS: os.String(), Stdout: res.Stdout, Stderr: res.Stderr, Exit: res.Exit, At: world.now}})
		if err != nil {
			if hasCode(err, "AnotherOperationInProgress") {
				return runCommandConflict(vm.Name, "")
			}
			return err
		}
		if len(world.disk.writes) > 0 {
			version := cur.Data.Version
			if at := world.disk.lastWrite(); !at.IsZero() && cur.CurrentRole() == RolePrimary {
				// A primary's file write is an application write: the next
				// data version, written when its last write was, which
				// replication carries.
				version++
				cur.Record(web.DataVersion{Version: version, WrittenAt: at, Label: "run-command"})
			}
			cur.Files = cur.Files.apply(world.disk.writes, version)
			if err := service.PutJSON(tx, StateKey(vm.ID), cur); err != nil {
				return err
			}
			shown = cur
		}
		resp = v.s.Ops.Accepted(req.Base, op)
		return nil
	})
	if err != nil {
		return arm.Response{}, err
	}
	if shown != nil && v.s.fleet != nil && shown.Address != "" {
		if _, err := v.s.fleet.Serve(siteOf(vm, shown), shown.Address); err != nil {
			v.s.Log.Warn("showing a Run Command's write", "vm", vm.ID, "err", err)
		}
	}
	v.s.Log.Debug("run command", "vm", vm.ID, "os", os, "lines", len(in.Script), "exit", res.Exit, "vmTime", res.Elapsed, "why", res.Notes)
	return resp, nil
}

func hasCode(err error, code string) bool {
	e := arm.AsError(err)
	return e != nil && e.Code == code
}

func runCommandConflict(vm, opID string) *arm.Error {
	msg := fmt.Sprintf("Run command extension execution is in progress on VM '%s'. Please wait for completion before invoking a run command.", vm)
	if opID != "" {
		msg += " Operation: " + opID + "."
	}
	return &arm.Error{Status: http.StatusConflict, Code: "Conflict", Message: msg}
}

// checkRunCommand refuses what Azure refuses: no commandId, a command id
// Azure does not have or not for the VM's OS, a script too large. The
// emulator also refuses what it does not interpret (the other built-in
// commands, parameters), saying so.
func checkRunCommand(in runCommandInput, vm *VM, os vmshell.OS) error {
	if in.CommandID == nil || *in.CommandID == "" {
		return &arm.Error{Status: http.StatusBadRequest, Code: "InvalidParameter", Target: "commandId",
			Message: "Required parameter 'commandId' is missing (null)."}
	}
	id := *in.CommandID
	want := commandLinux
	if os == vmshell.Windows {
		want = commandWindows
	}
	switch {
	case strings.EqualFold(id, want):
	case strings.EqualFold(id, commandLinux), strings.EqualFold(id, commandWindows), builtinCommands[id] != "" && builtinCommands[id] != os.String():
		return &arm.Error{Status: http.StatusBadRequest, Code: "InvalidParameter", Target: "commandId",
			Message: fmt.Sprintf("The command '%s' is not supported for OS type '%s' of VM '%s'; use '%s'.", id, os, vm.Name, want)}
	case builtinCommands[id] != "":
		return &arm.Error{Status: http.StatusBadRequest, Code: "InvalidParameter", Target: "commandId",
			Message: fmt.Sprintf("The emulator runs only '%s' scripts; the built-in command '%s' is not emulated.", want, id)}
	default:
		return &arm.Error{Status: http.StatusNotFound, Code: "NotFound", Target: "commandId",
			Message: fmt.Sprintf("The entity was not found. Run command '%s' does not exist for OS type '%s'.", id, os)}
	}
	if len(in.Parameters) > 0 {
		return &arm.Error{Status: http.StatusBadRequest, Code: "InvalidParameter", Target: "parameters",
			Message: "The emulator does not pass script parameters: write the values into the script."}
	}
	n := 0
	for _, l := range in.Script {
		n += len(l) + 1
	}
	if n > maxScriptBytes {
		return &arm.Error{Status: http.StatusBadRequest, Code: "InvalidParameter", Target: "script",
			Message: fmt.Sprintf("The script is %d bytes; Run Command takes at most %d.", n, maxScriptBytes)}
	}
	return nil
}

// instanceViewStatus is the InstanceViewStatus of a run's result.
type runStatus struct {
	Code          string `json:"code"`
	Level         string `json:"level"`
	DisplayStatus string `json:"displayStatus"`
	Message       string `json:"message"`
}

// runCommandResult is the agent's report: Linux's extension puts both
// streams in one message, Windows' one status per stream.
func runCommandResult(rec runCommandRecord) map[string][]runStatus {
	stdout, stderr := lastBytes(rec.Stdout), lastBytes(rec.Stderr)
	if rec.OS == vmshell.Windows.String() {
		return map[string][]runStatus{"value": {
			{Code: "ComponentStatus/StdOut/succeeded", Level: "Info", DisplayStatus: "Provisioning succeeded", Message: stdout},
			{Code: "ComponentStatus/StdErr/succeeded", Level: "Info", DisplayStatus: "Provisioning succeeded", Message: stderr},
		}}
	}
	st := runStatus{Code: "ProvisioningState/succeeded", Level: "Info", DisplayStatus: "Provisioning succeeded",
		Message: "Enable succeeded: \n[stdout]\n" + stdout + "\n[stderr]\n" + stderr + "\n"}
	if rec.Exit != 0 {
		st = runStatus{Code: "ProvisioningState/failed/" + fmt.Sprint(rec.Exit), Level: "Error", DisplayStatus: "Provisioning failed",
			Message: fmt.Sprintf("Enable failed: failed to execute command: command terminated with exit status=%d\n[stdout]\n%s\n[stderr]\n%s\n", rec.Exit, stdout, stderr)}
	}
	return map[string][]runStatus{"value": {st}}
}

// lastBytes is what Azure keeps of a stream.
func lastBytes(s string) string {
	if len(s) <= maxOutputBytes {
		return s
	}
	return s[len(s)-maxOutputBytes:]
}
