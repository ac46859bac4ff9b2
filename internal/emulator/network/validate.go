package network

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Azure's checks on Microsoft.Network bodies, shared by the API and the
// seed. They run before anything is written, so a refused request changes
// nothing.

// networkNamePattern is the network resource provider's naming rule for
// every type it serves: 1 to 80 word characters, '.', '-' and '_', starting
// with a word character and ending with one or with '_'.
var networkNamePattern = regexp.MustCompile(`^\w([\w.-]{0,78}\w)?$`)

func validateNetworkName(name string) error {
	if !networkNamePattern.MatchString(name) {
		return arm.InvalidNetworkResourceName(name)
	}
	return nil
}

// parseCIDR applies Azure's rules to an address prefix of resourceID.
func parseCIDR(resourceID, s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return p, arm.InvalidAddressPrefixFormat(s, resourceID)
	}
	if p.Masked() != p {
		return p, arm.InvalidCIDRNotation(s, resourceID, p.Masked().String())
	}
	return p, nil
}

// parsedSpace is a network's address space, known to be valid (it was
// checked when stored).
func parsedSpace(v *VNet) []netip.Prefix {
	var out []netip.Prefix
	for _, a := range v.Properties.AddressSpace.AddressPrefixes {
		if p, err := netip.ParsePrefix(a); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// overlaps lists, as "a/b" pairs, the blocks of a that overlap a block of b.
func overlaps(a, b []netip.Prefix) [][2]netip.Prefix {
	var out [][2]netip.Prefix
	for _, p := range a {
		for _, q := range b {
			if p.Overlaps(q) {
				out = append(out, [2]netip.Prefix{p, q})
			}
		}
	}
	return out
}

// checkNetworkRef checks that id has the shape of a reference to a
// Microsoft.Network resource of the given collection; path is where the
// body holds it, for the message.
func checkNetworkRef(id, collection, path string) error {
	if !strings.HasPrefix(strings.ToLower(id), "/subscriptions/") {
		return arm.LinkedInvalidPropertyID(id, path)
	}
	parts := strings.Split(strings.TrimPrefix(id, "/"), "/")
	if len(parts) != 8 || !strings.EqualFold(parts[2], "resourceGroups") || !strings.EqualFold(parts[4], "providers") ||
		!strings.EqualFold(parts[5], networkNamespace) || !strings.EqualFold(parts[6], collection) || parts[7] == "" {
		return arm.InvalidRequestFormat(fmt.Sprintf("Reference Id %s is referencing resource of a wrong type. The Id is expected to reference resources of type %s. Path %s.", id, collection, path))
	}
	return nil
}

// SubscriptionOf is the subscription id in a resource id, lower-cased.
func SubscriptionOf(id string) string {
	sub, _, _ := arm.SplitGroupID(id)
	return strings.ToLower(sub)
}

// validateVNet applies Azure's checks to a network about to be stored (its
// address space and subnets) and completes its subnets' ids and defaults.
func (s *Service) validateVNet(r store.Reader, n *VNet) error {
	if len(n.Properties.AddressSpace.AddressPrefixes) == 0 {
		return arm.NoAddressPrefixOrPoolProvided(fmt.Sprintf("Virtual network '%s'", n.Name))
	}
	var space []netip.Prefix
	for _, a := range n.Properties.AddressSpace.AddressPrefixes {
		p, err := parseCIDR(n.ID, a)
		if err != nil {
			return err
		}
		for _, q := range space {
			if p.Overlaps(q) {
				return arm.VnetAddressSpacesOverlap(n.ID, q.String(), p.String())
			}
		}
		space = append(space, p)
	}
	var placed []netip.Prefix
	names := map[string]bool{}
	for i := range n.Properties.Subnets {
		sn := &n.Properties.Subnets[i]
		if err := validateNetworkName(sn.Name); err != nil {
			return err
		}
		if names[strings.ToLower(sn.Name)] {
			return arm.DuplicateResourceName(n.ID, sn.Name)
		}
		names[strings.ToLower(sn.Name)] = true
		sn.ID, sn.Type = childID(n.ID, "subnets", sn.Name), subnetType
		if sn.Properties.AddressPrefix != "" && len(sn.Properties.AddressPrefixes) > 0 {
			return arm.InvalidRequestFormat(fmt.Sprintf("Invalid configuration on subnet %s; cannot populate both address prefix and address prefixes.", sn.ID))
		}
		if len(sn.Prefixes()) == 0 {
			return arm.NoAddressPrefixOrPoolProvided(fmt.Sprintf("Subnet '%s'", sn.Name))
		}
		for _, a := range sn.Prefixes() {
			p, err := parseCIDR(sn.ID, a)
			if err != nil {
				return err
			}
			if p.Addr().Is4() && p.Bits() > 29 {
				return arm.NetcfgInvalidSubnet(sn.Name, n.Name, fmt.Sprintf("The smallest IPv4 subnet Azure supports is a /29; %s is smaller.", a))
			}
			inside := false
			for _, b := range space {
				inside = inside || b.Contains(p.Addr()) && p.Bits() >= b.Bits()
			}
			if !inside {
				return arm.NetcfgSubnetRangeOutsideVnet(sn.Name, n.Name)
			}
			for _, o := range placed {
				if o.Overlaps(p) {
					return arm.NetcfgSubnetRangesOverlap(sn.Name, n.Name)
				}
			}
			placed = append(placed, p)
		}
		if err := s.checkNSGReference(r, n, sn); err != nil {
			return err
		}
		if sn.Properties.PrivateEndpointNetworkPolicies == "" {
			sn.Properties.PrivateEndpointNetworkPolicies = "Disabled"
		}
		if sn.Properties.PrivateLinkServiceNetworkPolicies == "" {
			sn.Properties.PrivateLinkServiceNetworkPolicies = "Enabled"
		}
	}
	return nil
}

// checkNSGReference checks a subnet's networkSecurityGroup: an existing NSG
// of the network's subscription and region, not being deleted, and never on
// GatewaySubnet. The reference is stored with the NSG's own id.
func (s *Service) checkNSGReference(r store.Reader, n *VNet, sn *Subnet) error {
	ref := sn.Properties.NetworkSecurityGroup
	if ref == nil {
		return nil
	}
	if err := checkNetworkRef(ref.ID, "networkSecurityGroups", "properties.subnets[].properties.networkSecurityGroup.id"); err != nil {
		return err
	}
	nsg, ok, err := getNSG(r, ref.ID)
	if err != nil {
		return err
	}
	if strings.EqualFold(sn.Name, GatewaySubnet) {
		name := ref.ID[strings.LastIndex(ref.ID, "/")+1:]
		return arm.NetworkSecurityGroupCannotBeAttachedToGatewaySubnet(name)
	}
	if !ok || SubscriptionOf(nsg.ID) != SubscriptionOf(n.ID) || nsg.Location != n.Location {
		return arm.InvalidResourceReference(ref.ID, sn.ID)
	}
	if st := nsg.Properties.ProvisioningState; st == service.StateDeleting {
		return arm.ReferencedResourceNotProvisioned(nsg.ID, sn.ID, st)
	}
	ref.ID = nsg.ID
	return nil
}

var (
	ruleProtocols  = map[string]string{"tcp": "Tcp", "udp": "Udp", "icmp": "Icmp", "esp": "Esp", "ah": "Ah", "*": "*"}
	ruleAccess     = map[string]string{"allow": "Allow", "deny": "Deny"}
	ruleDirections = map[string]string{"inbound": "Inbound", "outbound": "Outbound"}
)

// validateRules applies Azure's checks to an NSG's rules and completes
// their ids and the canonical spelling of their enumerations.
func validateRules(n *nsgRecord) error {
	names := map[string]bool{}
	slots := map[string]string{}
	for i := range n.Properties.SecurityRules {
		r := &n.Properties.SecurityRules[i]
		if err := validateNetworkName(r.Name); err != nil {
			return err
		}
		if names[strings.ToLower(r.Name)] {
			return arm.DuplicateResourceName(n.ID, r.Name)
		}
		names[strings.ToLower(r.Name)] = true
		r.ID, r.Type = childID(n.ID, "securityRules", r.Name), ruleType
		if err := validateRule(r); err != nil {
			return err
		}
		slot := fmt.Sprintf("%s/%d", r.Properties.Direction, *r.Properties.Priority)
		if other, taken := slots[slot]; taken {
			return arm.SecurityRuleConflict(r.Name, other)
		}
		slots[slot] = r.Name
	}
	return nil
}

// validateRule checks one rule on its own (its id already set).
func validateRule(r *ruleRecord) error {
	p := &r.Properties
	enums := []struct {
		name  string
		value *string
		known map[string]string
	}{
		{"Protocol", &p.Protocol, ruleProtocols},
		{"Access", &p.Access, ruleAccess},
		{"Direction", &p.Direction, ruleDirections},
	}
	for _, e := range enums {
		if *e.value == "" {
			return arm.SecurityRuleParameterMissing(r.ID, e.name)
		}
		canonical, ok := e.known[strings.ToLower(*e.value)]
		if !ok {
			return arm.InvalidRequestFormat(fmt.Sprintf("Value '%s' of property %s of security rule %s is not valid.", *e.value, e.name, r.ID))
		}
		*e.value = canonical
	}
	if p.Priority == nil {
		return arm.SecurityRuleParameterMissing(r.ID, "Priority")
	}
	if *p.Priority < 100 || *p.Priority > 4096 {
		return arm.SecurityRuleInvalidPriority(r.ID, *p.Priority)
	}
	ports := []struct {
		name string
		one  string
		many []string
	}{
		{"SourcePortRange", p.SourcePortRange, p.SourcePortRanges},
		{"DestinationPortRange", p.DestinationPortRange, p.DestinationPortRanges},
	}
	for _, pr := range ports {
		if pr.one == "" && len(pr.many) == 0 {
			return arm.SecurityRuleParameterMissing(r.ID, pr.name)
		}
		for _, v := range append([]string{pr.one}, pr.many...) {
			if v != "" && !validPortRange(v) {
				return arm.SecurityRuleInvalidPortRange(r.ID, v)
			}
		}
	}
	for _, side := range []struct {
		one  string
		many []string
		name string
	}{
		{p.SourceAddressPrefix, p.SourceAddressPrefixes, "SourceAddressPrefixes, SourceAddressPrefix, or SourceApplicationSecurityGroups"},
		{p.DestinationAddressPrefix, p.DestinationAddressPrefixes, "DestinationAddressPrefixes, DestinationAddressPrefix, or DestinationApplicationSecurityGroups"},
	} {
		if side.one == "" && len(side.many) == 0 {
			return arm.SecurityRuleParametersMissing(r.ID, side.name)
		}
		for _, v := range append([]string{side.one}, side.many...) {
			if v != "" && !validRuleAddress(v) {
				return arm.SecurityRuleInvalidAddressPrefix(r.ID, v)
			}
		}
	}
	return nil
}

func validPortRange(s string) bool {
	if s == "*" {
		return true
	}
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		hi = lo
	}
	a, errA := strconv.Atoi(lo)
	b, errB := strconv.Atoi(hi)
	return errA == nil && errB == nil && a >= 0 && b <= 65535 && a <= b
}

// serviceTagPattern is the shape of a service tag (Internet, VirtualNetwork,
// AzureLoadBalancer, Storage.EastUS...): the emulator cannot know Azure's
// list, so it accepts the shape.
var serviceTagPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$`)

// validRuleAddress accepts what an NSG rule's address prefix may be: '*', an
// IP address, a CIDR block or a service tag.
func validRuleAddress(s string) bool {
	if s == "*" || serviceTagPattern.MatchString(s) {
		return true
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	_, err := netip.ParsePrefix(s)
	return err == nil
}
