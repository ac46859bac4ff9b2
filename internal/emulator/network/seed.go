package network

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// The estate's networks, inside a resource group of the seed file:
//
//	"networkSecurityGroups": [{"name": "nsg-web", "location": "centralus", "tags": {...},
//	    "securityRules": [{"name": "allow-https", "priority": 100, "direction": "Inbound", "access": "Allow",
//	        "protocol": "Tcp", "sourceAddressPrefix": "Internet", "sourcePortRange": "*",
//	        "destinationAddressPrefix": "*", "destinationPortRange": "443", "description": "..."}]}],
//	"virtualNetworks": [{"name": "vnet-prod", "location": "centralus", "tags": {...},
//	    "addressSpace": ["10.1.0.0/16"],
//	    "subnets": [{"name": "web", "addressPrefix": "10.1.1.0/24", "networkSecurityGroup": "nsg-web"}]}]
//
// Locations default to the group's; rules also take the plural
// *Prefixes/*Ranges lists and subnets addressPrefixes; a subnet names an NSG
// of the same group. Seeds go through the API's own validation and are
// stored with provisioningState "Succeeded".

// seedFile is the seed file as this namespace reads it: the networks of
// each group (the server decodes the whole file strictly first).
type seedFile struct {
	Subscriptions []struct {
		ID             string      `json:"id"`
		ResourceGroups []seedGroup `json:"resourceGroups"`
	} `json:"subscriptions"`
}

type seedGroup struct {
	Name                  string               `json:"name"`
	Location              string               `json:"location"`
	VirtualNetworks       []SeedVirtualNetwork `json:"virtualNetworks"`
	NetworkSecurityGroups []SeedNSG            `json:"networkSecurityGroups"`
}

// SeedVirtualNetwork is a virtual network of the seed file.
type SeedVirtualNetwork struct {
	Name         string            `json:"name"`
	Location     string            `json:"location"`
	Tags         map[string]string `json:"tags"`
	AddressSpace []string          `json:"addressSpace"`
	Subnets      []seedSubnet      `json:"subnets"`
}

type seedSubnet struct {
	Name                 string   `json:"name"`
	AddressPrefix        string   `json:"addressPrefix"`
	AddressPrefixes      []string `json:"addressPrefixes"`
	NetworkSecurityGroup string   `json:"networkSecurityGroup"`
}

// SeedNSG is a network security group of the seed file.
type SeedNSG struct {
	Name          string            `json:"name"`
	Location      string            `json:"location"`
	Tags          map[string]string `json:"tags"`
	SecurityRules []seedRule        `json:"securityRules"`
}

type seedRule struct {
	Name                       string   `json:"name"`
	Description                string   `json:"description"`
	Priority                   *int     `json:"priority"`
	Direction                  string   `json:"direction"`
	Access                     string   `json:"access"`
	Protocol                   string   `json:"protocol"`
	SourceAddressPrefix        string   `json:"sourceAddressPrefix"`
	SourceAddressPrefixes      []string `json:"sourceAddressPrefixes"`
	SourcePortRange            string   `json:"sourcePortRange"`
	SourcePortRanges           []string `json:"sourcePortRanges"`
	DestinationAddressPrefix   string   `json:"destinationAddressPrefix"`
	DestinationAddressPrefixes []string `json:"destinationAddressPrefixes"`
	DestinationPortRange       string   `json:"destinationPortRange"`
	DestinationPortRanges      []string `json:"destinationPortRanges"`
}

func (r seedRule) record() ruleRecord {
	return ruleRecord{childResource: childResource{Name: r.Name}, Properties: ruleProperties{
		Description: r.Description, Priority: r.Priority, Direction: r.Direction, Access: r.Access, Protocol: r.Protocol,
		SourceAddressPrefix: r.SourceAddressPrefix, SourceAddressPrefixes: r.SourceAddressPrefixes,
		SourcePortRange: r.SourcePortRange, SourcePortRanges: r.SourcePortRanges,
		DestinationAddressPrefix: r.DestinationAddressPrefix, DestinationAddressPrefixes: r.DestinationAddressPrefixes,
		DestinationPortRange: r.DestinationPortRange, DestinationPortRanges: r.DestinationPortRanges,
		ProvisioningState: service.StateSucceeded,
	}}
}

// PutSeed writes the networks of every group of a seed file that the
// server's parseSeed accepted, NSGs first so subnets can refer to them. An error
// names the item at fault.
func (s *Service) PutSeed(tx *store.Tx, data []byte) error {
	var f seedFile
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	for i, sub := range f.Subscriptions {
		for j, g := range sub.ResourceGroups {
			where := fmt.Sprintf("subscriptions[%d] (%q).resourceGroups[%d] (%q)", i, sub.ID, j, g.Name)
			group := seedNetworkGroup{s: s, tx: tx, sub: sub.ID, group: g, names: map[string]bool{}}
			for k, n := range g.NetworkSecurityGroups {
				if err := group.putNSG(n); err != nil {
					return fmt.Errorf("%s.networkSecurityGroups[%d] (%q): %s", where, k, n.Name, arm.AsError(err).Message)
				}
			}
			for k, n := range g.VirtualNetworks {
				if err := group.putVNet(n); err != nil {
					return fmt.Errorf("%s.virtualNetworks[%d] (%q): %s", where, k, n.Name, arm.AsError(err).Message)
				}
			}
		}
	}
	return nil
}

// seedNetworkGroup writes the networks of one group of the seed.
type seedNetworkGroup struct {
	s     *Service
	tx    *store.Tx
	sub   string
	group seedGroup
	names map[string]bool // collection/name already seeded
}

// start checks the name and location every seeded item has and returns its
// id and canonical location.
func (g *seedNetworkGroup) start(collection, typ, name, location string) (id, loc string, err error) {
	if err := validateNetworkName(name); err != nil {
		return "", "", err
	}
	key := collection + "/" + strings.ToLower(name)
	if g.names[key] {
		return "", "", arm.BadRequest("DuplicateResourceName", "The resource group already has a %s named '%s' (names are case-insensitive).", typ, name)
	}
	g.names[key] = true
	if location == "" {
		location = g.group.Location
	}
	loc, err = service.ResourceLocation(location, typ)
	return ID(g.sub, g.group.Name, collection, name), loc, err
}

func (g *seedNetworkGroup) putNSG(in SeedNSG) error {
	id, loc, err := g.start("networkSecurityGroups", nsgType, in.Name, in.Location)
	if err != nil {
		return err
	}
	n := &nsgRecord{TrackedResource: NewTrackedResource(id, in.Name, nsgType, loc, in.Tags),
		Properties: nsgProperties{SecurityRules: []ruleRecord{}, ProvisioningState: service.StateSucceeded, ResourceGUID: arm.NewGUID()}}
	for _, r := range in.SecurityRules {
		n.Properties.SecurityRules = append(n.Properties.SecurityRules, r.record())
	}
	if err := validateRules(n); err != nil {
		return err
	}
	return service.PutJSON(g.tx, id, n)
}

func (g *seedNetworkGroup) putVNet(in SeedVirtualNetwork) error {
	id, loc, err := g.start("virtualNetworks", VNetType, in.Name, in.Location)
	if err != nil {
		return err
	}
	n := &VNet{TrackedResource: NewTrackedResource(id, in.Name, VNetType, loc, in.Tags),
		Properties: vnetProperties{AddressSpace: addressSpace{AddressPrefixes: in.AddressSpace}, Subnets: []Subnet{},
			VirtualNetworkPeerings: []peeringRecord{}, ProvisioningState: service.StateSucceeded, ResourceGUID: arm.NewGUID()}}
	for _, sn := range in.Subnets {
		r := Subnet{childResource: childResource{Name: sn.Name}, Properties: subnetProperties{AddressPrefix: sn.AddressPrefix, AddressPrefixes: sn.AddressPrefixes,
			ProvisioningState: service.StateSucceeded}}
		if sn.NetworkSecurityGroup != "" {
			r.Properties.NetworkSecurityGroup = &SubResource{ID: ID(g.sub, g.group.Name, "networkSecurityGroups", sn.NetworkSecurityGroup)}
		}
		n.Properties.Subnets = append(n.Properties.Subnets, r)
	}
	if err := g.s.validateVNet(g.tx, n); err != nil {
		return err
	}
	return service.PutJSON(g.tx, id, n)
}
