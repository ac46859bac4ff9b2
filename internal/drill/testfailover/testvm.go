package testfailover

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// testVM is the VM a test failover made.
type testVM struct {
	ID, Name, PrivateIP, PublicIP string
	// Subnet is the subnet of its private IP (the isolation proof runs
	// once per test subnet).
	Subnet string
	// body is the VM as read (its OS picks the Run Command).
	body *armcompute.VirtualMachine
}

func (v testVM) address() string {
	if v.PublicIP != "" {
		return v.PublicIP
	}
	return v.PrivateIP
}

// findTestVM reads the test VM, its NIC and the NIC's public IP; (nil,
// nil) when the VM does not exist.
func findTestVM(ctx context.Context, c *azure.Client, group, name string) (*testVM, error) {
	vm, err := c.VirtualMachines().Get(ctx, group, name, nil)
	if azure.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := &testVM{ID: deref(vm.ID), Name: deref(vm.Name), body: &vm.VirtualMachine}
	for _, ref := range nicsOf(&vm.VirtualMachine) {
		// Expanded, the NIC carries its public IPs whole: no GET per
		// public IP (the one below is for an endpoint that ignores it).
		nic, err := c.NetworkInterfaces().Get(ctx, ref.id.ResourceGroupName, ref.id.Name, &armnetwork.InterfacesClientGetOptions{Expand: ptr(expandPublicIPs)})
		if err != nil {
			return nil, fmt.Errorf("reading the test VM's NIC %s: %w", ref.raw, err)
		}
		if nic.Properties == nil {
			continue
		}
		for _, ipc := range nic.Properties.IPConfigurations {
			if ipc == nil || ipc.Properties == nil {
				continue
			}
			if out.PrivateIP == "" {
				out.PrivateIP = deref(ipc.Properties.PrivateIPAddress)
				if ipc.Properties.Subnet != nil {
					out.Subnet = strings.ToLower(deref(ipc.Properties.Subnet.ID))
				}
			}
			if pip := ipc.Properties.PublicIPAddress; pip != nil && out.PublicIP == "" {
				if pip.Properties != nil && deref(pip.Properties.IPAddress) != "" {
					out.PublicIP = *pip.Properties.IPAddress
				} else if pid, err := arm.ParseResourceID(deref(pip.ID)); err == nil {
					p, err := c.PublicIPAddresses().Get(ctx, pid.ResourceGroupName, pid.Name, nil)
					if err != nil {
						return nil, fmt.Errorf("reading the test VM's public IP %s: %w", deref(pip.ID), err)
					}
					if p.Properties != nil {
						out.PublicIP = deref(p.Properties.IPAddress)
					}
				}
			}
		}
		if out.PrivateIP != "" {
			break
		}
	}
	return out, nil
}

// nicRef is a NIC a VM names: its id as the VM gives it, and parsed.
type nicRef struct {
	raw string
	id  *arm.ResourceID
}

// nicsOf are the NICs a VM names, in order (those whose id parses).
func nicsOf(vm *armcompute.VirtualMachine) []nicRef {
	if vm.Properties == nil || vm.Properties.NetworkProfile == nil {
		return nil
	}
	var out []nicRef
	for _, ref := range vm.Properties.NetworkProfile.NetworkInterfaces {
		if ref == nil || ref.ID == nil {
			continue
		}
		if id, err := arm.ParseResourceID(*ref.ID); err == nil {
			out = append(out, nicRef{raw: *ref.ID, id: id})
		}
	}
	return out
}

// expandPublicIPs asks a NIC GET for its ip configurations' public IPs.
const expandPublicIPs = "ipConfigurations/publicIPAddress"
