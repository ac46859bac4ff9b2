package testfailover

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/insite"
)

// checkProbe verifies, before anything fails over, that the probe VM
// (Spec.ProbeVMID) can run the checks from the DR site: it exists, runs,
// and sits in the test network, where the test VMs will be. A probe
// elsewhere would only time out every check after the failover, and a
// stopped one would have every Run Command refused.
func (r *runner) checkProbe(ctx context.Context) error {
	if r.spec.ProbeVMID == "" {
		return nil
	}
	id, err := arm.ParseResourceID(r.spec.ProbeVMID)
	if err != nil {
		return fmt.Errorf("probe VM %q: not a VM id", r.spec.ProbeVMID)
	}
	vm, err := r.c.VirtualMachines().Get(ctx, id.ResourceGroupName, id.Name, &armcompute.VirtualMachinesClientGetOptions{Expand: ptr(armcompute.InstanceViewTypesInstanceView)})
	if azure.IsNotFound(err) {
		return fmt.Errorf("probe VM %s does not exist: name a running VM of the test network %s", r.spec.ProbeVMID, r.spec.TestNetworkID)
	}
	if err != nil {
		return fmt.Errorf("reading the probe VM %s: %w", id.Name, err)
	}
	if state := powerState(&vm.VirtualMachine); state != "running" {
		return fmt.Errorf("probe VM %s is %s, not running: Run Command needs a running VM with its agent; start it", id.Name, state)
	}
	var nets []string
	for _, ref := range nicsOf(&vm.VirtualMachine) {
		nic, err := r.c.NetworkInterfaces().Get(ctx, ref.id.ResourceGroupName, ref.id.Name, nil)
		if err != nil {
			return fmt.Errorf("reading the probe VM's NIC %s: %w", ref.id.Name, err)
		}
		if nic.Properties != nil {
			for _, n := range nicNetworks(nic.Properties) {
				if strings.EqualFold(n, r.spec.TestNetworkID) {
					if e, ok := r.exec.(*insite.Executor); ok {
						e.Learn(&vm.VirtualMachine)
					}
					r.log.Emit(drill.PhaseValidate, 0, "", fmt.Sprintf("probe VM %s runs in the test network: the checks from the DR site run on it", id.Name))
					return nil
				}
				nets = append(nets, n)
			}
		}
	}
	return fmt.Errorf("probe VM %s is not in the test network %s (its networks: %s): from there the checks could not reach the test VMs; name a VM of the test network",
		id.Name, r.spec.TestNetworkID, strings.Join(nets, ", "))
}

// powerState is the VM's "PowerState/<state>" code ("unknown" without an
// instance view).
func powerState(vm *armcompute.VirtualMachine) string {
	if vm.Properties != nil && vm.Properties.InstanceView != nil {
		for _, s := range vm.Properties.InstanceView.Statuses {
			if s != nil && s.Code != nil {
				if state, ok := strings.CutPrefix(*s.Code, "PowerState/"); ok {
					return state
				}
			}
		}
	}
	return "unknown"
}
