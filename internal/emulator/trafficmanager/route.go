package trafficmanager

import (
	"math/rand/v2"
	"strings"
)

// Answer is how a profile answers a DNS query for its name.
type Answer struct {
	// Exists is false when no profile has the name, or the profile is
	// disabled, or none of its endpoints can take traffic: NXDOMAIN.
	Exists bool
	// Target is the chosen endpoint's target (an IP or a host name); empty
	// with Exists for NODATA (a Geographic profile with no endpoint for the
	// querying location).
	Target   string
	Endpoint string // the chosen endpoint's name
	TTL      uint32
}

// Resolve answers a query for fqdn (any case, with or without the final
// dot) from the last Sync and the endpoints' health. geo is the querying
// location for Geographic routing (WORLD when the client gives none).
//
// The rules: a disabled or unknown profile, or one without an enabled
// endpoint that runs, is NXDOMAIN. Endpoints Online, CheckingEndpoint or
// Unmonitored are healthy; if none is, every candidate counts as healthy.
// Priority answers the healthy endpoint with the lowest priority number;
// Weighted picks a healthy endpoint at random in proportion to the weights;
// Performance, having no latency data, answers the first healthy endpoint
// in the profile's order; Geographic answers the enabled endpoint mapped to
// the most specific code covering geo (state, country, WORLD), healthy or
// not, as Traffic Manager does, and NODATA when none is mapped.
func (m *Monitor) Resolve(fqdn, geo string) Answer {
	name := strings.TrimSuffix(strings.ToLower(fqdn), ".")
	rel, ok := strings.CutSuffix(name, "."+Domain)
	if !ok {
		return Answer{}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.byName[rel]
	if r == nil || !r.spec.Enabled {
		return Answer{}
	}
	spec := r.spec
	var candidates []EndpointSpec
	var statuses []string
	for _, ep := range spec.Endpoints {
		st := m.endpointStatus(spec, r, ep, 0)
		if st == MonitorDisabled || st == MonitorStopped || st == MonitorInactive || ep.Target == "" {
			continue
		}
		candidates = append(candidates, ep)
		statuses = append(statuses, st)
	}
	if len(candidates) == 0 {
		return Answer{}
	}
	ans := Answer{Exists: true, TTL: spec.TTL}
	if spec.Routing == RoutingGeographic {
		for _, code := range geoChain(geo) {
			for _, ep := range candidates {
				for _, c := range ep.GeoMapping {
					if c == code {
						ans.Target, ans.Endpoint = ep.Target, ep.Name
						return ans
					}
				}
			}
		}
		return ans
	}
	var healthy []EndpointSpec
	for i, ep := range candidates {
		if statuses[i] != MonitorDegraded {
			healthy = append(healthy, ep)
		}
	}
	if len(healthy) == 0 {
		healthy = candidates // all degraded: answer as if all were healthy
	}
	chosen := choose(spec.Routing, healthy)
	ans.Target, ans.Endpoint = chosen.Target, chosen.Name
	return ans
}

// choose applies a routing method (other than Geographic) to the healthy
// endpoints, which are never empty.
func choose(routing string, healthy []EndpointSpec) EndpointSpec {
	switch routing {
	case RoutingPriority:
		best := healthy[0]
		for _, ep := range healthy[1:] {
			if ep.Priority < best.Priority {
				best = ep
			}
		}
		return best
	case RoutingWeighted:
		total := int64(0)
		for _, ep := range healthy {
			total += ep.Weight
		}
		n := rand.Int64N(total)
		for _, ep := range healthy {
			if n < ep.Weight {
				return ep
			}
			n -= ep.Weight
		}
	}
	return healthy[0] // Performance: the first in the profile's order
}
