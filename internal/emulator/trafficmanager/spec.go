package trafficmanager

import (
	"strconv"
	"strings"
	"time"
)

// ProfileSpec is what the monitor and the DNS server need of a stored
// profile, with every endpoint's target resolved.
type ProfileSpec struct {
	ID           string
	RelativeName string
	Enabled      bool
	Routing      string
	TTL          uint32
	Monitor      MonitorSettings
	Endpoints    []EndpointSpec
}

// MonitorSettings are a profile's probe settings. Interval and Timeout are
// simulated durations.
type MonitorSettings struct {
	Protocol  string
	Port      int
	Path      string
	Interval  time.Duration
	Timeout   time.Duration
	Tolerated int
	Headers   []HeaderValue
	// Ranges of healthy status codes; Traffic Manager's default is 200 only.
	Ranges [][2]int
}

// HeaderValue is one custom probe header.
type HeaderValue struct{ Name, Value string }

// EndpointSpec is one endpoint, its target resolved.
type EndpointSpec struct {
	Name string
	Kind EndpointKind
	// Target is the host name or IP answered and probed: an external
	// endpoint's target, the address of an Azure endpoint's resource, a
	// nested endpoint's child profile FQDN. Empty when it cannot be resolved.
	Target string
	// Location is the endpoint's region (canonical), given or, for an Azure
	// endpoint, its resource's; empty when unknown.
	Location    string
	Enabled     bool
	AlwaysServe bool
	Priority    int64
	Weight      int64
	GeoMapping  []string
	Headers     []HeaderValue
	// Stopped marks an Azure endpoint whose resource is gone or not running.
	Stopped bool
	// Site marks a target that is a web site of the emulated estate: it
	// answers 503 by itself during its region's outage, so it is probed for
	// real even then.
	Site bool
	// ChildID and MinChild describe a nested endpoint's child profile.
	ChildID  string
	MinChild int64
}

// Target is what an Azure or nested endpoint's resource resolves to.
type Target struct {
	// Found is false when the resource does not exist (any more).
	Found bool
	// Address is a VM site's IP, or a child profile's FQDN.
	Address string
	// Location is the resource's region (canonical), "" for global ones.
	Location string
	// Running is false for a VM that is not serving.
	Running bool
	// Site is true for a web site of the estate.
	Site bool
}

// Resolver resolves the resource an Azure or nested endpoint points at.
type Resolver func(kind EndpointKind, resourceID string) Target

// SpecOf turns a stored (normalised) profile into its spec.
func SpecOf(p *Profile, resolve Resolver) ProfileSpec {
	props := p.Properties
	mc := props.MonitorConfig
	spec := ProfileSpec{
		ID:           p.ID,
		RelativeName: strings.ToLower(p.RelativeName()),
		Enabled:      deref(props.ProfileStatus) == StatusEnabled,
		Routing:      deref(props.TrafficRoutingMethod),
		TTL:          uint32(deref(props.DNSConfig.TTL)),
		Monitor: MonitorSettings{
			Protocol:  deref(mc.Protocol),
			Port:      int(deref(mc.Port)),
			Path:      deref(mc.Path),
			Interval:  time.Duration(deref(mc.IntervalInSeconds)) * time.Second,
			Timeout:   time.Duration(deref(mc.TimeoutInSeconds)) * time.Second,
			Tolerated: int(deref(mc.ToleratedNumberOfFailures)),
			Headers:   headerValues(mc.CustomHeaders),
		},
	}
	for _, r := range mc.ExpectedStatusCodeRanges {
		spec.Monitor.Ranges = append(spec.Monitor.Ranges, [2]int{int(deref(r.Min)), int(deref(r.Max))})
	}
	if len(spec.Monitor.Ranges) == 0 {
		spec.Monitor.Ranges = [][2]int{{200, 200}}
	}
	for _, e := range props.Endpoints {
		ep := e.Properties
		es := EndpointSpec{
			Name:        deref(e.Name),
			Kind:        e.Kind(),
			Target:      deref(ep.Target),
			Location:    deref(ep.EndpointLocation),
			Enabled:     e.Enabled(),
			AlwaysServe: deref(ep.AlwaysServe) == StatusEnabled,
			Priority:    deref(ep.Priority),
			Weight:      deref(ep.Weight),
			Headers:     headerValues(ep.CustomHeaders),
		}
		for _, c := range ep.GeoMapping {
			es.GeoMapping = append(es.GeoMapping, deref(c))
		}
		if es.Kind != External {
			t := resolve(es.Kind, deref(ep.TargetResourceID))
			es.Target, es.Site = t.Address, t.Site
			es.Stopped = !t.Found || (es.Kind == Azure && !t.Running)
			if es.Location == "" {
				es.Location = t.Location
			}
			if es.Kind == Nested {
				es.ChildID, es.MinChild = deref(ep.TargetResourceID), deref(ep.MinChildEndpoints)
			}
		}
		spec.Endpoints = append(spec.Endpoints, es)
	}
	return spec
}

func headerValues(hs []*Header) []HeaderValue {
	var out []HeaderValue
	for _, h := range hs {
		out = append(out, HeaderValue{Name: deref(h.Name), Value: deref(h.Value)})
	}
	return out
}

// probed reports whether the monitor probes the endpoint itself: enabled,
// monitored, with a resource that runs, and not nested (a nested endpoint's
// health is its child profile's).
func (e *EndpointSpec) probed() bool {
	return e.Enabled && !e.AlwaysServe && !e.Stopped && e.Kind != Nested && e.Target != ""
}

// key identifies what a probe of the endpoint reaches: a change resets its
// health to CheckingEndpoint.
func (e *EndpointSpec) key() string {
	var b strings.Builder
	b.WriteString(string(e.Kind) + "|" + e.Target + "|" + e.Location + "|" + strconv.FormatBool(e.Site))
	for _, h := range e.Headers {
		b.WriteString("|" + h.Name + "=" + h.Value)
	}
	return b.String()
}

// key identifies the probe settings: a change resets every endpoint's
// health to CheckingEndpoint.
func (m *MonitorSettings) key() string {
	var b strings.Builder
	b.WriteString(m.Protocol + "|" + strconv.Itoa(m.Port) + "|" + m.Path + "|" + m.Interval.String() + "|" + m.Timeout.String() + "|" + strconv.Itoa(m.Tolerated))
	for _, h := range m.Headers {
		b.WriteString("|" + h.Name + "=" + h.Value)
	}
	for _, r := range m.Ranges {
		b.WriteString("|" + strconv.Itoa(r[0]) + "-" + strconv.Itoa(r[1]))
	}
	return b.String()
}
