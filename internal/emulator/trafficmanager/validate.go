package trafficmanager

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

// Limits and defaults of Traffic Manager.
const (
	DefaultTTL               = 60
	maxTTL                   = 2147483647
	DefaultInterval          = 30
	fastInterval             = 10
	minTimeout               = 5
	maxTimeout               = 10
	DefaultToleratedFailures = 3
	maxToleratedFailures     = 9
	maxEndpoints             = 200
	maxHeaders               = 8
	maxStatusRanges          = 8
	minPriority, maxPriority = 1, 1000
	minWeight, maxWeight     = 1, 1000
	maxProfileName           = 63
	maxEndpointName          = 260
	maxFQDN                  = 253
)

var (
	dnsLabel    = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
	profileName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	hostLabel   = regexp.MustCompile(`^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$`)
)

// ValidateProfileName applies the naming rule of profiles: 1 to 63 letters,
// digits, periods, underscores and hyphens, starting with a letter or digit.
func ValidateProfileName(name string) *arm.Error {
	switch {
	case len(name) == 0 || len(name) > maxProfileName:
		return arm.InvalidResourceName(name, ProfileType, fmt.Sprintf("it must be 1 to %d characters long", maxProfileName))
	case !profileName.MatchString(name):
		return arm.InvalidResourceName(name, ProfileType, "it may contain only letters, digits, periods, underscores and hyphens, and must start with a letter or digit")
	}
	return nil
}

// ValidateEndpointName applies the naming rule of endpoints.
func ValidateEndpointName(name, property string) *arm.Error {
	switch {
	case strings.TrimSpace(name) == "":
		return arm.InvalidProperty(property, "an endpoint name is required")
	case len(name) > maxEndpointName:
		return arm.InvalidProperty(property, "the endpoint name '%s' is longer than %d characters", name, maxEndpointName)
	case strings.ContainsAny(name, `/\?#%`):
		return arm.InvalidProperty(property, "the endpoint name '%s' may not contain '/', '\\', '?', '#' or '%%'", name)
	}
	return nil
}

// ValidateRelativeName checks a relative DNS name: one or more DNS labels
// (letters, digits, hyphens; not starting or ending with a hyphen) whose
// FQDN under trafficmanager.net fits in 253 characters. reason is "" when
// the name is valid.
func ValidateRelativeName(name string) (reason string) {
	if name == "" {
		return "the relative DNS name is empty"
	}
	if len(FQDN(name)) > maxFQDN {
		return fmt.Sprintf("the name %s is longer than %d characters", FQDN(name), maxFQDN)
	}
	for _, label := range strings.Split(name, ".") {
		if !dnsLabel.MatchString(label) {
			return fmt.Sprintf("'%s' is not a valid DNS label (1 to 63 letters, digits and hyphens, not starting or ending with a hyphen)", label)
		}
	}
	return ""
}

// Normalize checks a profile as a PUT (or a merged PATCH) would store it and
// fills in every default, so the stored form is complete. It clears the
// read-only fields a client may echo back. focus is the index of the
// endpoint a request on an endpoint's own URL writes (its errors name the
// request's own fields), or -1. Nothing outside the profile is checked here:
// name uniqueness and the resources endpoints point at need the store.
func Normalize(p *Profile, focus int) *arm.Error {
	if p.Location == nil || strings.TrimSpace(*p.Location) == "" {
		return arm.LocationRequired()
	}
	if !strings.EqualFold(strings.TrimSpace(*p.Location), Location) {
		return arm.LocationNotAvailableForResourceType(*p.Location, ProfileType, []string{Location})
	}
	p.Location = ptr(Location)
	p.Tags = normalizeTags(p.Tags)
	if p.Properties == nil {
		return arm.InvalidProperty("properties", "the profile's properties are required")
	}
	props := p.Properties
	var err *arm.Error
	if props.ProfileStatus, err = oneOf("properties.profileStatus", props.ProfileStatus, StatusEnabled, StatusEnabled, StatusDisabled); err != nil {
		return err
	}
	if props.TrafficRoutingMethod == nil {
		return arm.InvalidProperty("properties.trafficRoutingMethod", "a traffic routing method is required: Priority, Weighted, Performance or Geographic")
	}
	if props.TrafficRoutingMethod, err = oneOf("properties.trafficRoutingMethod", props.TrafficRoutingMethod, "",
		RoutingPriority, RoutingWeighted, RoutingPerformance, RoutingGeographic, RoutingMultiValue, RoutingSubnet); err != nil {
		return err
	}
	switch routing := *props.TrafficRoutingMethod; routing {
	case RoutingMultiValue, RoutingSubnet:
		return arm.InvalidProperty("properties.trafficRoutingMethod", "the '%s' traffic routing method is not supported by the emulator; use Priority, Weighted, Performance or Geographic", routing)
	}
	if props.MaxReturn != nil {
		return arm.InvalidProperty("properties.maxReturn", "maxReturn applies only to the MultiValue traffic routing method")
	}
	if err := normalizeDNSConfig(props); err != nil {
		return err
	}
	if err := normalizeMonitorConfig(props); err != nil {
		return err
	}
	if props.TrafficViewEnrollmentStatus, err = oneOf("properties.trafficViewEnrollmentStatus", props.TrafficViewEnrollmentStatus, StatusDisabled, StatusEnabled, StatusDisabled); err != nil {
		return err
	}
	for i, t := range props.AllowedEndpointRecordTypes {
		v, err := oneOf(fmt.Sprintf("properties.allowedEndpointRecordTypes[%d]", i), &t, "", "DomainName", "IPv4Address", "IPv6Address", "Any")
		if err != nil {
			return err
		}
		props.AllowedEndpointRecordTypes[i] = *v
	}
	return normalizeEndpoints(props, focus)
}

func normalizeTags(tags map[string]*string) map[string]*string {
	if len(tags) == 0 {
		return nil
	}
	out := make(map[string]*string, len(tags))
	for k, v := range tags {
		out[k] = ptr(deref(v))
	}
	return out
}

func normalizeDNSConfig(props *ProfileProperties) *arm.Error {
	dc := props.DNSConfig
	if dc == nil || dc.RelativeName == nil {
		return arm.InvalidProperty("properties.dnsConfig.relativeName", "the relative DNS name is required: the profile answers as <relativeName>.trafficmanager.net")
	}
	if reason := ValidateRelativeName(*dc.RelativeName); reason != "" {
		return arm.InvalidProperty("properties.dnsConfig.relativeName", "%s", reason)
	}
	dc.FQDN = ""
	if dc.TTL == nil {
		dc.TTL = ptr(int64(DefaultTTL))
	}
	if *dc.TTL < 0 || *dc.TTL > maxTTL {
		return arm.InvalidProperty("properties.dnsConfig.ttl", "the TTL must be between 0 and %d seconds, not %d", maxTTL, *dc.TTL)
	}
	return nil
}

func normalizeMonitorConfig(props *ProfileProperties) *arm.Error {
	const at = "properties.monitorConfig"
	mc := props.MonitorConfig
	if mc == nil {
		return arm.InvalidProperty(at, "the monitor configuration is required (protocol, port and, for HTTP and HTTPS, path)")
	}
	mc.ProfileMonitorStatus = ""
	var err *arm.Error
	if mc.Protocol, err = oneOf(at+".protocol", mc.Protocol, ProtocolHTTP, ProtocolHTTP, ProtocolHTTPS, ProtocolTCP); err != nil {
		return err
	}
	if mc.Port == nil {
		return arm.InvalidProperty(at+".port", "the port to probe is required")
	}
	if *mc.Port < 1 || *mc.Port > 65535 {
		return arm.InvalidProperty(at+".port", "the port must be between 1 and 65535, not %d", *mc.Port)
	}
	if *mc.Protocol == ProtocolTCP {
		if mc.Path != nil && *mc.Path != "" {
			return arm.InvalidProperty(at+".path", "a path cannot be set when the monitor protocol is TCP (a TCP probe only opens a connection)")
		}
		mc.Path = nil
	} else {
		switch {
		case mc.Path == nil || *mc.Path == "":
			return arm.InvalidProperty(at+".path", "the path to probe is required when the monitor protocol is %s", *mc.Protocol)
		case !strings.HasPrefix(*mc.Path, "/"):
			return arm.InvalidProperty(at+".path", "the path '%s' must start with '/'", *mc.Path)
		}
	}
	if mc.IntervalInSeconds == nil {
		mc.IntervalInSeconds = ptr(int64(DefaultInterval))
	}
	if i := *mc.IntervalInSeconds; i != fastInterval && i != DefaultInterval {
		return arm.InvalidProperty(at+".intervalInSeconds", "the probing interval must be %d or %d seconds, not %d", fastInterval, DefaultInterval, i)
	}
	if mc.TimeoutInSeconds == nil {
		mc.TimeoutInSeconds = ptr(min(int64(maxTimeout), *mc.IntervalInSeconds-1))
	}
	if t := *mc.TimeoutInSeconds; t < minTimeout || t > maxTimeout || t >= *mc.IntervalInSeconds {
		return arm.InvalidProperty(at+".timeoutInSeconds", "the probe timeout must be between %d and %d seconds and less than the interval (%d), not %d",
			minTimeout, maxTimeout, *mc.IntervalInSeconds, t)
	}
	if mc.ToleratedNumberOfFailures == nil {
		mc.ToleratedNumberOfFailures = ptr(int64(DefaultToleratedFailures))
	}
	if n := *mc.ToleratedNumberOfFailures; n < 0 || n > maxToleratedFailures {
		return arm.InvalidProperty(at+".toleratedNumberOfFailures", "the tolerated number of failures must be between 0 and %d, not %d", maxToleratedFailures, n)
	}
	if err := checkHeaders(at+".customHeaders", mc.CustomHeaders); err != nil {
		return err
	}
	if len(mc.ExpectedStatusCodeRanges) > maxStatusRanges {
		return arm.InvalidProperty(at+".expectedStatusCodeRanges", "at most %d status code ranges are allowed", maxStatusRanges)
	}
	for i, r := range mc.ExpectedStatusCodeRanges {
		field := fmt.Sprintf("%s.expectedStatusCodeRanges[%d]", at, i)
		if r == nil || r.Min == nil || r.Max == nil {
			return arm.InvalidProperty(field, "a status code range needs min and max")
		}
		if *r.Min < 100 || *r.Max > 999 || *r.Min > *r.Max {
			return arm.InvalidProperty(field, "%d-%d is not a range of HTTP status codes (100 to 999, min not above max)", *r.Min, *r.Max)
		}
	}
	return nil
}

func checkHeaders(at string, headers []*Header) *arm.Error {
	if len(headers) > maxHeaders {
		return arm.InvalidProperty(at, "at most %d custom headers are allowed", maxHeaders)
	}
	for i, h := range headers {
		if h == nil || strings.TrimSpace(deref(h.Name)) == "" || h.Value == nil {
			return arm.InvalidProperty(fmt.Sprintf("%s[%d]", at, i), "a custom header needs a name and a value")
		}
	}
	return nil
}

// endpointPath names endpoint i's fields in errors: its own body's fields
// when the request is on the endpoint's URL.
func endpointPath(i, focus int) string {
	if i == focus {
		return ""
	}
	return fmt.Sprintf("properties.endpoints[%d].", i)
}

func normalizeEndpoints(props *ProfileProperties, focus int) *arm.Error {
	if props.Endpoints == nil {
		props.Endpoints = []*Endpoint{}
	}
	if len(props.Endpoints) > maxEndpoints {
		return arm.InvalidProperty("properties.endpoints", "a profile can have at most %d endpoints", maxEndpoints)
	}
	routing := *props.TrafficRoutingMethod
	names := map[string]int{}
	for i, e := range props.Endpoints {
		at := endpointPath(i, focus)
		if e == nil {
			return arm.InvalidProperty(strings.TrimSuffix(at, "."), "an endpoint cannot be null")
		}
		if err := ValidateEndpointName(deref(e.Name), at+"name"); err != nil {
			return err
		}
		if j, dup := names[strings.ToLower(*e.Name)]; dup {
			return arm.InvalidProperty(at+"name", "endpoints %d and %d are both named '%s'; endpoint names are unique within a profile", j, i, *e.Name)
		}
		names[strings.ToLower(*e.Name)] = i
		if err := normalizeEndpoint(e, at, routing, props.AllowedEndpointRecordTypes); err != nil {
			return err
		}
	}
	if err := assignPriorities(props.Endpoints, focus); err != nil {
		return err
	}
	return checkGeoMappings(props.Endpoints, routing, focus)
}

func normalizeEndpoint(e *Endpoint, at, routing string, allowed []string) *arm.Error {
	if e.Type == nil {
		return arm.InvalidProperty(at+"type", "the endpoint type is required: %s, %s or %s", External.ARMType(), Azure.ARMType(), Nested.ARMType())
	}
	kind, ok := ParseEndpointKind(*e.Type)
	if !ok {
		return arm.InvalidProperty(at+"type", "'%s' is not an endpoint type; use %s, %s or %s", *e.Type, External.ARMType(), Azure.ARMType(), Nested.ARMType())
	}
	e.Type, e.ID = ptr(kind.ARMType()), ""
	if e.Properties == nil {
		e.Properties = &EndpointProperties{}
	}
	p := e.Properties
	pat := at + "properties."
	p.EndpointMonitorStatus = ""
	var err *arm.Error
	if p.EndpointStatus, err = oneOf(pat+"endpointStatus", p.EndpointStatus, StatusEnabled, StatusEnabled, StatusDisabled); err != nil {
		return err
	}
	if p.AlwaysServe, err = oneOf(pat+"alwaysServe", p.AlwaysServe, "", StatusEnabled, StatusDisabled); err != nil {
		return err
	}
	if err := normalizeTarget(kind, p, pat, allowed); err != nil {
		return err
	}
	if p.EndpointLocation != nil && *p.EndpointLocation != "" {
		loc := regions.Canonical(*p.EndpointLocation)
		if loc == "" {
			return arm.InvalidProperty(pat+"endpointLocation", "'%s' is not an Azure region", *p.EndpointLocation)
		}
		p.EndpointLocation = &loc
	} else {
		p.EndpointLocation = nil
		if routing == RoutingPerformance && kind != Azure {
			return arm.InvalidProperty(pat+"endpointLocation", "the endpoint location is required for %s endpoints when the traffic routing method is Performance", strings.ToLower(strings.TrimSuffix(string(kind), "Endpoints")))
		}
	}
	if p.Priority != nil && (*p.Priority < minPriority || *p.Priority > maxPriority) {
		return arm.InvalidProperty(pat+"priority", "the priority must be between %d and %d, not %d", minPriority, maxPriority, *p.Priority)
	}
	if p.Weight == nil {
		p.Weight = ptr(int64(minWeight))
	}
	if *p.Weight < minWeight || *p.Weight > maxWeight {
		return arm.InvalidProperty(pat+"weight", "the weight must be between %d and %d, not %d", minWeight, maxWeight, *p.Weight)
	}
	if len(p.Subnets) > 0 {
		return arm.InvalidProperty(pat+"subnets", "subnets apply only to the Subnet traffic routing method, which the emulator does not support")
	}
	p.Subnets = nil
	return checkHeaders(pat+"customHeaders", p.CustomHeaders)
}

// normalizeTarget checks what the endpoint points at. External endpoints
// carry a host name or IP; Azure and nested endpoints a resource id, their
// target being computed from the resource (a target a client echoes back is
// ignored).
func normalizeTarget(kind EndpointKind, p *EndpointProperties, pat string, allowed []string) *arm.Error {
	if kind != Nested && (p.MinChildEndpoints != nil || p.MinChildEndpointsIPv4 != nil || p.MinChildEndpointsIPv6 != nil) {
		return arm.InvalidProperty(pat+"minChildEndpoints", "minChildEndpoints applies only to nested endpoints")
	}
	switch kind {
	case External:
		if p.TargetResourceID != nil && *p.TargetResourceID != "" {
			return arm.InvalidProperty(pat+"targetResourceId", "an external endpoint has a target, not a targetResourceId; use an Azure endpoint for a resource")
		}
		p.TargetResourceID = nil
		if p.Target == nil || strings.TrimSpace(*p.Target) == "" {
			return arm.InvalidProperty(pat+"target", "an external endpoint needs a target: the host name or IP address users are sent to")
		}
		t := strings.TrimSuffix(strings.TrimSpace(*p.Target), ".")
		recordType, ok := targetRecordType(t)
		if !ok {
			return arm.InvalidProperty(pat+"target", "'%s' is neither an IP address nor a host name", *p.Target)
		}
		if len(allowed) > 0 && !slices.Contains(allowed, "Any") && !slices.Contains(allowed, recordType) {
			return arm.InvalidProperty(pat+"target", "the target '%s' is of type %s, which the profile's allowedEndpointRecordTypes (%s) exclude", t, recordType, strings.Join(allowed, ", "))
		}
		p.Target = &t
	case Azure, Nested:
		if p.TargetResourceID == nil || strings.TrimSpace(*p.TargetResourceID) == "" {
			return arm.InvalidProperty(pat+"targetResourceId", "an %s endpoint needs targetResourceId: the id of the resource it sends users to",
				strings.ToLower(strings.TrimSuffix(string(kind), "Endpoints")))
		}
		p.Target = nil
		if kind == Nested {
			if p.MinChildEndpoints == nil {
				p.MinChildEndpoints = ptr(int64(1))
			}
			if *p.MinChildEndpoints < 1 {
				return arm.InvalidProperty(pat+"minChildEndpoints", "minChildEndpoints must be at least 1, not %d", *p.MinChildEndpoints)
			}
			if v := p.MinChildEndpointsIPv4; v != nil && *v < 0 {
				return arm.InvalidProperty(pat+"minChildEndpointsIPv4", "minChildEndpointsIPv4 cannot be negative")
			}
			if v := p.MinChildEndpointsIPv6; v != nil && *v < 0 {
				return arm.InvalidProperty(pat+"minChildEndpointsIPv6", "minChildEndpointsIPv6 cannot be negative")
			}
		}
	}
	return nil
}

// targetRecordType classifies a target as ARM's allowedEndpointRecordTypes
// name it.
func targetRecordType(t string) (string, bool) {
	if ip := net.ParseIP(t); ip != nil {
		if ip.To4() != nil {
			return "IPv4Address", true
		}
		return "IPv6Address", true
	}
	if len(t) > maxFQDN {
		return "", false
	}
	for _, label := range strings.Split(t, ".") {
		if !hostLabel.MatchString(label) {
			return "", false
		}
	}
	return "DomainName", true
}

// assignPriorities checks the priorities given (unique) and gives each
// endpoint without one the lowest number no other endpoint holds, in list
// order, as Traffic Manager numbers endpoints when priorities are omitted.
func assignPriorities(eps []*Endpoint, focus int) *arm.Error {
	taken := map[int64]int{}
	for i, e := range eps {
		p := e.Properties.Priority
		if p == nil {
			continue
		}
		if j, dup := taken[*p]; dup {
			at, other := i, j
			if j == focus {
				at, other = j, i
			}
			return arm.InvalidProperty(endpointPath(at, focus)+"properties.priority",
				"priority %d is already used by endpoint '%s'; priorities must be unique within a profile", *p, deref(eps[other].Name))
		}
		taken[*p] = i
	}
	next := int64(minPriority)
	for i, e := range eps {
		if e.Properties.Priority != nil {
			continue
		}
		for isTaken(taken, next) {
			next++
		}
		if next > maxPriority {
			return arm.InvalidProperty(endpointPath(i, focus)+"properties.priority", "no priority between %d and %d is left to assign", minPriority, maxPriority)
		}
		e.Properties.Priority = ptr(next)
		taken[next] = i
	}
	return nil
}

func isTaken(taken map[int64]int, p int64) bool {
	_, ok := taken[p]
	return ok
}

// checkGeoMappings validates the codes, requires them under Geographic
// routing and refuses a location mapped to two endpoints.
func checkGeoMappings(eps []*Endpoint, routing string, focus int) *arm.Error {
	owner := map[string]int{}
	for i, e := range eps {
		field := endpointPath(i, focus) + "properties.geoMapping"
		codes := e.Properties.GeoMapping
		if routing == RoutingGeographic && len(codes) == 0 {
			return arm.InvalidProperty(field, "every endpoint of a profile with Geographic routing needs at least one geographic code (e.g. WORLD, GEO-EU, US, US-CA)")
		}
		seen := map[string]bool{}
		for k, c := range codes {
			code, ok := CanonicalGeoCode(deref(c))
			if !ok {
				return arm.InvalidProperty(fmt.Sprintf("%s[%d]", field, k), "'%s' is not a geographic code (WORLD, a region group such as GEO-EU, a country such as DE or a state such as US-CA)", deref(c))
			}
			if seen[code] {
				return arm.InvalidProperty(fmt.Sprintf("%s[%d]", field, k), "'%s' appears twice", code)
			}
			seen[code] = true
			codes[k] = ptr(code)
		}
	}
	for i, e := range eps {
		for _, c := range e.Properties.GeoMapping {
			for other, j := range owner {
				if j != i && geoOverlap(*c, other) {
					at, them, mine, theirs := i, j, *c, other
					if j == focus {
						at, them, mine, theirs = j, i, other, *c
					}
					return arm.InvalidProperty(endpointPath(at, focus)+"properties.geoMapping",
						"'%s' overlaps '%s' of endpoint '%s': a geographic location can be mapped to one endpoint only", mine, theirs, deref(eps[them].Name))
				}
			}
		}
		for _, c := range e.Properties.GeoMapping {
			owner[*c] = i
		}
	}
	return nil
}

// oneOf canonicalises a case-insensitive enumeration value; a nil value
// takes def (a nil result when def is "").
func oneOf(field string, v *string, def string, allowed ...string) (*string, *arm.Error) {
	if v == nil {
		if def == "" {
			return nil, nil
		}
		return ptr(def), nil
	}
	for _, a := range allowed {
		if strings.EqualFold(strings.TrimSpace(*v), a) {
			return ptr(a), nil
		}
	}
	return nil, arm.InvalidProperty(field, "'%s' is not one of %s", *v, strings.Join(allowed, ", "))
}

// EndpointField names a field of endpoint i in errors, as Normalize does:
// the request's own field when i is the focus.
func EndpointField(i, focus int, field string) string {
	return endpointPath(i, focus) + field
}
