// Package trafficmanager is the emulator's Azure Traffic Manager: the
// profile and endpoint model with the service's validation rules, endpoint
// health from real HTTP/HTTPS/TCP probes, the routing methods, and a DNS
// server on loopback that answers <relativeName>.trafficmanager.net from
// them, and the ARM API that serves the profiles (api_profiles.go,
// api_endpoints.go, runtime.go).
//
// The model, validation, monitor and DNS server (model.go, validate.go,
// spec.go, monitor.go, probe.go, route.go, geo.go, merge.go, dns.go) know
// nothing of HTTP routing or the store: the API files translate between
// them and the store, and resolve Azure endpoints to VMs through package
// compute.
package trafficmanager

import "strings"

// The ARM vocabulary of Traffic Manager (api-version 2022-04-01).
const (
	ProfileType = "Microsoft.Network/trafficManagerProfiles"
	// Domain is the zone every profile's name lives in.
	Domain = "trafficmanager.net"
	// Location is the only location a profile may have.
	Location = "global"

	StatusEnabled  = "Enabled"
	StatusDisabled = "Disabled"

	RoutingPriority    = "Priority"
	RoutingWeighted    = "Weighted"
	RoutingPerformance = "Performance"
	RoutingGeographic  = "Geographic"
	RoutingMultiValue  = "MultiValue"
	RoutingSubnet      = "Subnet"

	ProtocolHTTP  = "HTTP"
	ProtocolHTTPS = "HTTPS"
	ProtocolTCP   = "TCP"
)

// Endpoint monitor statuses.
const (
	MonitorChecking    = "CheckingEndpoint"
	MonitorOnline      = "Online"
	MonitorDegraded    = "Degraded"
	MonitorDisabled    = "Disabled"
	MonitorInactive    = "Inactive"
	MonitorStopped     = "Stopped"
	MonitorUnmonitored = "Unmonitored"
)

// Profile monitor statuses.
const (
	ProfileMonitorChecking = "CheckingEndpoints"
	ProfileMonitorOnline   = "Online"
	ProfileMonitorDegraded = "Degraded"
	ProfileMonitorDisabled = "Disabled"
	ProfileMonitorInactive = "Inactive"
)

// EndpointKind is an endpoint type as its URL segment spells it.
type EndpointKind string

// The endpoint kinds.
const (
	External EndpointKind = "ExternalEndpoints"
	Azure    EndpointKind = "AzureEndpoints"
	Nested   EndpointKind = "NestedEndpoints"
)

// ARMType is the endpoint's resource type as ARM returns it, e.g.
// "Microsoft.Network/trafficManagerProfiles/externalEndpoints".
func (k EndpointKind) ARMType() string {
	return ProfileType + "/" + k.Segment()
}

// Segment is the kind as endpoint ids spell it, e.g. "externalEndpoints".
func (k EndpointKind) Segment() string {
	s := string(k)
	return strings.ToLower(s[:1]) + s[1:]
}

// ParseEndpointKind accepts the URL segment ("ExternalEndpoints") or the ARM
// type ("Microsoft.Network/trafficManagerProfiles/externalEndpoints"), in any
// case.
func ParseEndpointKind(s string) (EndpointKind, bool) {
	s = strings.TrimPrefix(strings.ToLower(s), strings.ToLower(ProfileType)+"/")
	for _, k := range []EndpointKind{External, Azure, Nested} {
		if strings.EqualFold(s, string(k)) {
			return k, true
		}
	}
	return "", false
}

// Profile is a profile as ARM sends and returns it. The stored form is the
// normalised one (every default filled in, read-only fields empty); the
// read-only fields are filled in when the profile is shown.
type Profile struct {
	ID         string             `json:"id,omitempty"`
	Name       string             `json:"name,omitempty"`
	Type       string             `json:"type,omitempty"`
	Location   *string            `json:"location,omitempty"`
	Tags       map[string]*string `json:"tags,omitempty"`
	Properties *ProfileProperties `json:"properties,omitempty"`
}

// ProfileProperties are a profile's properties.
type ProfileProperties struct {
	ProfileStatus               *string        `json:"profileStatus,omitempty"`
	TrafficRoutingMethod        *string        `json:"trafficRoutingMethod,omitempty"`
	DNSConfig                   *DNSConfig     `json:"dnsConfig,omitempty"`
	MonitorConfig               *MonitorConfig `json:"monitorConfig,omitempty"`
	Endpoints                   []*Endpoint    `json:"endpoints"`
	TrafficViewEnrollmentStatus *string        `json:"trafficViewEnrollmentStatus,omitempty"`
	AllowedEndpointRecordTypes  []string       `json:"allowedEndpointRecordTypes,omitempty"`
	MaxReturn                   *int64         `json:"maxReturn,omitempty"`
}

// DNSConfig is the profile's DNS name and TTL.
type DNSConfig struct {
	RelativeName *string `json:"relativeName,omitempty"`
	TTL          *int64  `json:"ttl,omitempty"`
	FQDN         string  `json:"fqdn,omitempty"` // read-only
}

// MonitorConfig is how the profile probes its endpoints.
type MonitorConfig struct {
	ProfileMonitorStatus      string         `json:"profileMonitorStatus,omitempty"` // read-only
	Protocol                  *string        `json:"protocol,omitempty"`
	Port                      *int64         `json:"port,omitempty"`
	Path                      *string        `json:"path,omitempty"`
	IntervalInSeconds         *int64         `json:"intervalInSeconds,omitempty"`
	TimeoutInSeconds          *int64         `json:"timeoutInSeconds,omitempty"`
	ToleratedNumberOfFailures *int64         `json:"toleratedNumberOfFailures,omitempty"`
	CustomHeaders             []*Header      `json:"customHeaders,omitempty"`
	ExpectedStatusCodeRanges  []*StatusRange `json:"expectedStatusCodeRanges,omitempty"`
}

// Header is a custom probe header.
type Header struct {
	Name  *string `json:"name,omitempty"`
	Value *string `json:"value,omitempty"`
}

// StatusRange is a range of HTTP status codes a probe accepts as healthy.
type StatusRange struct {
	Min *int32 `json:"min,omitempty"`
	Max *int32 `json:"max,omitempty"`
}

// Endpoint is an endpoint as ARM sends and returns it, inline in a profile
// or on its own URL.
type Endpoint struct {
	ID         string              `json:"id,omitempty"`
	Name       *string             `json:"name,omitempty"`
	Type       *string             `json:"type,omitempty"`
	Properties *EndpointProperties `json:"properties,omitempty"`
}

// EndpointProperties are an endpoint's properties.
type EndpointProperties struct {
	Target                *string   `json:"target,omitempty"`
	TargetResourceID      *string   `json:"targetResourceId,omitempty"`
	EndpointStatus        *string   `json:"endpointStatus,omitempty"`
	EndpointMonitorStatus string    `json:"endpointMonitorStatus,omitempty"` // read-only
	EndpointLocation      *string   `json:"endpointLocation,omitempty"`
	Priority              *int64    `json:"priority,omitempty"`
	Weight                *int64    `json:"weight,omitempty"`
	GeoMapping            []*string `json:"geoMapping,omitempty"`
	CustomHeaders         []*Header `json:"customHeaders,omitempty"`
	AlwaysServe           *string   `json:"alwaysServe,omitempty"`
	MinChildEndpoints     *int64    `json:"minChildEndpoints,omitempty"`
	MinChildEndpointsIPv4 *int64    `json:"minChildEndpointsIPv4,omitempty"`
	MinChildEndpointsIPv6 *int64    `json:"minChildEndpointsIPv6,omitempty"`
	Subnets               []any     `json:"subnets,omitempty"`
}

// FQDN is the profile's name in the trafficmanager.net zone.
func FQDN(relativeName string) string {
	return strings.ToLower(relativeName) + "." + Domain
}

// Kind is the endpoint's kind (the stored type is always valid).
func (e *Endpoint) Kind() EndpointKind {
	k, _ := ParseEndpointKind(deref(e.Type))
	return k
}

// Enabled reports whether the endpoint's status is Enabled.
func (e *Endpoint) Enabled() bool {
	return e.Properties != nil && deref(e.Properties.EndpointStatus) == StatusEnabled
}

// Find returns the endpoint named name (case-insensitive) and its index.
func (p *Profile) Find(name string) (*Endpoint, int) {
	if p.Properties == nil {
		return nil, -1
	}
	for i, e := range p.Properties.Endpoints {
		if strings.EqualFold(deref(e.Name), name) {
			return e, i
		}
	}
	return nil, -1
}

// RelativeName is the profile's relative DNS name.
func (p *Profile) RelativeName() string {
	if p.Properties == nil || p.Properties.DNSConfig == nil {
		return ""
	}
	return deref(p.Properties.DNSConfig.RelativeName)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
