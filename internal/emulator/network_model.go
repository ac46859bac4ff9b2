package emulator

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Microsoft.Network as stored. A virtual network is one record holding its
// subnets and peerings, and a network security group one record holding its
// rules: the parent is the single source of truth, so the inline view
// (GET virtualNetworks) and the child view (GET .../subnets/x) can never
// disagree. What depends on other resources is derived on every read:
// peering states and the NSG's list of associated subnets.

const (
	networkNamespace = "Microsoft.Network"
	vnetType         = "Microsoft.Network/virtualNetworks"
	subnetType       = "Microsoft.Network/virtualNetworks/subnets"
	peeringType      = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
	nsgType          = "Microsoft.Network/networkSecurityGroups"
	ruleType         = "Microsoft.Network/networkSecurityGroups/securityRules"

	kindVNetWrite  = "Microsoft.Network/virtualNetworks/write"
	kindVNetDelete = "Microsoft.Network/virtualNetworks/delete"
	kindNSGWrite   = "Microsoft.Network/networkSecurityGroups/write"
	kindNSGDelete  = "Microsoft.Network/networkSecurityGroups/delete"

	// Simulated durations: Azure takes seconds for these.
	networkWriteDuration  = 5 * time.Second
	networkDeleteDuration = 10 * time.Second

	gatewaySubnet = "GatewaySubnet"
)

type subResource struct {
	ID string `json:"id"`
}

type addressSpace struct {
	AddressPrefixes []string `json:"addressPrefixes"`
}

type vnetRecord struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags,omitempty"`
	Etag       string            `json:"etag,omitempty"`
	Properties vnetProperties    `json:"properties"`
}

type vnetProperties struct {
	AddressSpace           addressSpace    `json:"addressSpace"`
	Subnets                []subnetRecord  `json:"subnets"`
	VirtualNetworkPeerings []peeringRecord `json:"virtualNetworkPeerings"`
	ProvisioningState      string          `json:"provisioningState"`
	ResourceGUID           string          `json:"resourceGuid,omitempty"`
}

type subnetRecord struct {
	ID         string           `json:"id,omitempty"`
	Name       string           `json:"name"`
	Type       string           `json:"type,omitempty"`
	Etag       string           `json:"etag,omitempty"`
	Properties subnetProperties `json:"properties"`
}

type subnetProperties struct {
	AddressPrefix        string       `json:"addressPrefix,omitempty"`
	AddressPrefixes      []string     `json:"addressPrefixes,omitempty"`
	NetworkSecurityGroup *subResource `json:"networkSecurityGroup,omitempty"`
	ProvisioningState    string       `json:"provisioningState"`
}

// prefixes are the subnet's ranges, whichever field the client used.
func (s *subnetRecord) prefixes() []string {
	if s.Properties.AddressPrefix != "" {
		return append([]string{s.Properties.AddressPrefix}, s.Properties.AddressPrefixes...)
	}
	return s.Properties.AddressPrefixes
}

type peeringRecord struct {
	ID         string            `json:"id,omitempty"`
	Name       string            `json:"name"`
	Type       string            `json:"type,omitempty"`
	Etag       string            `json:"etag,omitempty"`
	Properties peeringProperties `json:"properties"`
}

type peeringProperties struct {
	RemoteVirtualNetwork      *subResource  `json:"remoteVirtualNetwork"`
	AllowVirtualNetworkAccess bool          `json:"allowVirtualNetworkAccess"`
	AllowForwardedTraffic     bool          `json:"allowForwardedTraffic"`
	AllowGatewayTransit       bool          `json:"allowGatewayTransit"`
	UseRemoteGateways         bool          `json:"useRemoteGateways"`
	PeeringState              string        `json:"peeringState,omitempty"`
	RemoteAddressSpace        *addressSpace `json:"remoteAddressSpace,omitempty"`
	ProvisioningState         string        `json:"provisioningState"`
}

type nsgRecord struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags,omitempty"`
	Etag       string            `json:"etag,omitempty"`
	Properties nsgProperties     `json:"properties"`
}

type nsgProperties struct {
	SecurityRules        []ruleRecord  `json:"securityRules"`
	DefaultSecurityRules []ruleRecord  `json:"defaultSecurityRules,omitempty"`
	Subnets              []subResource `json:"subnets,omitempty"` // derived on read
	ProvisioningState    string        `json:"provisioningState"`
	ResourceGUID         string        `json:"resourceGuid,omitempty"`
}

type ruleRecord struct {
	ID         string         `json:"id,omitempty"`
	Name       string         `json:"name"`
	Type       string         `json:"type,omitempty"`
	Etag       string         `json:"etag,omitempty"`
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
	Priority                   int      `json:"priority"`
	Direction                  string   `json:"direction"`
	ProvisioningState          string   `json:"provisioningState"`
}

func networkID(sub, group, typ, name string) string {
	return fmt.Sprintf("%s/providers/%s/%s", arm.ResourceGroupID(sub, group), networkNamespace, typ+"/"+name)
}

func getVNet(r store.Reader, id string) (*vnetRecord, bool, error) { return getJSON[vnetRecord](r, id) }
func getNSG(r store.Reader, id string) (*nsgRecord, bool, error)   { return getJSON[nsgRecord](r, id) }

// networkRecords lists the records of one type in a subscription (or a
// group, with a group prefix), in id order.
func networkRecords[T any](r store.Reader, prefix, typ string) ([]*T, error) {
	marker := strings.ToLower("/providers/" + typ + "/")
	var out []*T
	for _, e := range r.List(strings.ToLower(prefix)) {
		i := strings.Index(e.Key, marker)
		if i < 0 || strings.Contains(e.Key[i+len(marker):], "/") {
			continue
		}
		v, ok, err := getJSON[T](r, e.Key)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// parseCIDR applies Azure's rules to an address prefix.
func parseCIDR(field, s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return p, arm.BadRequest("InvalidAddressPrefixFormat", "Address prefix %s of %s is not in a valid format.", s, field)
	}
	if p.Masked() != p {
		return p, arm.BadRequest("InvalidCIDRNotation", "The address prefix %s in %s has an invalid CIDR notation. For the given prefix length, the address prefix should be %s.", s, field, p.Masked())
	}
	return p, nil
}
