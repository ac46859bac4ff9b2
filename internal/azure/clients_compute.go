package azure

import "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"

// Microsoft.Compute client factories (api-version 2024-11-01 in armcompute v6.4.0).

// VirtualMachines returns the virtual machines client of the subscription.
func (c *Client) VirtualMachines() *armcompute.VirtualMachinesClient {
	return virtualMachinesFactory.of(c)
}

var virtualMachinesFactory = factory(armcompute.NewVirtualMachinesClient)
