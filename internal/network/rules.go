package network

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
)

// rule is a security rule in a form that compares: lists sorted, "*" for any.
// It is the meeting point of the Terraform model, ARM's payload and findings.
type rule struct {
	Name                       string
	Priority                   int64
	Direction                  string // Inbound, Outbound
	Access                     string // Allow, Deny
	Protocol                   string // Tcp, Udp, Icmp, Esp, Ah, *
	SourceAddressPrefixes      []string
	SourcePortRanges           []string
	DestinationAddressPrefixes []string
	DestinationPortRanges      []string
	Description                string
}

func (r rule) normalized() rule {
	for _, l := range []*[]string{&r.SourceAddressPrefixes, &r.SourcePortRanges, &r.DestinationAddressPrefixes, &r.DestinationPortRanges} {
		if len(*l) == 0 {
			*l = []string{"*"}
		}
		*l = slices.Clone(*l)
		sort.Strings(*l)
	}
	return r
}

// sortRules orders rules by direction then priority, as the portal shows them.
func sortRules(rs []rule) []rule {
	out := make([]rule, len(rs))
	for i, r := range rs {
		out[i] = r.normalized()
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Direction != out[j].Direction {
			return out[i].Direction < out[j].Direction
		}
		return out[i].Priority < out[j].Priority
	})
	return out
}

func sameRules(a, b []rule) bool {
	a, b = sortRules(a), sortRules(b)
	return slices.EqualFunc(a, b, func(x, y rule) bool {
		return x.Name == y.Name && x.Priority == y.Priority && strings.EqualFold(x.Direction, y.Direction) &&
			strings.EqualFold(x.Access, y.Access) && strings.EqualFold(x.Protocol, y.Protocol) && x.Description == y.Description &&
			slices.Equal(x.SourceAddressPrefixes, y.SourceAddressPrefixes) && slices.Equal(x.SourcePortRanges, y.SourcePortRanges) &&
			slices.Equal(x.DestinationAddressPrefixes, y.DestinationAddressPrefixes) && slices.Equal(x.DestinationPortRanges, y.DestinationPortRanges)
	})
}

// toARM writes ARM's singular field for one value and the plural for more,
// which is what ARM accepts and returns.
func (r rule) toARM() *armnetwork.SecurityRule {
	r = r.normalized()
	p := &armnetwork.SecurityRulePropertiesFormat{
		Priority:  ptr(int32(r.Priority)),
		Direction: ptr(armnetwork.SecurityRuleDirection(r.Direction)),
		Access:    ptr(armnetwork.SecurityRuleAccess(r.Access)),
		Protocol:  ptr(armnetwork.SecurityRuleProtocol(r.Protocol)),
	}
	if r.Description != "" {
		p.Description = ptr(r.Description)
	}
	one := func(l []string, single **string, plural *[]*string) {
		if len(l) == 1 {
			*single = ptr(l[0])
		} else {
			*plural = ptrs(l)
		}
	}
	one(r.SourceAddressPrefixes, &p.SourceAddressPrefix, &p.SourceAddressPrefixes)
	one(r.SourcePortRanges, &p.SourcePortRange, &p.SourcePortRanges)
	one(r.DestinationAddressPrefixes, &p.DestinationAddressPrefix, &p.DestinationAddressPrefixes)
	one(r.DestinationPortRanges, &p.DestinationPortRange, &p.DestinationPortRanges)
	return &armnetwork.SecurityRule{Name: ptr(r.Name), Properties: p}
}

func ruleFromARM(in *armnetwork.SecurityRule) rule {
	r := rule{Name: deref(in.Name)}
	p := in.Properties
	if p == nil {
		return r.normalized()
	}
	if p.Priority != nil {
		r.Priority = int64(*p.Priority)
	}
	r.Direction = string(derefAs(p.Direction))
	r.Access = string(derefAs(p.Access))
	r.Protocol = string(derefAs(p.Protocol))
	r.Description = deref(p.Description)
	both := func(single *string, plural []*string) []string {
		var out []string
		if single != nil && *single != "" {
			out = append(out, *single)
		}
		for _, s := range plural {
			out = append(out, deref(s))
		}
		return out
	}
	r.SourceAddressPrefixes = both(p.SourceAddressPrefix, p.SourceAddressPrefixes)
	r.SourcePortRanges = both(p.SourcePortRange, p.SourcePortRanges)
	r.DestinationAddressPrefixes = both(p.DestinationAddressPrefix, p.DestinationAddressPrefixes)
	r.DestinationPortRanges = both(p.DestinationPortRange, p.DestinationPortRanges)
	return r.normalized()
}

func derefAs[T ~string](p *T) T {
	if p == nil {
		return ""
	}
	return *p
}

var serviceTagPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$`)

// checkAddressPrefix accepts "*", an IP, a CIDR block or a service tag
// (Internet, VirtualNetwork, AzureLoadBalancer, Storage.EastUS...).
func checkAddressPrefix(s string) error {
	if s == "*" || serviceTagPattern.MatchString(s) {
		return nil
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return fmt.Errorf("%q is not \"*\", an IP address, a CIDR block or a service tag such as Internet or VirtualNetwork", s)
	}
	if p.Masked() != p {
		return fmt.Errorf("%q has host bits set: use %s", s, p.Masked())
	}
	return nil
}

// checkPortRange accepts "*", "443" or "1024-65535".
func checkPortRange(s string) error {
	if s == "*" {
		return nil
	}
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		hi = lo
	}
	a, errA := strconv.Atoi(lo)
	b, errB := strconv.Atoi(hi)
	if errA != nil || errB != nil || a < 0 || b > 65535 || a > b {
		return fmt.Errorf("%q is not a port range: use \"*\", a port such as 443, or a range such as 1024-65535 (0-65535, low to high)", s)
	}
	return nil
}

// portsCover reports whether any range in ranges includes port.
func portsCover(ranges []string, port int) bool {
	for _, s := range ranges {
		if s == "*" {
			return true
		}
		lo, hi, isRange := strings.Cut(s, "-")
		if !isRange {
			hi = lo
		}
		a, errA := strconv.Atoi(lo)
		b, errB := strconv.Atoi(hi)
		if errA == nil && errB == nil && a <= port && port <= b {
			return true
		}
	}
	return false
}
