package network

import (
	"fmt"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Virtual network peerings, held in their network's record.
//
// peeringState is derived on every read, as Azure reports it:
//   - Initiated: this side exists, the remote network has not peered back;
//   - Connected: the remote network has a peering back to this one;
//   - Disconnected: the remote side went away after being connected (its
//     peering was deleted), or the remote network was deleted (or deleted
//     and re-created: a peering belongs to one incarnation of the remote).
//
// A Disconnected peering must be updated (PUT again) or re-created to go back
// to Initiated; peering back to it is refused (RemotePeeringIsDisconnected).

const (
	peeringInitiated    = "Initiated"
	peeringConnected    = "Connected"
	peeringDisconnected = "Disconnected"
)

func (s *Service) peerings(vnets *virtualNetworks) service.ResourceType {
	return &inlineChildren[VNet, peeringRecord, *VNet, *peeringRecord]{
		parent: vnets, collection: "virtualNetworkPeerings", typ: peeringType, param: "virtualNetworkPeeringName",
		operations: "VirtualNetworkPeerings",
		items:      func(n *VNet) *[]peeringRecord { return &n.Properties.VirtualNetworkPeerings },
		prepare:    s.preparePeering,
		view:       func(r store.Reader, n *VNet, p *peeringRecord) any { return s.viewPeering(r, n, *p) },
	}
}

// sameIncarnation reports whether remote is the network p was made with.
func sameIncarnation(remote *VNet, p *peeringRecord) bool {
	return p.Properties.Link != nil && strings.EqualFold(p.Properties.Link.RemoteGUID, remote.Properties.ResourceGUID)
}

// peeringTo finds remote's peering towards the network localID, or nil.
func peeringTo(remote *VNet, localID string) *peeringRecord {
	for i := range remote.Properties.VirtualNetworkPeerings {
		if q := &remote.Properties.VirtualNetworkPeerings[i]; strings.EqualFold(q.remoteID(), localID) {
			return q
		}
	}
	return nil
}

// peeringState derives the state of local's peering p (see above).
func peeringState(r store.Reader, local *VNet, p *peeringRecord) string {
	remote, ok, _ := GetVNet(r, p.remoteID())
	if !ok || !sameIncarnation(remote, p) {
		return peeringDisconnected
	}
	if q := peeringTo(remote, local.ID); q != nil && sameIncarnation(local, q) {
		return peeringConnected
	}
	if p.Properties.Link.Connected {
		return peeringDisconnected
	}
	return peeringInitiated
}

// viewPeering is a peering as ARM shows it: state and remote address space
// derived now, the emulator's bookkeeping left out.
func (s *Service) viewPeering(r store.Reader, local *VNet, p peeringRecord) peeringRecord {
	p.Etag = local.Etag
	p.Properties.PeeringState = peeringState(r, local, &p)
	p.Properties.PeeringSyncLevel = "FullyInSync"
	if remote, ok, _ := GetVNet(r, p.remoteID()); ok {
		space := addressSpace{AddressPrefixes: append([]string{}, remote.Properties.AddressSpace.AddressPrefixes...)}
		p.Properties.RemoteAddressSpace, p.Properties.RemoteVirtualNetworkAddressSpace = &space, &space
	}
	p.Properties.Link = nil
	return p
}

// preparePeering applies Azure's checks to local's peering p and links it:
// when the remote network already peers back, both sides become Connected.
func (s *Service) preparePeering(tx *store.Tx, local *VNet, p, old *peeringRecord) error {
	p.ID, p.Type = childID(local.ID, "virtualNetworkPeerings", p.Name), peeringType
	remoteID := p.remoteID()
	if remoteID == "" {
		return arm.InvalidRequestFormat(fmt.Sprintf("Peering %s must name the remote network in properties.remoteVirtualNetwork.id.", p.ID))
	}
	if err := checkNetworkRef(remoteID, "virtualNetworks", "properties.remoteVirtualNetwork.id"); err != nil {
		return err
	}
	remote, ok, err := GetVNet(tx, remoteID)
	if err != nil {
		return err
	}
	if !ok {
		return arm.InvalidGlobalResourceReference(remoteID, p.ID)
	}
	if st := s.shownState(tx, remote.ID, remote.Properties.ProvisioningState); st != service.StateSucceeded {
		return arm.ReferencedResourceNotProvisioned(remote.ID, p.ID, st)
	}
	p.Properties.RemoteVirtualNetwork.ID = remote.ID
	if err := checkPeeringSpaces(tx, local, p, remote); err != nil {
		return err
	}
	if isTrue(p.Properties.UseRemoteGateways) && !hasGateway(remote) {
		return arm.RemoteVnetHasNoGateways(p.ID, remote.ID)
	}
	props := &p.Properties
	props.AllowVirtualNetworkAccess = orDefault(props.AllowVirtualNetworkAccess, true)
	props.AllowForwardedTraffic = orDefault(props.AllowForwardedTraffic, false)
	props.AllowGatewayTransit = orDefault(props.AllowGatewayTransit, false)
	props.UseRemoteGateways = orDefault(props.UseRemoteGateways, false)
	props.DoNotVerifyRemoteGateways = orDefault(props.DoNotVerifyRemoteGateways, false)
	props.PeeringState, props.PeeringSyncLevel, props.RemoteAddressSpace, props.RemoteVirtualNetworkAddressSpace = "", "", nil, nil
	props.ResourceGUID = arm.NewGUID()
	if old != nil {
		props.ResourceGUID = old.Properties.ResourceGUID
	}
	props.Link = &peeringLink{RemoteGUID: remote.Properties.ResourceGUID}
	back := peeringTo(remote, local.ID)
	if back == nil {
		return nil
	}
	// The remote side is judged against local as stored, before this write.
	if peeringState(tx, remote, back) == peeringDisconnected {
		return arm.RemotePeeringIsDisconnected(p.ID, back.ID, remote.ID)
	}
	props.Link.Connected, back.Properties.Link.Connected = true, true
	remote.touch()
	return service.PutJSON(tx, remote.ID, remote)
}

// checkPeeringSpaces refuses a peering whose two networks overlap, or whose
// remote network overlaps another network local is already peered with.
func checkPeeringSpaces(r store.Reader, local *VNet, p *peeringRecord, remote *VNet) error {
	if o := overlaps(parsedSpace(local), parsedSpace(remote)); len(o) > 0 {
		var list []string
		for _, pair := range o {
			list = append(list, pair[0].String())
		}
		return arm.PeeredAddressSpacesOverlap(p.ID, local.ID, remote.ID, list)
	}
	return peeredNetworks(r, local, func(other *peeringRecord, peered *VNet) error {
		if strings.EqualFold(other.Name, p.Name) || strings.EqualFold(peered.ID, remote.ID) {
			return nil
		}
		if o := overlaps(parsedSpace(remote), parsedSpace(peered)); len(o) > 0 {
			return arm.VnetAddressSpaceOverlapsWithAlreadyPeeredVnet(remote.ID, o[0][0].String(), peered.ID, o[0][1].String(), local.ID)
		}
		return nil
	})
}

// peeredNetworks calls f with each of n's peerings whose remote network still
// exists (the incarnation the peering was made with), until f fails.
func peeredNetworks(r store.Reader, n *VNet, f func(p *peeringRecord, remote *VNet) error) error {
	for i := range n.Properties.VirtualNetworkPeerings {
		p := &n.Properties.VirtualNetworkPeerings[i]
		remote, ok, err := GetVNet(r, p.remoteID())
		if err != nil {
			return err
		}
		if ok && sameIncarnation(remote, p) {
			if err := f(p, remote); err != nil {
				return err
			}
		}
	}
	return nil
}

func isTrue(b *bool) bool { return b != nil && *b }

func orDefault(b *bool, def bool) *bool {
	if b == nil {
		return &def
	}
	return b
}
