package insite

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// Executor runs scripts on VMs through VM Run Command. It reads each VM's
// OS once, and runs one command at a time per VM: Azure refuses a second
// Run Command while one runs (409), and a probe VM serves many items.
type Executor struct {
	c *azure.Client

	mu   sync.Mutex
	os   map[string]OS
	busy map[string]*sync.Mutex
}

// NewExecutor runs scripts with c.
func NewExecutor(c *azure.Client) *Executor {
	return &Executor{c: c, os: map[string]OS{}, busy: map[string]*sync.Mutex{}}
}

// Script is a script for the VM's OS.
type Script func(OS) []string

// Run runs the script built for the VM's OS and returns its output.
func (e *Executor) Run(ctx context.Context, vmID string, script Script) (OS, Output, error) {
	id, err := arm.ParseResourceID(vmID)
	if err != nil || !strings.EqualFold(id.ResourceType.String(), "Microsoft.Compute/virtualMachines") {
		return "", Output{}, fmt.Errorf("%q is not a VM id", vmID)
	}
	// The VM's lock first: its OS is then read once however many runs
	// start together.
	lock := e.lockOf(vmID)
	lock.Lock()
	defer lock.Unlock()
	o, err := e.OSOf(ctx, id)
	if err != nil {
		return "", Output{}, err
	}
	in := armcompute.RunCommandInput{CommandID: ptr(o.CommandID())}
	for _, l := range script(o) {
		in.Script = append(in.Script, ptr(l))
	}
	// Polled at its Location: the answer that says it is done carries the
	// output (no status poll, then a GET of the result).
	poller, _, err := azure.PollLocation(ctx, e.c, func(ctx context.Context) (*runtime.Poller[armcompute.VirtualMachinesClientRunCommandResponse], error) {
		return e.c.VirtualMachines().BeginRunCommand(ctx, id.ResourceGroupName, id.Name, in, nil)
	})
	if err != nil {
		return o, Output{}, fmt.Errorf("Run Command on %s: %w", id.Name, err)
	}
	res, err := azure.Wait(ctx, poller)
	if err != nil {
		return o, Output{}, fmt.Errorf("Run Command on %s: %w", id.Name, err)
	}
	out, err := ParseResult(res.RunCommandResult)
	if err != nil {
		return o, out, fmt.Errorf("Run Command on %s: %w", id.Name, err)
	}
	return o, out, nil
}

// OSOf is the VM's OS (storageProfile.osDisk.osType), read once.
func (e *Executor) OSOf(ctx context.Context, id *arm.ResourceID) (OS, error) {
	key := strings.ToLower(id.String())
	e.mu.Lock()
	o, ok := e.os[key]
	e.mu.Unlock()
	if ok {
		return o, nil
	}
	vm, err := e.c.VirtualMachines().Get(ctx, id.ResourceGroupName, id.Name, nil)
	if err != nil {
		return "", fmt.Errorf("reading VM %s for its OS: %w", id.Name, err)
	}
	o, err = osOf(&vm.VirtualMachine)
	if err != nil {
		return "", fmt.Errorf("VM %s: %w", id.Name, err)
	}
	e.mu.Lock()
	e.os[key] = o
	e.mu.Unlock()
	return o, nil
}

// Learn records the OS of a VM the caller has read anyway (the test VM,
// read for its address), so its first Run Command costs no GET.
func (e *Executor) Learn(vm *armcompute.VirtualMachine) {
	if vm == nil || vm.ID == nil {
		return
	}
	if o, err := osOf(vm); err == nil {
		e.mu.Lock()
		e.os[strings.ToLower(*vm.ID)] = o
		e.mu.Unlock()
	}
}

// osOf reads a VM's OS type.
func osOf(vm *armcompute.VirtualMachine) (OS, error) {
	var t armcompute.OperatingSystemTypes
	if p := vm.Properties; p != nil && p.StorageProfile != nil && p.StorageProfile.OSDisk != nil && p.StorageProfile.OSDisk.OSType != nil {
		t = *p.StorageProfile.OSDisk.OSType
	}
	switch {
	case strings.EqualFold(string(t), string(armcompute.OperatingSystemTypesLinux)):
		return Linux, nil
	case strings.EqualFold(string(t), string(armcompute.OperatingSystemTypesWindows)):
		return Windows, nil
	}
	return "", fmt.Errorf("storageProfile.osDisk.osType is %q, not Linux or Windows: Run Command cannot be chosen", t)
}

func (e *Executor) lockOf(vmID string) *sync.Mutex {
	key := strings.ToLower(vmID)
	e.mu.Lock()
	defer e.mu.Unlock()
	l, ok := e.busy[key]
	if !ok {
		l = &sync.Mutex{}
		e.busy[key] = l
	}
	return l
}

func ptr[T any](v T) *T { return &v }
