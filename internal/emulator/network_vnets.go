package emulator

import (
	"net/http"
	"net/netip"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

// virtualNetworks serves Microsoft.Network virtualNetworks with their subnets
// and peerings (api-version 2024-05-01 as armnetwork/v6 sends it). Network
// writes are long-running; subnet and peering writes answer at once with a
// terminal provisioningState, which the SDK's pollers accept as done.
type virtualNetworks struct{ s *Server }

const (
	vnetPath     = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualNetworks/{virtualNetworkName}"
	subnetPath   = vnetPath + "/subnets/{subnetName}"
	peeringPath  = vnetPath + "/virtualNetworkPeerings/{virtualNetworkPeeringName}"
	vnetListPath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualNetworks"
	vnetAllPath  = "/subscriptions/{subscriptionId}/providers/Microsoft.Network/virtualNetworks"
)

func (v *virtualNetworks) routes() []route {
	return []route{
		{method: http.MethodPut, pattern: vnetPath, operation: "VirtualNetworks_CreateOrUpdate", handle: v.put},
		{method: http.MethodGet, pattern: vnetPath, operation: "VirtualNetworks_Get", handle: v.get},
		{method: http.MethodDelete, pattern: vnetPath, operation: "VirtualNetworks_Delete", handle: v.delete},
		{method: http.MethodGet, pattern: vnetListPath, operation: "VirtualNetworks_List", handle: v.list},
		{method: http.MethodGet, pattern: vnetAllPath, operation: "VirtualNetworks_ListAll", handle: v.list},
		{method: http.MethodPut, pattern: subnetPath, operation: "Subnets_CreateOrUpdate", handle: v.putSubnet},
		{method: http.MethodGet, pattern: subnetPath, operation: "Subnets_Get", handle: v.getSubnet},
		{method: http.MethodDelete, pattern: subnetPath, operation: "Subnets_Delete", handle: v.deleteSubnet},
		{method: http.MethodGet, pattern: vnetPath + "/subnets", operation: "Subnets_List", handle: v.listSubnets},
		{method: http.MethodPut, pattern: peeringPath, operation: "VirtualNetworkPeerings_CreateOrUpdate", handle: v.putPeering},
		{method: http.MethodGet, pattern: peeringPath, operation: "VirtualNetworkPeerings_Get", handle: v.getPeering},
		{method: http.MethodDelete, pattern: peeringPath, operation: "VirtualNetworkPeerings_Delete", handle: v.deletePeering},
		{method: http.MethodGet, pattern: vnetPath + "/virtualNetworkPeerings", operation: "VirtualNetworkPeerings_List", handle: v.listPeerings},
	}
}

func (v *virtualNetworks) operationKinds() []lro.Kind {
	return []lro.Kind{
		lro.ProvisioningKind(kindVNetWrite, networkNamespace, networkWriteDuration),
		{Name: kindVNetDelete, Namespace: networkNamespace, Duration: networkDeleteDuration,
			Complete: func(tx *store.Tx, op *lro.Operation) error { tx.Delete(op.ResourceID); return nil }},
	}
}

func (v *virtualNetworks) id(req *request) string {
	return networkID(req.param("subscriptionId"), req.param("resourceGroupName"), "virtualNetworks", req.param("virtualNetworkName"))
}

// find returns the network the request names, or ARM's 404s.
func (v *virtualNetworks) find(r store.Reader, req *request) (*vnetRecord, error) {
	if _, err := requireGroup(r, req); err != nil {
		return nil, err
	}
	n, ok, err := getVNet(r, v.id(req))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceNotFound(vnetType, req.param("virtualNetworkName"), req.param("resourceGroupName"))
	}
	return n, nil
}

func (v *virtualNetworks) put(req *request) (arm.Response, error) {
	var in vnetRecord
	if err := req.decode(&in); err != nil {
		return arm.Response{}, err
	}
	location := regions.Canonical(in.Location)
	if location == "" {
		return arm.Response{}, arm.LocationNotAvailableForResourceType(in.Location, vnetType, regions.Names())
	}
	var resp arm.Response
	err := v.s.store.Update(func(tx *store.Tx) error {
		if _, err := v.s.requireWritableGroup(tx, req.param("subscriptionId"), req.param("resourceGroupName")); err != nil {
			return err
		}
		id := v.id(req)
		cur, exists, err := getVNet(tx, id)
		if err != nil {
			return err
		}
		n := &vnetRecord{ID: id, Name: req.param("virtualNetworkName"), Type: vnetType, Location: location, Tags: in.Tags,
			Etag: newEtag(), Properties: vnetProperties{AddressSpace: in.Properties.AddressSpace, Subnets: in.Properties.Subnets,
				ProvisioningState: "Updating", ResourceGUID: arm.NewGUID()}}
		status := http.StatusCreated
		if exists {
			if cur.Location != location {
				return arm.BadRequest("InvalidResourceLocation", "The resource '%s' already exists in location '%s'; it cannot move to '%s'.", n.Name, cur.Location, location)
			}
			// Peerings are managed through their own API and survive a PUT.
			n.Properties.VirtualNetworkPeerings, n.Properties.ResourceGUID, status = cur.Properties.VirtualNetworkPeerings, cur.Properties.ResourceGUID, http.StatusOK
		}
		if err := v.s.validateVNet(tx, n); err != nil {
			return err
		}
		op, err := v.s.ops.Start(tx, lro.Spec{Kind: kindVNetWrite, ResourceID: id, Location: location, Method: http.MethodPut, APIVersion: req.apiVersion})
		if err != nil {
			return err
		}
		if err := putJSON(tx, id, n); err != nil {
			return err
		}
		resp = v.s.ops.WithPolling(req.base, op, arm.JSON(status, v.s.viewVNet(tx, n)))
		return nil
	})
	return resp, err
}

// validateVNet applies Azure's checks to a network about to be stored and
// completes its subnets' ids. Nothing is written when it fails.
func (s *Server) validateVNet(r store.Reader, n *vnetRecord) error {
	if len(n.Properties.AddressSpace.AddressPrefixes) == 0 {
		return arm.BadRequest("InvalidRequestFormat", "Virtual network %s must have at least one address prefix in properties.addressSpace.addressPrefixes.", n.Name)
	}
	var space []netip.Prefix
	for _, a := range n.Properties.AddressSpace.AddressPrefixes {
		p, err := parseCIDR("virtual network "+n.Name, a)
		if err != nil {
			return err
		}
		for _, q := range space {
			if p.Overlaps(q) {
				return arm.BadRequest("VnetAddressSpacesOverlap", "Address prefixes %s and %s of virtual network %s overlap.", q, p, n.Name)
			}
		}
		space = append(space, p)
	}
	type placed struct {
		name   string
		prefix netip.Prefix
	}
	var seen []placed
	names := map[string]bool{}
	for i := range n.Properties.Subnets {
		sn := &n.Properties.Subnets[i]
		if sn.Name == "" || names[strings.ToLower(sn.Name)] {
			return arm.BadRequest("DuplicateResourceName", "Virtual network %s has more than one subnet named '%s' (or one without a name).", n.Name, sn.Name)
		}
		names[strings.ToLower(sn.Name)] = true
		if len(sn.prefixes()) == 0 {
			return arm.BadRequest("InvalidRequestFormat", "Subnet %s has no addressPrefix.", sn.Name)
		}
		for _, a := range sn.prefixes() {
			p, err := parseCIDR("subnet "+sn.Name, a)
			if err != nil {
				return err
			}
			inside := false
			for _, b := range space {
				inside = inside || b.Contains(p.Addr()) && p.Bits() >= b.Bits()
			}
			if !inside {
				return arm.BadRequest("NetcfgSubnetRangeOutsideVnet", "Subnet '%s' is not valid because its IP address range is outside the IP address range of virtual network '%s'.", sn.Name, n.Name)
			}
			for _, o := range seen {
				if o.prefix.Overlaps(p) {
					return arm.BadRequest("NetcfgSubnetRangesOverlap", "Subnet '%s' is not valid in virtual network '%s' because its IP address range overlaps with that of an existing subnet '%s'.", sn.Name, n.Name, o.name)
				}
			}
			seen = append(seen, placed{sn.Name, p})
		}
		if nsg := sn.Properties.NetworkSecurityGroup; nsg != nil {
			if strings.EqualFold(sn.Name, gatewaySubnet) {
				return arm.BadRequest("NetworkSecurityGroupNotCompliantForGatewaySubnet", "Network security group %s cannot be attached to GatewaySubnet of virtual network %s.", nsg.ID, n.Name)
			}
			if _, ok, err := getNSG(r, nsg.ID); err != nil || !ok {
				return arm.BadRequest("InvalidResourceReference", "Resource %s referenced by resource %s/subnets/%s was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.", nsg.ID, n.ID, sn.Name)
			}
		}
		sn.ID, sn.Type, sn.Etag = n.ID+"/subnets/"+sn.Name, subnetType, newEtag()
		sn.Properties.ProvisioningState = "Succeeded"
	}
	return nil
}

// viewVNet is the network as ARM shows it: peering states derived now.
func (s *Server) viewVNet(r store.Reader, n *vnetRecord) *vnetRecord {
	out := *n
	out.Properties.Subnets = append([]subnetRecord{}, n.Properties.Subnets...)
	out.Properties.VirtualNetworkPeerings = make([]peeringRecord, len(n.Properties.VirtualNetworkPeerings))
	for i, p := range n.Properties.VirtualNetworkPeerings {
		out.Properties.VirtualNetworkPeerings[i] = s.viewPeering(r, n, p)
	}
	return &out
}

// viewPeering derives the peering's state: Connected when the remote network
// peers back, Initiated when it does not yet, Disconnected when it is gone.
func (s *Server) viewPeering(r store.Reader, local *vnetRecord, p peeringRecord) peeringRecord {
	p.Properties.PeeringState = "Disconnected"
	if p.Properties.RemoteVirtualNetwork != nil {
		if remote, ok, _ := getVNet(r, p.Properties.RemoteVirtualNetwork.ID); ok {
			p.Properties.PeeringState = "Initiated"
			p.Properties.RemoteAddressSpace = &remote.Properties.AddressSpace
			for _, back := range remote.Properties.VirtualNetworkPeerings {
				if back.Properties.RemoteVirtualNetwork != nil && strings.EqualFold(back.Properties.RemoteVirtualNetwork.ID, local.ID) {
					p.Properties.PeeringState = "Connected"
				}
			}
		}
	}
	return p
}

func (v *virtualNetworks) get(req *request) (arm.Response, error) {
	n, err := v.find(v.s.store, req)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, v.s.viewVNet(v.s.store, n)), nil
}

func (v *virtualNetworks) list(req *request) (arm.Response, error) {
	prefix := "/subscriptions/" + req.param("subscriptionId") + "/"
	if g := req.param("resourceGroupName"); g != "" {
		rg, err := requireGroup(v.s.store, req)
		if err != nil {
			return arm.Response{}, err
		}
		prefix = rg.ID + "/"
	}
	all, err := networkRecords[vnetRecord](v.s.store, prefix, vnetType)
	if err != nil {
		return arm.Response{}, err
	}
	out := make([]*vnetRecord, len(all))
	for i, n := range all {
		out[i] = v.s.viewVNet(v.s.store, n)
	}
	return arm.JSON(http.StatusOK, list[*vnetRecord]{Value: out}), nil
}

func (v *virtualNetworks) delete(req *request) (arm.Response, error) {
	var resp arm.Response
	err := v.s.store.Update(func(tx *store.Tx) error {
		n, err := v.find(tx, req)
		if err != nil {
			return err
		}
		op, err := v.s.ops.Start(tx, lro.Spec{Kind: kindVNetDelete, ResourceID: n.ID, Location: n.Location, Method: http.MethodDelete, APIVersion: req.apiVersion})
		if err != nil {
			return err
		}
		n.Properties.ProvisioningState = "Deleting"
		resp = v.s.ops.Accepted(req.base, op)
		return putJSON(tx, n.ID, n)
	})
	return resp, err
}

// writeChild changes a network through one of its child resources, in one
// transaction, refusing while the network itself is being written.
func (v *virtualNetworks) writeChild(req *request, change func(tx *store.Tx, n *vnetRecord) (arm.Response, error)) (arm.Response, error) {
	var resp arm.Response
	err := v.s.store.Update(func(tx *store.Tx) error {
		if _, err := v.s.requireWritableGroup(tx, req.param("subscriptionId"), req.param("resourceGroupName")); err != nil {
			return err
		}
		n, err := v.find(tx, req)
		if err != nil {
			return err
		}
		if op, busy, err := v.s.ops.InFlight(tx, n.ID); err != nil {
			return err
		} else if busy {
			return arm.AnotherOperationInProgress(n.ID, op.ID)
		}
		if resp, err = change(tx, n); err != nil {
			return err
		}
		n.Etag = newEtag()
		return putJSON(tx, n.ID, n)
	})
	return resp, err
}

func (v *virtualNetworks) putSubnet(req *request) (arm.Response, error) {
	var in subnetRecord
	if err := req.decode(&in); err != nil {
		return arm.Response{}, err
	}
	name := req.param("subnetName")
	return v.writeChild(req, func(tx *store.Tx, n *vnetRecord) (arm.Response, error) {
		in.Name = name
		status := http.StatusCreated
		subnets := append([]subnetRecord{}, n.Properties.Subnets...)
		replaced := false
		for i := range subnets {
			if strings.EqualFold(subnets[i].Name, name) {
				in.Name, subnets[i], replaced, status = subnets[i].Name, in, true, http.StatusOK
			}
		}
		if !replaced {
			subnets = append(subnets, in)
		}
		trial := *n
		trial.Properties.Subnets = subnets
		if err := v.s.validateVNet(tx, &trial); err != nil {
			return arm.Response{}, err
		}
		n.Properties.Subnets = trial.Properties.Subnets
		for _, sn := range n.Properties.Subnets {
			if strings.EqualFold(sn.Name, name) {
				return arm.JSON(status, sn), nil
			}
		}
		return arm.Response{}, arm.Internal(nil)
	})
}

func (v *virtualNetworks) getSubnet(req *request) (arm.Response, error) {
	n, err := v.find(v.s.store, req)
	if err != nil {
		return arm.Response{}, err
	}
	for _, sn := range n.Properties.Subnets {
		if strings.EqualFold(sn.Name, req.param("subnetName")) {
			return arm.JSON(http.StatusOK, sn), nil
		}
	}
	return arm.Response{}, arm.ResourceNotFound(subnetType, n.Name+"/"+req.param("subnetName"), req.param("resourceGroupName"))
}

func (v *virtualNetworks) listSubnets(req *request) (arm.Response, error) {
	n, err := v.find(v.s.store, req)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, list[subnetRecord]{Value: n.Properties.Subnets}), nil
}

func (v *virtualNetworks) deleteSubnet(req *request) (arm.Response, error) {
	return v.writeChild(req, func(_ *store.Tx, n *vnetRecord) (arm.Response, error) {
		kept := n.Properties.Subnets[:0:0]
		for _, sn := range n.Properties.Subnets {
			if !strings.EqualFold(sn.Name, req.param("subnetName")) {
				kept = append(kept, sn)
			}
		}
		if len(kept) == len(n.Properties.Subnets) {
			return arm.Empty(http.StatusNoContent), nil
		}
		n.Properties.Subnets = kept
		return arm.Empty(http.StatusOK), nil
	})
}

func (v *virtualNetworks) putPeering(req *request) (arm.Response, error) {
	var in peeringRecord
	if err := req.decode(&in); err != nil {
		return arm.Response{}, err
	}
	name := req.param("virtualNetworkPeeringName")
	return v.writeChild(req, func(tx *store.Tx, n *vnetRecord) (arm.Response, error) {
		if in.Properties.RemoteVirtualNetwork == nil || in.Properties.RemoteVirtualNetwork.ID == "" {
			return arm.Response{}, arm.BadRequest("InvalidRequestFormat", "Peering %s needs properties.remoteVirtualNetwork.id.", name)
		}
		remote, ok, err := getVNet(tx, in.Properties.RemoteVirtualNetwork.ID)
		if err != nil {
			return arm.Response{}, err
		}
		if !ok {
			return arm.Response{}, arm.BadRequest("InvalidResourceReference", "Resource %s referenced by resource %s/virtualNetworkPeerings/%s was not found.", in.Properties.RemoteVirtualNetwork.ID, n.ID, name)
		}
		for _, a := range n.Properties.AddressSpace.AddressPrefixes {
			for _, b := range remote.Properties.AddressSpace.AddressPrefixes {
				pa, _ := netip.ParsePrefix(a)
				pb, _ := netip.ParsePrefix(b)
				if pa.Overlaps(pb) {
					return arm.Response{}, arm.BadRequest("VnetAddressSpacesOverlap", "Cannot create or update peering %s. Virtual networks %s and %s cannot be peered because their address spaces overlap (%s, %s).", name, n.ID, remote.ID, a, b)
				}
			}
		}
		in.Name, in.ID, in.Type, in.Etag = name, n.ID+"/virtualNetworkPeerings/"+name, peeringType, newEtag()
		in.Properties.ProvisioningState, in.Properties.PeeringState, in.Properties.RemoteAddressSpace = "Succeeded", "", nil
		status := http.StatusCreated
		peerings := n.Properties.VirtualNetworkPeerings[:0:0]
		for _, p := range n.Properties.VirtualNetworkPeerings {
			if strings.EqualFold(p.Name, name) {
				status = http.StatusOK
				continue
			}
			peerings = append(peerings, p)
		}
		n.Properties.VirtualNetworkPeerings = append(peerings, in)
		return arm.JSON(status, v.s.viewPeering(tx, n, in)), nil
	})
}

func (v *virtualNetworks) getPeering(req *request) (arm.Response, error) {
	n, err := v.find(v.s.store, req)
	if err != nil {
		return arm.Response{}, err
	}
	for _, p := range n.Properties.VirtualNetworkPeerings {
		if strings.EqualFold(p.Name, req.param("virtualNetworkPeeringName")) {
			return arm.JSON(http.StatusOK, v.s.viewPeering(v.s.store, n, p)), nil
		}
	}
	return arm.Response{}, arm.ResourceNotFound(peeringType, n.Name+"/"+req.param("virtualNetworkPeeringName"), req.param("resourceGroupName"))
}

func (v *virtualNetworks) listPeerings(req *request) (arm.Response, error) {
	n, err := v.find(v.s.store, req)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, list[peeringRecord]{Value: v.s.viewVNet(v.s.store, n).Properties.VirtualNetworkPeerings}), nil
}

func (v *virtualNetworks) deletePeering(req *request) (arm.Response, error) {
	return v.writeChild(req, func(_ *store.Tx, n *vnetRecord) (arm.Response, error) {
		kept := n.Properties.VirtualNetworkPeerings[:0:0]
		for _, p := range n.Properties.VirtualNetworkPeerings {
			if !strings.EqualFold(p.Name, req.param("virtualNetworkPeeringName")) {
				kept = append(kept, p)
			}
		}
		if len(kept) == len(n.Properties.VirtualNetworkPeerings) {
			return arm.Empty(http.StatusNoContent), nil
		}
		n.Properties.VirtualNetworkPeerings = kept
		return arm.Empty(http.StatusOK), nil
	})
}

func newEtag() string { return `W/"` + arm.NewGUID() + `"` }
