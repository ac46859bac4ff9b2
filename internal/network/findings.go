package network

import (
	"fmt"
	"sort"
	"strings"
)

// managementPorts are the ports whose exposure to the Internet is the
// classic path into a recovery site nobody watches.
var managementPorts = []struct {
	port int
	name string
}{{22, "SSH"}, {3389, "RDP"}, {5985, "WinRM"}, {5986, "WinRM over HTTPS"}}

// internetSources are prefixes that mean "anyone".
var internetSources = map[string]bool{"*": true, "internet": true, "any": true, "0.0.0.0/0": true, "::/0": true}

// exposureFindings lists inbound Allow rules open to the Internet on a
// management port, naming the region.
func exposureFindings(region string, rules []rule) []string {
	var out []string
	for _, r := range sortRules(rules) {
		if !strings.EqualFold(r.Direction, "Inbound") || !strings.EqualFold(r.Access, "Allow") || strings.EqualFold(r.Protocol, "Icmp") {
			continue
		}
		open := false
		for _, s := range r.SourceAddressPrefixes {
			open = open || internetSources[strings.ToLower(s)]
		}
		if !open {
			continue
		}
		for _, mp := range managementPorts {
			if portsCover(r.DestinationPortRanges, mp.port) {
				out = append(out, fmt.Sprintf("%s: rule %q (priority %d) allows %s (port %d) from the Internet", region, r.Name, r.Priority, mp.name, mp.port))
			}
		}
	}
	return out
}

// differenceFindings compares a region's rules with the reference region's.
func differenceFindings(refName string, ref []rule, region string, rules []rule) []string {
	byName := func(rs []rule) map[string]rule {
		m := map[string]rule{}
		for _, r := range sortRules(rs) {
			m[r.Name] = r
		}
		return m
	}
	a, b := byName(ref), byName(rules)
	var out []string
	for name, r := range a {
		other, ok := b[name]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s: rule %q of %s is missing", region, name, refName))
		case !sameRules([]rule{r}, []rule{other}):
			out = append(out, fmt.Sprintf("%s: rule %q differs from %s (%s vs %s)", region, name, refName, describe(other), describe(r)))
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			out = append(out, fmt.Sprintf("%s: rule %q is not in %s", region, name, refName))
		}
	}
	sort.Strings(out)
	return out
}

func describe(r rule) string {
	return fmt.Sprintf("priority %d %s %s %s from %s:%s to %s:%s", r.Priority, r.Direction, r.Access, r.Protocol,
		strings.Join(r.SourceAddressPrefixes, ","), strings.Join(r.SourcePortRanges, ","),
		strings.Join(r.DestinationAddressPrefixes, ","), strings.Join(r.DestinationPortRanges, ","))
}
