package compute

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Which ip configuration uses a public IP. The NIC's ip configuration holds
// the reference (publicIPAddress.id), as in Azure; the public IP's
// ipConfiguration is derived from it on every read, and a public IP in use
// cannot be deleted.

// ipConfigurationUsing is the id of the ip configuration that references
// the public IP, with its NIC ("" and nil when none does). NICs reference
// public IPs of their own subscription.
func ipConfigurationUsing(r store.Reader, pipID string) (string, *NIC) {
	nics, err := nicsOf(r, "/subscriptions/"+network.SubscriptionOf(pipID)+"/")
	if err != nil {
		return "", nil
	}
	for _, n := range nics {
		for _, c := range n.Properties.IPConfigurations {
			if ref := c.Properties.PublicIPAddress; ref != nil && strings.EqualFold(ref.ID, pipID) {
				return c.ID, n
			}
		}
	}
	return "", nil
}

// AttachPublicIP points the NIC's primary ip configuration at the existing
// public IP pipID, with Azure's checks: the public IP exists in the NIC's
// subscription and region, is provisioned, and no other ip configuration
// uses it. It returns the public IP: its Properties.IPAddress is the static
// address the NIC's VM should be served at (VMState.Address before
// ServeInTx). The caller stores the NIC.
func AttachPublicIP(r store.Reader, nic *NIC, pipID string) (*PublicIP, error) {
	if len(nic.Properties.IPConfigurations) == 0 {
		return nil, arm.InvalidRequestFormat("the network interface " + nic.ID + " has no ip configuration")
	}
	cfg := &nic.Properties.IPConfigurations[0]
	pip, ok, err := service.GetJSON[PublicIP](r, pipID)
	if err != nil {
		return nil, err
	}
	if !ok || !strings.EqualFold(network.SubscriptionOf(pipID), network.SubscriptionOf(nic.ID)) || pip.Location != nic.Location {
		return nil, arm.InvalidResourceReference(pipID, cfg.ID)
	}
	if st := pip.Properties.ProvisioningState; st != service.StateSucceeded {
		return nil, arm.ReferencedResourceNotProvisioned(pip.ID, cfg.ID, st)
	}
	if other, _ := ipConfigurationUsing(r, pip.ID); other != "" && !strings.EqualFold(other, cfg.ID) {
		return nil, &arm.Error{Status: http.StatusBadRequest, Code: "PublicIPAddressInUse",
			Message: fmt.Sprintf("Resource %s is referencing public IP address %s that is already allocated to resource %s.", cfg.ID, pip.ID, other)}
	}
	cfg.Properties.PublicIPAddress = &network.SubResource{ID: pip.ID}
	return pip, nil
}

// CheckGroupDeletion fails a group's deletion while a public IP of the group
// is used by an ip configuration of a NIC outside it, as ARM fails to
// delete such a public IP (NICs of the group go with it).
func (p *publicIPAddresses) CheckGroupDeletion(r store.Reader, groupID string) error {
	pips, err := service.Records[PublicIP](r, groupID+"/", publicIPType)
	if err != nil {
		return err
	}
	for _, pip := range pips {
		if cfg, nic := ipConfigurationUsing(r, pip.ID); nic != nil && !strings.HasPrefix(strings.ToLower(nic.ID), strings.ToLower(groupID)+"/") {
			return publicIPCannotBeDeleted(pip.ID, cfg)
		}
	}
	return nil
}
