package network

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Virtual networks and their subnets (api-version 2024-05-01 as armnetwork/v6
// sends it). A network's record holds its subnets and peerings; a PUT of the
// network replaces its subnets (those left out are deleted, as in ARM) and
// keeps its peerings, which only their own URLs change.

type virtualNetworks = networkResources[VNet, *VNet]

func (s *Service) virtualNetworks() *virtualNetworks {
	return &virtualNetworks{s: s, collection: "virtualNetworks", typ: VNetType, param: "virtualNetworkName",
		operations: "VirtualNetworks", build: s.buildVNet,
		view: func(r store.Reader, n *VNet) any { return s.viewVNet(r, n) }}
}

func (s *Service) subnets(vnets *virtualNetworks) service.ResourceType {
	return &inlineChildren[VNet, Subnet, *VNet, *Subnet]{
		parent: vnets, collection: "subnets", typ: subnetType, param: "subnetName", operations: "Subnets",
		items: func(n *VNet) *[]Subnet { return &n.Properties.Subnets },
		prepare: func(tx *store.Tx, n *VNet, _, _ *Subnet) error {
			return s.validateVNet(tx, n)
		},
		view: func(_ store.Reader, n *VNet, sn *Subnet) any {
			return sharedEtag([]Subnet{*sn}, n.Etag)[0]
		},
	}
}

// buildVNet is the network a PUT stores.
func (s *Service) buildVNet(tx *store.Tx, in, cur *VNet, id, name string) (*VNet, error) {
	n := &VNet{TrackedResource: NewTrackedResource(id, name, VNetType, in.Location, in.Tags),
		Properties: vnetProperties{AddressSpace: in.Properties.AddressSpace, Subnets: in.Properties.Subnets,
			VirtualNetworkPeerings: []peeringRecord{}, EnableDdosProtection: in.Properties.EnableDdosProtection,
			ProvisioningState: service.StateUpdating, ResourceGUID: arm.NewGUID()}}
	if cur != nil {
		n.ID, n.Name, n.Properties.ResourceGUID = cur.ID, cur.Name, cur.Properties.ResourceGUID
		n.Properties.VirtualNetworkPeerings = cur.Properties.VirtualNetworkPeerings
	}
	if n.Properties.Subnets == nil {
		n.Properties.Subnets = []Subnet{}
	}
	for i := range n.Properties.Subnets {
		n.Properties.Subnets[i].Properties.ProvisioningState = service.StateUpdating
	}
	if err := s.validateVNet(tx, n); err != nil {
		return nil, err
	}
	return n, s.checkPeeredSpace(tx, n)
}

// checkPeeredSpace refuses an address space overlapping that of a network
// this one is peered with.
func (s *Service) checkPeeredSpace(r store.Reader, n *VNet) error {
	return peeredNetworks(r, n, func(_ *peeringRecord, remote *VNet) error {
		if o := overlaps(parsedSpace(n), parsedSpace(remote)); len(o) > 0 {
			return arm.VnetAddressSpaceOverlapsWithAlreadyPeeredVnet(n.ID, o[0][0].String(), remote.ID, o[0][1].String(), n.ID)
		}
		return nil
	})
}

// viewVNet is the network as ARM shows it: its state, its subnets sharing
// its etag, its peerings' states derived now.
func (s *Service) viewVNet(r store.Reader, n *VNet) *VNet {
	out := *n
	out.Properties.ProvisioningState = s.shownState(r, n.ID, n.Properties.ProvisioningState)
	out.Properties.Subnets = sharedEtag(n.Properties.Subnets, n.Etag)
	out.Properties.VirtualNetworkPeerings = make([]peeringRecord, len(n.Properties.VirtualNetworkPeerings))
	for i, p := range n.Properties.VirtualNetworkPeerings {
		out.Properties.VirtualNetworkPeerings[i] = s.viewPeering(r, n, p)
	}
	return &out
}

// hasGateway reports whether a network has a gateway. The emulator serves
// no virtualNetworkGateways: a subnet named GatewaySubnet stands for one.
func hasGateway(n *VNet) bool {
	return IndexByName(n.Properties.Subnets, GatewaySubnet) >= 0
}
