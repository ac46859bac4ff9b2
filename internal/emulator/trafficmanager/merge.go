package trafficmanager

import "strings"

// Merge applies a PATCH body to a stored profile: every field the patch
// carries replaces the stored one (monitorConfig and dnsConfig field by
// field; endpoints, when present, as a whole list). Normalize checks the
// result. Switching the monitor to TCP drops the stored path, and a new
// interval the stored timeout no longer fits resets the timeout to its
// default, so a patch need not restate them.
func Merge(stored, patch *Profile) {
	if patch.Location != nil {
		stored.Location = patch.Location
	}
	if patch.Tags != nil {
		stored.Tags = patch.Tags
	}
	pp := patch.Properties
	if pp == nil {
		return
	}
	if stored.Properties == nil {
		stored.Properties = &ProfileProperties{}
	}
	sp := stored.Properties
	set(&sp.ProfileStatus, pp.ProfileStatus)
	set(&sp.TrafficRoutingMethod, pp.TrafficRoutingMethod)
	set(&sp.TrafficViewEnrollmentStatus, pp.TrafficViewEnrollmentStatus)
	set(&sp.MaxReturn, pp.MaxReturn)
	if pp.AllowedEndpointRecordTypes != nil {
		sp.AllowedEndpointRecordTypes = pp.AllowedEndpointRecordTypes
	}
	if pp.DNSConfig != nil {
		if sp.DNSConfig == nil {
			sp.DNSConfig = &DNSConfig{}
		}
		set(&sp.DNSConfig.RelativeName, pp.DNSConfig.RelativeName)
		set(&sp.DNSConfig.TTL, pp.DNSConfig.TTL)
	}
	if pm := pp.MonitorConfig; pm != nil {
		if sp.MonitorConfig == nil {
			sp.MonitorConfig = &MonitorConfig{}
		}
		sm := sp.MonitorConfig
		if pm.Protocol != nil && pm.Path == nil && strings.EqualFold(*pm.Protocol, ProtocolTCP) {
			sm.Path = nil
		}
		if pm.IntervalInSeconds != nil && pm.TimeoutInSeconds == nil && sm.TimeoutInSeconds != nil && *sm.TimeoutInSeconds >= *pm.IntervalInSeconds {
			sm.TimeoutInSeconds = nil
		}
		set(&sm.Protocol, pm.Protocol)
		set(&sm.Port, pm.Port)
		set(&sm.Path, pm.Path)
		set(&sm.IntervalInSeconds, pm.IntervalInSeconds)
		set(&sm.TimeoutInSeconds, pm.TimeoutInSeconds)
		set(&sm.ToleratedNumberOfFailures, pm.ToleratedNumberOfFailures)
		if pm.CustomHeaders != nil {
			sm.CustomHeaders = pm.CustomHeaders
		}
		if pm.ExpectedStatusCodeRanges != nil {
			sm.ExpectedStatusCodeRanges = pm.ExpectedStatusCodeRanges
		}
	}
	if pp.Endpoints != nil {
		sp.Endpoints = pp.Endpoints
	}
}

// MergeEndpoint applies a PATCH body to a stored endpoint, property by
// property (lists replace lists). Name and type come from the URL.
func MergeEndpoint(stored, patch *Endpoint) {
	pp := patch.Properties
	if pp == nil {
		return
	}
	if stored.Properties == nil {
		stored.Properties = &EndpointProperties{}
	}
	sp := stored.Properties
	set(&sp.Target, pp.Target)
	set(&sp.TargetResourceID, pp.TargetResourceID)
	set(&sp.EndpointStatus, pp.EndpointStatus)
	set(&sp.EndpointLocation, pp.EndpointLocation)
	set(&sp.Priority, pp.Priority)
	set(&sp.Weight, pp.Weight)
	set(&sp.AlwaysServe, pp.AlwaysServe)
	set(&sp.MinChildEndpoints, pp.MinChildEndpoints)
	set(&sp.MinChildEndpointsIPv4, pp.MinChildEndpointsIPv4)
	set(&sp.MinChildEndpointsIPv6, pp.MinChildEndpointsIPv6)
	if pp.GeoMapping != nil {
		sp.GeoMapping = pp.GeoMapping
	}
	if pp.CustomHeaders != nil {
		sp.CustomHeaders = pp.CustomHeaders
	}
	if pp.Subnets != nil {
		sp.Subnets = pp.Subnets
	}
}

func set[T any](dst **T, v *T) {
	if v != nil {
		*dst = v
	}
}
