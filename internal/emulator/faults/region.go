package faults

import "strings"

// RegionDown reports whether an outage rule covers region right now, for the
// parts of the emulator that are not ARM requests: the web sites of the
// estate's VMs and Traffic Manager's probes. Callers ask again on every
// request or probe, so adding or removing a rule takes effect at once.
//
// Only outage rules without a pathPrefix count (a path-scoped rule is about
// ARM paths). A rule's rate applies (a rate of 0.5 makes a flaky region);
// its count does not: site requests and probes never use a rule up.
func (s *Set) RegionDown(region string) bool {
	if region == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.rules {
		if r.Kind != Outage || r.PathPrefix != "" || r.Region != region {
			continue
		}
		if r.Rate >= 1 || s.random() < r.Rate {
			return true
		}
	}
	return false
}

// Unavailable says why the web site of VM id in region cannot answer (a
// region outage, or a vmFailure rule on the VM), or "" when it can.
func (s *Set) Unavailable(id, region string) string {
	if s.RegionDown(region) {
		return "region " + region + " is down (emulated outage)"
	}
	if s.VMFailed(id) {
		return "its host failed (emulated hardware failure)"
	}
	return ""
}

// VMFailed reports whether a vmFailure rule covers the VM right now.
func (s *Set) VMFailed(id string) bool {
	if id == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.rules {
		if r.Kind == VMFailure && strings.EqualFold(r.VMID, id) {
			return true
		}
	}
	return false
}
