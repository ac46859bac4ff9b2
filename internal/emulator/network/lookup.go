package network

import (
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Lookups for the resources of package compute that reference networks
// (a NIC's subnet and NSG), with the reference checks the network resource
// provider makes on them.

// FindSubnet reads the subnet subnetID names and its network; path is
// where the body holds the reference, for the message of a malformed one.
// ok is false when the network or the subnet does not exist.
func FindSubnet(r store.Reader, subnetID, path string) (vnet *VNet, subnet *Subnet, ok bool, err error) {
	if !strings.HasPrefix(strings.ToLower(subnetID), "/subscriptions/") {
		return nil, nil, false, arm.LinkedInvalidPropertyID(subnetID, path)
	}
	i := strings.Index(strings.ToLower(subnetID), "/subnets/")
	if i < 0 {
		return nil, nil, false, arm.InvalidRequestFormat("Reference Id " + subnetID + " is referencing resource of a wrong type. The Id is expected to reference resources of type virtualNetworks/subnets. Path " + path + ".")
	}
	if err := checkNetworkRef(subnetID[:i], "virtualNetworks", path); err != nil {
		return nil, nil, false, err
	}
	v, found, err := GetVNet(r, subnetID[:i])
	if err != nil || !found {
		return nil, nil, false, err
	}
	j := IndexByName(v.Properties.Subnets, subnetID[i+len("/subnets/"):])
	if j < 0 {
		return v, nil, false, nil
	}
	return v, &v.Properties.Subnets[j], true, nil
}

// NSGRef is what a reference to an NSG needs to know of it.
type NSGRef struct {
	ID, Location, ProvisioningState string
}

// LookupNSG reads the NSG id names (a malformed reference is refused,
// naming path); ok is false when it does not exist.
func LookupNSG(r store.Reader, id, path string) (NSGRef, bool, error) {
	if err := checkNetworkRef(id, "networkSecurityGroups", path); err != nil {
		return NSGRef{}, false, err
	}
	g, ok, err := getNSG(r, id)
	if err != nil || !ok {
		return NSGRef{}, false, err
	}
	return NSGRef{ID: g.ID, Location: g.Location, ProvisioningState: g.Properties.ProvisioningState}, true, nil
}

// CheckReference refuses an id that is not a reference to a top-level
// Microsoft.Network resource of collection (e.g. "networkInterfaces"), as
// the network resource provider does; path is where the body holds it.
func CheckReference(id, collection, path string) error {
	return checkNetworkRef(id, collection, path)
}
