package network

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// The network pair's Azure calls.

const gatewaySubnetName = "GatewaySubnet"

// Tags on the recovery network that let import and the NSG resource find the
// rest of the pair.
const (
	tagPrimaryNetwork = tags.PrimaryNetwork
	tagTestNetwork    = tags.TestNetwork
	tagRole           = tags.Role
	roleRecovery      = tags.RoleRecoveryNetwork
	roleTest          = tags.RoleTestNetwork
)

// vnet is the part of a virtual network the pair cares about.
type vnet struct {
	ID           string
	Name         string
	Group        string
	Location     string
	AddressSpace []string
	Subnets      map[string]subnet // by name
	Peerings     []string          // "name -> remote id"
	Tags         map[string]string
}

type subnet struct {
	ID     string
	Prefix string
	NSGID  string
}

func (v *vnet) subnetSpecs() []subnetSpec {
	out := make([]subnetSpec, 0, len(v.Subnets))
	for name, s := range v.Subnets {
		out = append(out, subnetSpec{Name: name, Prefix: s.Prefix})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// isolationProblems says why a test network could reach production, or
// nothing when it is isolated.
func (v *vnet) isolationProblems() []string {
	var out []string
	for _, p := range v.Peerings {
		out = append(out, "peering "+p)
	}
	if _, ok := v.Subnets[gatewaySubnetName]; ok {
		out = append(out, "a "+gatewaySubnetName+" (room for a VPN or ExpressRoute gateway)")
	}
	return out
}

// findVNet returns the network with the given id, or (nil, nil) when gone.
func findVNet(ctx context.Context, c *azure.Client, id string) (*vnet, error) {
	rid, err := arm.ParseResourceID(id)
	if err != nil || !strings.EqualFold(rid.ResourceType.String(), "Microsoft.Network/virtualNetworks") {
		return nil, fmt.Errorf("%q is not a virtual network id", id)
	}
	return getVNet(ctx, c, rid.ResourceGroupName, rid.Name)
}

func getVNet(ctx context.Context, c *azure.Client, group, name string) (*vnet, error) {
	resp, err := c.VirtualNetworks().Get(ctx, group, name, nil)
	if azure.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return fromARM(&resp.VirtualNetwork, group), nil
}

func fromARM(in *armnetwork.VirtualNetwork, group string) *vnet {
	v := &vnet{ID: deref(in.ID), Name: deref(in.Name), Group: group, Location: deref(in.Location),
		Subnets: map[string]subnet{}, Tags: map[string]string{}}
	for k, t := range in.Tags {
		v.Tags[k] = deref(t)
	}
	if p := in.Properties; p != nil {
		if p.AddressSpace != nil {
			for _, a := range p.AddressSpace.AddressPrefixes {
				v.AddressSpace = append(v.AddressSpace, deref(a))
			}
		}
		for _, s := range p.Subnets {
			sn := subnet{ID: deref(s.ID)}
			if sp := s.Properties; sp != nil {
				sn.Prefix = deref(sp.AddressPrefix)
				if sn.Prefix == "" && len(sp.AddressPrefixes) > 0 {
					sn.Prefix = deref(sp.AddressPrefixes[0])
				}
				if sp.NetworkSecurityGroup != nil {
					sn.NSGID = deref(sp.NetworkSecurityGroup.ID)
				}
			}
			v.Subnets[deref(s.Name)] = sn
		}
		for _, peer := range p.VirtualNetworkPeerings {
			remote := ""
			if peer.Properties != nil && peer.Properties.RemoteVirtualNetwork != nil {
				remote = deref(peer.Properties.RemoteVirtualNetwork.ID)
			}
			v.Peerings = append(v.Peerings, fmt.Sprintf("%s -> %s", deref(peer.Name), remote))
		}
	}
	return v
}

// putVNet creates or updates a network with exactly the given subnets. A
// subnet that stays keeps its NSG association (the NSG resource owns it), so
// the full-body PUT never undoes azuredr_network_security_group's work: the
// associations are read under the network's lock, right before the PUT, so
// an NSG associating a subnet meanwhile is not lost either.
func putVNet(ctx context.Context, c *azure.Client, group, name, location string, space []string, subnets []subnetSpec, tags map[string]string) (*vnet, error) {
	unlock, err := azure.LockVirtualNetwork(ctx, vnetID(c, group, name))
	if err != nil {
		return nil, err
	}
	defer unlock()
	current, err := getVNet(ctx, c, group, name)
	if err != nil {
		return nil, err
	}
	body := armnetwork.VirtualNetwork{
		Location: &location,
		Tags:     map[string]*string{},
		Properties: &armnetwork.VirtualNetworkPropertiesFormat{
			AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: ptrs(space)},
		},
	}
	for k, v := range tags {
		body.Tags[k] = ptr(v)
	}
	for _, s := range subnets {
		props := &armnetwork.SubnetPropertiesFormat{AddressPrefix: ptr(s.Prefix)}
		if current != nil {
			if old, ok := current.Subnets[s.Name]; ok && old.NSGID != "" {
				props.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: ptr(old.NSGID)}
			}
		}
		body.Properties.Subnets = append(body.Properties.Subnets, &armnetwork.Subnet{Name: ptr(s.Name), Properties: props})
	}
	tflog.Info(ctx, "writing virtual network", map[string]any{"resource_group": group, "name": name, "subnets": len(subnets)})
	poller, err := c.VirtualNetworks().BeginCreateOrUpdate(ctx, group, name, body, nil)
	if err != nil {
		return nil, err
	}
	resp, err := azure.Wait(ctx, poller)
	if err != nil {
		return nil, err
	}
	return fromARM(&resp.VirtualNetwork, group), nil
}

// deleteVNet deletes a network and waits; one already gone is fine.
func deleteVNet(ctx context.Context, c *azure.Client, group, name string) error {
	unlock, err := azure.LockVirtualNetwork(ctx, vnetID(c, group, name))
	if err != nil {
		return err
	}
	defer unlock()
	tflog.Info(ctx, "deleting virtual network", map[string]any{"resource_group": group, "name": name})
	return azure.Delete(ctx, func() (*runtime.Poller[armnetwork.VirtualNetworksClientDeleteResponse], error) {
		return c.VirtualNetworks().BeginDelete(ctx, group, name, nil)
	})
}

// vnetID is the id of a network of the client's subscription.
func vnetID(c *azure.Client, group, name string) string {
	return testNetworkID(c.SubscriptionID, group, name)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func ptr[T any](v T) *T { return &v }

func ptrs(in []string) []*string {
	out := make([]*string, len(in))
	for i := range in {
		out[i] = ptr(in[i])
	}
	return out
}
