package network

import (
	"fmt"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Microsoft.Network as stored. A virtual network is one record holding its
// subnets and peerings, and a network security group one record holding its
// rules: the parent is the single source of truth, so the inline view
// (GET virtualNetworks) and the child view (GET .../subnets/x) can never
// disagree. What depends on other resources is derived on every read:
// peering states, an NSG's list of associated subnets, and a parent's
// provisioningState while one of its children is being written.

const (
	networkNamespace = "Microsoft.Network"
	VNetType         = "Microsoft.Network/virtualNetworks"
	subnetType       = VNetType + "/subnets"
	peeringType      = VNetType + "/virtualNetworkPeerings"
	nsgType          = "Microsoft.Network/networkSecurityGroups"
	ruleType         = nsgType + "/securityRules"
	defaultRuleType  = nsgType + "/defaultSecurityRules"

	// Simulated durations: Azure takes seconds for these.
	networkWriteDuration  = 5 * time.Second
	networkDeleteDuration = 10 * time.Second
	childWriteDuration    = 3 * time.Second
	childDeleteDuration   = 3 * time.Second

	GatewaySubnet = "GatewaySubnet"
)

// networkParent is what the generic handlers need of a stored parent
// (*VNet, *nsgRecord).
type networkParent interface {
	resourceID() string
	region() string
	setRegion(string)
	// touch gives the parent (and so its children) a new etag.
	touch()
	// finishWrite sets the parent's state and that of every child still
	// "Updating" (children written with the parent's PUT).
	finishWrite(state string)
	setProvisioningState(string)
}

// networkChild is what the generic handlers need of a child held inline
// (*Subnet, *peeringRecord, *ruleRecord).
type networkChild interface {
	childName() string
	setName(string)
	setEtag(string)
	provisioningState() string
	setProvisioningState(string)
}

// SubResource is a reference to another resource by id, as ARM nests them.
type SubResource struct {
	ID string `json:"id"`
}

type addressSpace struct {
	AddressPrefixes []string `json:"addressPrefixes"`
}

// TrackedResource is what every top-level network record has.
type TrackedResource struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Type     string            `json:"type"`
	Location string            `json:"location"`
	Tags     map[string]string `json:"tags,omitempty"`
	Etag     string            `json:"etag,omitempty"`
}

// NewTrackedResource is the header of a new top-level record, with a fresh
// etag.
func NewTrackedResource(id, name, typ, location string, tags map[string]string) TrackedResource {
	return TrackedResource{ID: id, Name: name, Type: typ, Location: location, Tags: tags, Etag: service.NewEtag()}
}

func (t *TrackedResource) resourceID() string { return t.ID }
func (t *TrackedResource) region() string     { return t.Location }
func (t *TrackedResource) setRegion(l string) { t.Location = l }
func (t *TrackedResource) touch()             { t.Etag = service.NewEtag() }

// childResource is what every child record has.
type childResource struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
	Type string `json:"type,omitempty"`
	Etag string `json:"etag,omitempty"`
}

func (c *childResource) childName() string { return c.Name }
func (c *childResource) setName(n string)  { c.Name = n }
func (c *childResource) setEtag(e string)  { c.Etag = e }

// settleChildren gives every child still "Updating" (written with its
// parent's PUT) the parent's final state.
func settleChildren[C any, CP interface {
	*C
	networkChild
}](items []C, state string) {
	for i := range items {
		if c := CP(&items[i]); c.provisioningState() == service.StateUpdating {
			c.setProvisioningState(state)
		}
	}
}

// sharedEtag copies children with their parent's etag, which ARM shows on
// every child.
func sharedEtag[C any, CP interface {
	*C
	networkChild
}](items []C, etag string) []C {
	out := append([]C{}, items...)
	for i := range out {
		CP(&out[i]).setEtag(etag)
	}
	return out
}

// VNet is a virtual network as stored (subnets and peerings inline) and
// as ARM returns it.
type VNet struct {
	TrackedResource
	Properties vnetProperties `json:"properties"`
}

type vnetProperties struct {
	AddressSpace           addressSpace    `json:"addressSpace"`
	Subnets                []Subnet        `json:"subnets"`
	VirtualNetworkPeerings []peeringRecord `json:"virtualNetworkPeerings"`
	EnableDdosProtection   bool            `json:"enableDdosProtection"`
	ProvisioningState      string          `json:"provisioningState"`
	ResourceGUID           string          `json:"resourceGuid,omitempty"`
}

func (v *VNet) setProvisioningState(state string) { v.Properties.ProvisioningState = state }

func (v *VNet) finishWrite(state string) {
	v.Properties.ProvisioningState = state
	settleChildren(v.Properties.Subnets, state)
}

// Subnet is a subnet as held in its VNet.
type Subnet struct {
	childResource
	Properties subnetProperties `json:"properties"`
}

type subnetProperties struct {
	AddressPrefix                     string       `json:"addressPrefix,omitempty"`
	AddressPrefixes                   []string     `json:"addressPrefixes,omitempty"`
	NetworkSecurityGroup              *SubResource `json:"networkSecurityGroup,omitempty"`
	PrivateEndpointNetworkPolicies    string       `json:"privateEndpointNetworkPolicies,omitempty"`
	PrivateLinkServiceNetworkPolicies string       `json:"privateLinkServiceNetworkPolicies,omitempty"`
	ProvisioningState                 string       `json:"provisioningState"`
}

func (s *Subnet) provisioningState() string         { return s.Properties.ProvisioningState }
func (s *Subnet) setProvisioningState(state string) { s.Properties.ProvisioningState = state }

// Prefixes are the subnet's ranges, whichever field the client used.
func (s *Subnet) Prefixes() []string {
	if s.Properties.AddressPrefix != "" {
		return []string{s.Properties.AddressPrefix}
	}
	return s.Properties.AddressPrefixes
}

type peeringRecord struct {
	childResource
	Properties peeringProperties `json:"properties"`
}

type peeringProperties struct {
	RemoteVirtualNetwork             *SubResource  `json:"remoteVirtualNetwork"`
	AllowVirtualNetworkAccess        *bool         `json:"allowVirtualNetworkAccess,omitempty"`
	AllowForwardedTraffic            *bool         `json:"allowForwardedTraffic,omitempty"`
	AllowGatewayTransit              *bool         `json:"allowGatewayTransit,omitempty"`
	UseRemoteGateways                *bool         `json:"useRemoteGateways,omitempty"`
	DoNotVerifyRemoteGateways        *bool         `json:"doNotVerifyRemoteGateways,omitempty"`
	PeeringState                     string        `json:"peeringState,omitempty"`
	PeeringSyncLevel                 string        `json:"peeringSyncLevel,omitempty"`
	RemoteAddressSpace               *addressSpace `json:"remoteAddressSpace,omitempty"`
	RemoteVirtualNetworkAddressSpace *addressSpace `json:"remoteVirtualNetworkAddressSpace,omitempty"`
	ResourceGUID                     string        `json:"resourceGuid,omitempty"`
	ProvisioningState                string        `json:"provisioningState"`
	// Link is the emulator's own bookkeeping, stored and never shown (see
	// peeringState).
	Link *peeringLink `json:"emulatorLink,omitempty"`
}

// peeringLink is what a peering remembers to tell Disconnected from
// Initiated: which incarnation of the remote network it was made with, and
// whether the remote side has peered back since.
type peeringLink struct {
	RemoteGUID string `json:"remoteGuid"`
	Connected  bool   `json:"connected,omitempty"`
}

func (p *peeringRecord) provisioningState() string         { return p.Properties.ProvisioningState }
func (p *peeringRecord) setProvisioningState(state string) { p.Properties.ProvisioningState = state }

func (p *peeringRecord) remoteID() string {
	if p.Properties.RemoteVirtualNetwork == nil {
		return ""
	}
	return p.Properties.RemoteVirtualNetwork.ID
}

type nsgRecord struct {
	TrackedResource
	Properties nsgProperties `json:"properties"`
}

type nsgProperties struct {
	SecurityRules        []ruleRecord  `json:"securityRules"`
	DefaultSecurityRules []ruleRecord  `json:"defaultSecurityRules,omitempty"` // derived on read
	Subnets              []SubResource `json:"subnets,omitempty"`              // derived on read
	ProvisioningState    string        `json:"provisioningState"`
	ResourceGUID         string        `json:"resourceGuid,omitempty"`
}

func (g *nsgRecord) setProvisioningState(state string) { g.Properties.ProvisioningState = state }

func (g *nsgRecord) finishWrite(state string) {
	g.Properties.ProvisioningState = state
	settleChildren(g.Properties.SecurityRules, state)
}

type ruleRecord struct {
	childResource
	Properties ruleProperties `json:"properties"`
}

type ruleProperties struct {
	Description                string   `json:"description,omitempty"`
	Protocol                   string   `json:"protocol"`
	SourcePortRange            string   `json:"sourcePortRange,omitempty"`
	SourcePortRanges           []string `json:"sourcePortRanges,omitempty"`
	DestinationPortRange       string   `json:"destinationPortRange,omitempty"`
	DestinationPortRanges      []string `json:"destinationPortRanges,omitempty"`
	SourceAddressPrefix        string   `json:"sourceAddressPrefix,omitempty"`
	SourceAddressPrefixes      []string `json:"sourceAddressPrefixes,omitempty"`
	DestinationAddressPrefix   string   `json:"destinationAddressPrefix,omitempty"`
	DestinationAddressPrefixes []string `json:"destinationAddressPrefixes,omitempty"`
	Access                     string   `json:"access"`
	Priority                   *int     `json:"priority,omitempty"`
	Direction                  string   `json:"direction"`
	ProvisioningState          string   `json:"provisioningState"`
}

func (r *ruleRecord) provisioningState() string         { return r.Properties.ProvisioningState }
func (r *ruleRecord) setProvisioningState(state string) { r.Properties.ProvisioningState = state }

// ID is the id of a Microsoft.Network resource of a collection in a group.
func ID(sub, group, collection, name string) string {
	return fmt.Sprintf("%s/providers/%s/%s/%s", arm.ResourceGroupID(sub, group), networkNamespace, collection, name)
}

func childID(parentID, collection, name string) string {
	return parentID + "/" + collection + "/" + name
}

// inGroup reports whether id lies inside the resource group groupID.
func inGroup(id, groupID string) bool {
	return strings.HasPrefix(strings.ToLower(id), strings.ToLower(groupID)+"/")
}

// IndexByName finds a child by name, case-insensitively as ARM does; -1 when
// there is none.
func IndexByName[C any, CP interface {
	*C
	networkChild
}](items []C, name string) int {
	for i := range items {
		if strings.EqualFold(CP(&items[i]).childName(), name) {
			return i
		}
	}
	return -1
}

// GetVNet reads a stored virtual network by id.
func GetVNet(r store.Reader, id string) (*VNet, bool, error) {
	return service.GetJSON[VNet](r, id)
}
func getNSG(r store.Reader, id string) (*nsgRecord, bool, error) {
	return service.GetJSON[nsgRecord](r, id)
}

// shownState is a parent's provisioningState as ARM shows it: "Updating"
// while one of its children is being written, the stored state otherwise.
func (s *Service) shownState(r store.Reader, id, stored string) string {
	if stored == service.StateSucceeded {
		if _, busy, _ := s.Ops.InFlightUnder(r, id); busy {
			return service.StateUpdating
		}
	}
	return stored
}
