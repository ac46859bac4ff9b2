package network

import (
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Flows: whether a TCP connection between two addresses of the estate gets
// through, as Azure's data plane decides it. A vNet routes its own address
// space and, over a peering Connected on both sides with virtual network
// access allowed, its peers' spaces; nothing else is routed between
// private networks. On the way, the source subnet's NSG judges the flow
// outbound and the destination subnet's inbound, rules in priority order
// then the six defaults; a Deny drops the packets silently (the client
// times out). Package compute (Run Command) asks; it knows the VMs.

// Flow is one TCP connection attempt.
type Flow struct {
	Src, Dst netip.Addr
	DstPort  int
}

// Verdict is what an NSG decided of a flow.
type Verdict struct {
	Allowed bool
	// NSG and Rule name what decided ("" when the subnet has no NSG).
	NSG, Rule string
}

// RouteTo is the network that holds dst as seen from the network fromID:
// itself when its address space holds dst, else a connected peer whose
// space does; ok false when dst is not routed (the packets go nowhere).
func RouteTo(r store.Reader, fromID string, dst netip.Addr) (string, bool) {
	from, ok, err := GetVNet(r, fromID)
	if err != nil || !ok {
		return "", false
	}
	if spaceHolds(from.Properties.AddressSpace.AddressPrefixes, dst) {
		return from.ID, true
	}
	for _, peer := range connectedPeers(r, from) {
		if spaceHolds(peer.Properties.AddressSpace.AddressPrefixes, dst) {
			return peer.ID, true
		}
	}
	return "", false
}

// VirtualNetworkTag is what the VirtualNetwork service tag means in the
// network id: its own address space and its connected peers'.
func VirtualNetworkTag(r store.Reader, id string) []netip.Prefix {
	v, ok, err := GetVNet(r, id)
	if err != nil || !ok {
		return nil
	}
	prefixes := parsePrefixes(v.Properties.AddressSpace.AddressPrefixes)
	for _, peer := range connectedPeers(r, v) {
		prefixes = append(prefixes, parsePrefixes(peer.Properties.AddressSpace.AddressPrefixes)...)
	}
	return prefixes
}

// connectedPeers are the networks v exchanges traffic with: peerings
// Connected on both sides, neither refusing virtual network access.
func connectedPeers(r store.Reader, v *VNet) []*VNet {
	var out []*VNet
	for i := range v.Properties.VirtualNetworkPeerings {
		p := &v.Properties.VirtualNetworkPeerings[i]
		if peeringState(r, v, p) != peeringConnected || denies(p) {
			continue
		}
		remote, ok, err := GetVNet(r, p.remoteID())
		if err != nil || !ok {
			continue
		}
		if back := peeringTo(remote, v.ID); back == nil || denies(back) {
			continue
		}
		out = append(out, remote)
	}
	return out
}

func denies(p *peeringRecord) bool {
	return p.Properties.AllowVirtualNetworkAccess != nil && !*p.Properties.AllowVirtualNetworkAccess
}

// Judge is the verdict of the NSG of subnetID on the flow in direction
// ("Inbound" or "Outbound"); vnetTag is the VirtualNetwork tag of the
// subnet's network (VirtualNetworkTag). A subnet without an NSG allows all.
func Judge(r store.Reader, subnetID, direction string, f Flow, vnetTag []netip.Prefix) Verdict {
	return JudgeNSG(r, subnetNSG(r, subnetID), direction, f, vnetTag)
}

// JudgeNSG is the verdict of the NSG nsgID on the flow, as Judge gives a
// subnet's; a NIC's own NSG (package compute) is judged with it. An empty
// or missing NSG allows all.
func JudgeNSG(r store.Reader, nsgID, direction string, f Flow, vnetTag []netip.Prefix) Verdict {
	if nsgID == "" {
		return Verdict{Allowed: true}
	}
	g, ok, err := getNSG(r, nsgID)
	if err != nil || !ok {
		return Verdict{Allowed: true}
	}
	rules := append([]ruleRecord{}, g.Properties.SecurityRules...)
	sort.SliceStable(rules, func(i, j int) bool { return priority(rules[i]) < priority(rules[j]) })
	rules = append(rules, defaultRules(g.ID)...)
	for _, rule := range rules {
		p := rule.Properties
		if !strings.EqualFold(p.Direction, direction) || !protocolMatches(p.Protocol) {
			continue
		}
		if !addressMatches(p.SourceAddressPrefix, p.SourceAddressPrefixes, f.Src, vnetTag) ||
			!addressMatches(p.DestinationAddressPrefix, p.DestinationAddressPrefixes, f.Dst, vnetTag) ||
			!portMatches(p.SourcePortRange, p.SourcePortRanges, ephemeralPort) ||
			!portMatches(p.DestinationPortRange, p.DestinationPortRanges, f.DstPort) {
			continue
		}
		return Verdict{Allowed: strings.EqualFold(p.Access, "Allow"), NSG: g.Name, Rule: rule.Name}
	}
	return Verdict{Allowed: false, NSG: g.Name}
}

// ephemeralPort stands for a client's source port (Linux and Windows pick
// them from 32768 and 49152 up).
const ephemeralPort = 50000

func priority(r ruleRecord) int {
	if r.Properties.Priority == nil {
		return 1 << 30
	}
	return *r.Properties.Priority
}

// subnetNSG is the NSG associated with the subnet ("" for none).
func subnetNSG(r store.Reader, subnetID string) string {
	i := strings.Index(strings.ToLower(subnetID), "/subnets/")
	if i < 0 {
		return ""
	}
	v, ok, err := GetVNet(r, subnetID[:i])
	if err != nil || !ok {
		return ""
	}
	j := IndexByName(v.Properties.Subnets, subnetID[i+len("/subnets/"):])
	if j < 0 || v.Properties.Subnets[j].Properties.NetworkSecurityGroup == nil {
		return ""
	}
	return v.Properties.Subnets[j].Properties.NetworkSecurityGroup.ID
}

func protocolMatches(p string) bool { return p == "*" || strings.EqualFold(p, "Tcp") }

// addressMatches: "*", a service tag (VirtualNetwork, Internet,
// AzureLoadBalancer), an address or a CIDR, in one field or the list.
func addressMatches(one string, many []string, a netip.Addr, vnetTag []netip.Prefix) bool {
	list := many
	if one != "" {
		list = append([]string{one}, many...)
	}
	inVNet := func() bool {
		for _, p := range vnetTag {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	for _, s := range list {
		switch {
		case s == "*" || strings.EqualFold(s, "Any"):
			return true
		case strings.EqualFold(s, "VirtualNetwork"):
			if inVNet() {
				return true
			}
		case strings.EqualFold(s, "Internet"):
			if !inVNet() && !a.IsPrivate() && a != azureLoadBalancer {
				return true
			}
		case strings.EqualFold(s, "AzureLoadBalancer"):
			if a == azureLoadBalancer {
				return true
			}
		default:
			if p, err := netip.ParsePrefix(s); err == nil && p.Contains(a) {
				return true
			}
			if x, err := netip.ParseAddr(s); err == nil && x == a {
				return true
			}
		}
	}
	return false
}

// azureLoadBalancer is the address the AzureLoadBalancer tag stands for
// (Azure's host node, also its DNS and health probes).
var azureLoadBalancer = netip.MustParseAddr("168.63.129.16")

// portMatches: "*", a port or a range "low-high", in one field or the list.
func portMatches(one string, many []string, port int) bool {
	list := many
	if one != "" {
		list = append([]string{one}, many...)
	}
	for _, s := range list {
		if s == "*" {
			return true
		}
		lo, hi, isRange := strings.Cut(s, "-")
		l, err1 := strconv.Atoi(strings.TrimSpace(lo))
		h := l
		var err2 error
		if isRange {
			h, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		if err1 == nil && err2 == nil && port >= l && port <= h {
			return true
		}
	}
	return false
}

func spaceHolds(prefixes []string, a netip.Addr) bool {
	for _, p := range parsePrefixes(prefixes) {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func parsePrefixes(ss []string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		}
	}
	return out
}
