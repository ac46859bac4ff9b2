package sweep

import (
	"context"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// sweepProbeVMs removes the probe VMs drills made in the site's groups
// (tagged so) that a killed drill left, then their NICs: a VM's NIC goes
// with it (deleteOption Delete), a NIC whose VM was never made is deleted
// on its own. Part of the test failovers' sweeper: a probe VM is a drill's.
func sweepProbeVMs(ctx context.Context, r *run, s site) error {
	err := eachGroup(s, func(group string) ([]*armcompute.VirtualMachine, error) {
		return list(ctx, r.c.VirtualMachines().NewListPager(group, nil),
			func(p armcompute.VirtualMachinesClientListResponse) []*armcompute.VirtualMachine { return p.Value })
	}, func(group string, vm *armcompute.VirtualMachine) {
		if tags.Get(vm.Tags, tags.Role) != tags.RoleProbeVM {
			return
		}
		r.remove(ctx, s, "drill probe VM", deref(vm.ID), func(ctx context.Context) error {
			return azure.Delete(ctx, func() (*runtime.Poller[armcompute.VirtualMachinesClientDeleteResponse], error) {
				return r.c.VirtualMachines().BeginDelete(ctx, group, deref(vm.Name), nil)
			})
		})
	})
	if err != nil {
		return err
	}
	return eachGroup(s, func(group string) ([]*armnetwork.Interface, error) {
		return list(ctx, r.c.NetworkInterfaces().NewListPager(group, nil),
			func(p armnetwork.InterfacesClientListResponse) []*armnetwork.Interface { return p.Value })
	}, func(group string, nic *armnetwork.Interface) {
		if tags.Get(nic.Tags, tags.Role) != tags.RoleProbeVM {
			return
		}
		r.remove(ctx, s, "drill probe VM's NIC", deref(nic.ID), func(ctx context.Context) error {
			return azure.Delete(ctx, func() (*runtime.Poller[armnetwork.InterfacesClientDeleteResponse], error) {
				return r.c.NetworkInterfaces().BeginDelete(ctx, group, deref(nic.Name), nil)
			})
		})
	})
}
