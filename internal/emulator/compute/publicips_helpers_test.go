package compute

import (
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

// NewPublicIP is a stored public IP for the tests, in the NIC's group and
// region: Standard, Static, without an address of its own (it shows the
// address of the VM's site it is attached to). Site Recovery makes no
// public IPs (a failed-over VM gets the one its item's NIC settings name).
func NewPublicIP(id string, nic *NIC, tags map[string]string) *PublicIP {
	return &PublicIP{
		TrackedResource: network.NewTrackedResource(id, id[strings.LastIndex(id, "/")+1:], publicIPType, nic.Location, tags),
		SKU:             publicIPSKU{Name: skuStandard, Tier: tierRegional},
		Properties: publicIPProperties{
			ProvisioningState: service.StateSucceeded, ResourceGUID: arm.NewGUID(),
			PublicIPAddressVersion: ipv4, PublicIPAllocationMethod: allocationStatic, IdleTimeoutInMinutes: defaultIdleTimeout,
			IPTags: []publicIPTag{}, DDOSSettings: &publicIPDDOS{ProtectionMode: "VirtualNetworkInherited"},
		},
	}
}
