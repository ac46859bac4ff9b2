package compute

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// What a NIC PUT must satisfy, as the network resource provider checks it
// (armnetwork.Interface, networkInterface.json 2024-05-01): ip
// configurations in one existing subnet of the NIC's region, addresses
// Dynamic (the next free one) or Static (free, inside the subnet, not
// reserved), exactly one primary, an existing NSG.

// nicInput is the PUT body: the fields the emulator acts on.
type nicInput struct {
	Location   *string           `json:"location"`
	Tags       map[string]string `json:"tags"`
	Properties *struct {
		IPConfigurations            []nicIPConfigInput   `json:"ipConfigurations"`
		NetworkSecurityGroup        *network.SubResource `json:"networkSecurityGroup"`
		EnableAcceleratedNetworking *bool                `json:"enableAcceleratedNetworking"`
		EnableIPForwarding          *bool                `json:"enableIPForwarding"`
	} `json:"properties"`
}

type nicIPConfigInput struct {
	Name       string `json:"name"`
	Properties *struct {
		Subnet                    *network.SubResource `json:"subnet"`
		PrivateIPAllocationMethod string               `json:"privateIPAllocationMethod"`
		PrivateIPAddress          string               `json:"privateIPAddress"`
		PrivateIPAddressVersion   string               `json:"privateIPAddressVersion"`
		Primary                   *bool                `json:"primary"`
		PublicIPAddress           *network.SubResource `json:"publicIPAddress"`
	} `json:"properties"`
}

// buildNIC is the NIC a PUT stores: cur (nil for a new NIC) with the
// body's configuration, validated against the store.
func buildNIC(tx *store.Tx, cur *NIC, id, name, location string, in *nicInput) (*NIC, error) {
	nic := &NIC{TrackedResource: network.NewTrackedResource(id, name, nicType, location, in.Tags),
		Properties: nicProperties{ResourceGUID: arm.NewGUID(), MacAddress: newMAC(), NicType: "Standard"}}
	if cur != nil {
		if cur.Location != location {
			return nil, arm.InvalidResourceLocation(name, resourceGroupOf(id), cur.Location, location)
		}
		nic.ID, nic.Properties.ResourceGUID, nic.Properties.MacAddress = cur.ID, cur.Properties.ResourceGUID, cur.Properties.MacAddress
		nic.Properties.VirtualMachine = cur.Properties.VirtualMachine
	}
	nic.Properties.ProvisioningState = service.StateSucceeded
	if in.Properties == nil || len(in.Properties.IPConfigurations) == 0 {
		return nil, arm.InvalidRequestFormat(fmt.Sprintf("Network interface %s must have at least one IP configuration (properties.ipConfigurations).", id))
	}
	p := in.Properties
	nic.Properties.EnableAcceleratedNetworking = p.EnableAcceleratedNetworking != nil && *p.EnableAcceleratedNetworking
	nic.Properties.EnableIPForwarding = p.EnableIPForwarding != nil && *p.EnableIPForwarding
	if err := attachNSG(tx, nic, p.NetworkSecurityGroup); err != nil {
		return nil, err
	}
	cfgs, err := buildIPConfigs(tx, nic, cur, p.IPConfigurations)
	if err != nil {
		return nil, err
	}
	nic.Properties.IPConfigurations = cfgs
	nic.Properties.Primary = true // a NIC alone on its VM is its primary; vms_write.go sets it otherwise
	return nic, nil
}

// attachNSG checks networkSecurityGroup: an NSG of the NIC's subscription
// and region, not being deleted.
func attachNSG(r store.Reader, nic *NIC, ref *network.SubResource) error {
	if ref == nil || ref.ID == "" {
		return nil
	}
	g, ok, err := network.LookupNSG(r, ref.ID, "properties.networkSecurityGroup.id")
	if err != nil {
		return err
	}
	if !ok || network.SubscriptionOf(g.ID) != network.SubscriptionOf(nic.ID) || g.Location != nic.Location {
		return arm.InvalidResourceReference(ref.ID, nic.ID)
	}
	if g.ProvisioningState == service.StateDeleting {
		return arm.ReferencedResourceNotProvisioned(g.ID, nic.ID, g.ProvisioningState)
	}
	nic.Properties.NetworkSecurityGroup = &network.SubResource{ID: g.ID}
	return nil
}

// buildIPConfigs resolves the ip configurations: names unique, one vNet,
// addresses allocated, exactly one primary.
func buildIPConfigs(tx *store.Tx, nic, cur *NIC, in []nicIPConfigInput) ([]nicIPConfiguration, error) {
	out := make([]nicIPConfiguration, 0, len(in))
	names := map[string]bool{}
	taken := map[netip.Addr]string{} // addresses this body already holds
	vnetID, primaries := "", 0
	for i, c := range in {
		if strings.TrimSpace(c.Name) == "" {
			return nil, arm.InvalidRequestFormat(fmt.Sprintf("properties.ipConfigurations[%d].name is required.", i))
		}
		if names[strings.ToLower(c.Name)] {
			return nil, arm.DuplicateResourceName(nic.ID, c.Name)
		}
		names[strings.ToLower(c.Name)] = true
		cfgID := nic.ID + "/ipConfigurations/" + c.Name
		if c.Properties == nil || c.Properties.Subnet == nil || c.Properties.Subnet.ID == "" {
			return nil, arm.InvalidRequestFormat(fmt.Sprintf("IP configuration %s must reference a subnet (properties.subnet.id).", cfgID))
		}
		cp := c.Properties
		vnet, sn, err := subnetFor(tx, nic, cfgID, cp.Subnet.ID, i)
		if err != nil {
			return nil, err
		}
		if vnetID != "" && !strings.EqualFold(vnetID, vnet.ID) {
			return nil, arm.InvalidRequestFormat(fmt.Sprintf("IP configurations of network interface %s reference subnets of different virtual networks (%s and %s): all must be in one virtual network.", nic.ID, vnetID, vnet.ID))
		}
		vnetID = vnet.ID
		if v := cp.PrivateIPAddressVersion; v != "" && !strings.EqualFold(v, ipv4) {
			return nil, arm.InvalidRequestFormat(fmt.Sprintf("properties.ipConfigurations[%d].properties.privateIPAddressVersion: '%s': the emulator's networks are IPv4 only.", i, v))
		}
		method, addr, err := allocatePrivateIP(tx, sn, cfgID, cp.PrivateIPAllocationMethod, cp.PrivateIPAddress, previousAddress(cur, c.Name, sn.ID), taken)
		if err != nil {
			return nil, err
		}
		taken[addr] = cfgID
		primary := cp.Primary != nil && *cp.Primary
		if primary {
			primaries++
		}
		out = append(out, nicIPConfiguration{ID: cfgID, Name: c.Name, Type: ipConfigType, Etag: nic.Etag,
			Properties: nicIPConfigurationProp{PrivateIPAddress: addr.String(), PrivateIPAllocationMethod: method, PrivateIPAddressVersion: ipv4,
				Primary: primary, Subnet: &network.SubResource{ID: sn.ID}, ProvisioningState: service.StateSucceeded}})
		if cp.PublicIPAddress != nil && cp.PublicIPAddress.ID != "" {
			if i != 0 {
				return nil, arm.InvalidRequestFormat(fmt.Sprintf("properties.ipConfigurations[%d].properties.publicIPAddress: the emulator attaches a public IP to the first ip configuration only.", i))
			}
			// AttachPublicIP checks and sets the first configuration's.
			if _, err := AttachPublicIP(tx, &NIC{TrackedResource: nic.TrackedResource, Properties: nicProperties{IPConfigurations: out}}, cp.PublicIPAddress.ID); err != nil {
				return nil, err
			}
		}
	}
	switch {
	case len(out) == 1:
		out[0].Properties.Primary = true
	case primaries == 0:
		return nil, noPrimaryIPConfig(nic.ID, "none of the IPConfigurations is specified as Primary")
	case primaries > 1:
		return nil, noPrimaryIPConfig(nic.ID, fmt.Sprintf("%d of the IPConfigurations are specified as Primary; exactly one must be", primaries))
	}
	return out, nil
}

// subnetFor reads an ip configuration's subnet: in the NIC's subscription
// and region, provisioned, not GatewaySubnet.
func subnetFor(r store.Reader, nic *NIC, cfgID, subnetID string, i int) (*network.VNet, *network.Subnet, error) {
	vnet, sn, ok, err := network.FindSubnet(r, subnetID, fmt.Sprintf("properties.ipConfigurations[%d].properties.subnet.id", i))
	if err != nil {
		return nil, nil, err
	}
	if !ok || network.SubscriptionOf(vnet.ID) != network.SubscriptionOf(nic.ID) || vnet.Location != nic.Location {
		return nil, nil, arm.InvalidResourceReference(subnetID, cfgID)
	}
	if st := sn.Properties.ProvisioningState; st == service.StateDeleting {
		return nil, nil, arm.ReferencedResourceNotProvisioned(sn.ID, cfgID, st)
	}
	if st := vnet.Properties.ProvisioningState; st == service.StateDeleting {
		return nil, nil, arm.ReferencedResourceNotProvisioned(vnet.ID, cfgID, st)
	}
	if strings.EqualFold(sn.Name, network.GatewaySubnet) {
		return nil, nil, arm.InvalidRequestFormat(fmt.Sprintf("IP configuration %s references %s: GatewaySubnet is reserved for virtual network gateways.", cfgID, sn.ID))
	}
	return vnet, sn, nil
}

// previousAddress is the address the configuration named name already has
// in subnetID (invalid when none): a Dynamic address stays with its NIC
// across updates, as in Azure.
func previousAddress(cur *NIC, name, subnetID string) netip.Addr {
	if cur == nil {
		return netip.Addr{}
	}
	for _, c := range cur.Properties.IPConfigurations {
		if strings.EqualFold(c.Name, name) && c.Properties.Subnet != nil && strings.EqualFold(c.Properties.Subnet.ID, subnetID) {
			a, _ := netip.ParseAddr(c.Properties.PrivateIPAddress)
			return a
		}
	}
	return netip.Addr{}
}

// allocatePrivateIP resolves one configuration's address: Static takes the
// address asked for, with the network resource provider's refusals;
// Dynamic keeps the previous one or takes the next free one.
func allocatePrivateIP(r store.Reader, sn *network.Subnet, cfgID, method, address string, previous netip.Addr, taken map[netip.Addr]string) (string, netip.Addr, error) {
	used, err := UsedAddresses(r, sn.ID)
	if err != nil {
		return "", netip.Addr{}, err
	}
	nicID := cfgID[:strings.Index(strings.ToLower(cfgID), "/ipconfigurations/")]
	for a, by := range used {
		if strings.EqualFold(by, nicID) {
			delete(used, a) // the NIC's own addresses are free for its update
		}
	}
	for a, by := range taken {
		used[a] = by
	}
	prefixes := subnetIPv4Prefixes(sn)
	switch {
	case method == "" || strings.EqualFold(method, allocationDynamic):
		if previous.IsValid() {
			if _, clash := used[previous]; !clash {
				return allocationDynamic, previous, nil
			}
		}
		if a, ok := nextFreeAddress(prefixes, used); ok {
			return allocationDynamic, a, nil
		}
		return "", netip.Addr{}, &arm.Error{Status: http.StatusBadRequest, Code: "SubnetIsFull",
			Message: fmt.Sprintf("Subnet %s with address prefix %s does not have enough capacity for 1 IP addresses.", sn.Name, strings.Join(sn.Prefixes(), ", "))}
	case strings.EqualFold(method, allocationStatic):
	default:
		return "", netip.Addr{}, oneOf("privateIPAllocationMethod", method, allocationStatic, allocationDynamic)
	}
	want, err := netip.ParseAddr(address)
	if err != nil || !want.Is4() {
		return "", netip.Addr{}, arm.InvalidRequestFormat(fmt.Sprintf("IP configuration %s: a Static allocation needs privateIPAddress, an IPv4 address; got '%s'.", cfgID, address))
	}
	for _, p := range prefixes {
		if !p.Contains(want) {
			continue
		}
		if !usableAddress(p, want) {
			return "", netip.Addr{}, &arm.Error{Status: http.StatusBadRequest, Code: "PrivateIPAddressInReservedRange",
				Message: fmt.Sprintf("Private static IP address %s falls within reserved IP range of subnet prefix %s (Azure reserves the first four addresses and the last).", want, p)}
		}
		if by, inUse := used[want]; inUse {
			return "", netip.Addr{}, &arm.Error{Status: http.StatusBadRequest, Code: "PrivateIPAddressIsAllocated",
				Message: fmt.Sprintf("IP configuration %s is using the private IP address %s which is already allocated to resource %s.", cfgID, want, by)}
		}
		return allocationStatic, want, nil
	}
	return "", netip.Addr{}, &arm.Error{Status: http.StatusBadRequest, Code: "PrivateIPAddressNotInSubnet",
		Message: fmt.Sprintf("IP configuration %s has a private IP address %s that does not belong to subnet %s (%s).", cfgID, want, sn.ID, strings.Join(sn.Prefixes(), ", "))}
}

func noPrimaryIPConfig(nicID, why string) *arm.Error {
	return &arm.Error{Status: http.StatusBadRequest, Code: "NetworkInterfaceMustHaveOneOneIPConfigAsPrimary",
		Message: fmt.Sprintf("Network Interface %s specifies multiple IPConfigurations but %s.", nicID, why)}
}
