package emulator

import (
	"encoding/json"
	"fmt"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
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
// *Prefixes/*Ranges lists; a subnet names an NSG of the same group. Seeds go
// through the API's own validation.

type seedVirtualNetwork struct {
	Name         string            `json:"name"`
	Location     string            `json:"location"`
	Tags         map[string]string `json:"tags"`
	AddressSpace []string          `json:"addressSpace"`
	Subnets      []seedSubnet      `json:"subnets"`
}

type seedSubnet struct {
	Name                 string `json:"name"`
	AddressPrefix        string `json:"addressPrefix"`
	NetworkSecurityGroup string `json:"networkSecurityGroup"`
}

type seedNSG struct {
	Name          string            `json:"name"`
	Location      string            `json:"location"`
	Tags          map[string]string `json:"tags"`
	SecurityRules []seedRule        `json:"securityRules"`
}

type seedRule struct {
	Name string `json:"name"`
	ruleProperties
}

// putSeedNetworks writes the networks of every group of a seed file that
// parseSeed accepted, NSGs first so subnets can refer to them.
func (s *Server) putSeedNetworks(tx *store.Tx, data []byte) error {
	var f seedFile
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	for i, sub := range f.Subscriptions {
		for j, g := range sub.ResourceGroups {
			where := fmt.Sprintf("subscriptions[%d] (%q).resourceGroups[%d] (%q)", i, sub.ID, j, g.Name)
			location := func(l string) (string, error) {
				if l == "" {
					l = g.Location
				}
				if c := regions.Canonical(l); c != "" {
					return c, nil
				}
				return "", fmt.Errorf("unknown location %q", l)
			}
			for k, n := range g.NetworkSecurityGroups {
				at := fmt.Sprintf("%s.networkSecurityGroups[%d] (%q)", where, k, n.Name)
				loc, err := location(n.Location)
				if err != nil {
					return fmt.Errorf("%s: %v", at, err)
				}
				rec := &nsgRecord{ID: networkID(sub.ID, g.Name, "networkSecurityGroups", n.Name), Name: n.Name, Type: nsgType, Location: loc,
					Tags: n.Tags, Etag: newEtag(), Properties: nsgProperties{SecurityRules: []ruleRecord{}, ProvisioningState: "Succeeded", ResourceGUID: arm.NewGUID()}}
				for _, r := range n.SecurityRules {
					rec.Properties.SecurityRules = append(rec.Properties.SecurityRules, ruleRecord{Name: r.Name, Properties: r.ruleProperties})
				}
				if err := validateRules(rec); err != nil {
					return fmt.Errorf("%s: %s", at, arm.AsError(err).Message)
				}
				if err := putJSON(tx, rec.ID, rec); err != nil {
					return err
				}
			}
			for k, n := range g.VirtualNetworks {
				at := fmt.Sprintf("%s.virtualNetworks[%d] (%q)", where, k, n.Name)
				loc, err := location(n.Location)
				if err != nil {
					return fmt.Errorf("%s: %v", at, err)
				}
				rec := &vnetRecord{ID: networkID(sub.ID, g.Name, "virtualNetworks", n.Name), Name: n.Name, Type: vnetType, Location: loc, Tags: n.Tags,
					Etag: newEtag(), Properties: vnetProperties{AddressSpace: addressSpace{AddressPrefixes: n.AddressSpace}, ProvisioningState: "Succeeded", ResourceGUID: arm.NewGUID()}}
				for _, sn := range n.Subnets {
					r := subnetRecord{Name: sn.Name, Properties: subnetProperties{AddressPrefix: sn.AddressPrefix}}
					if sn.NetworkSecurityGroup != "" {
						r.Properties.NetworkSecurityGroup = &subResource{ID: networkID(sub.ID, g.Name, "networkSecurityGroups", sn.NetworkSecurityGroup)}
					}
					rec.Properties.Subnets = append(rec.Properties.Subnets, r)
				}
				if err := s.validateVNet(tx, rec); err != nil {
					return fmt.Errorf("%s: %s", at, arm.AsError(err).Message)
				}
				if err := putJSON(tx, rec.ID, rec); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
