package trafficmanager

import (
	"encoding/json"
	"testing"
)

func TestGeoCodes(t *testing.T) {
	for code, want := range map[string]bool{
		"WORLD": true, "world": true, "GEO-EU": true, "geo-na": true, "DE": true, "US-CA": true, "GB-ENG": true,
		"GEO-XX": false, "USA": false, "": false, "U": false, "US-": false,
	} {
		if _, ok := CanonicalGeoCode(code); ok != want {
			t.Errorf("CanonicalGeoCode(%q) = %v", code, ok)
		}
	}
	for pair, want := range map[[2]string]bool{
		{"US", "US"}: true, {"US", "US-CA"}: true, {"US-CA", "US"}: true, {"US-CA", "US-NY"}: false,
		{"GEO-NA", "US"}: false, {"WORLD", "US"}: false, {"DE", "FR"}: false,
	} {
		if got := geoOverlap(pair[0], pair[1]); got != want {
			t.Errorf("geoOverlap(%s, %s) = %v", pair[0], pair[1], got)
		}
	}
	if got := geoChain("us-ca"); len(got) != 3 || got[0] != "US-CA" || got[1] != "US" || got[2] != World {
		t.Errorf("geoChain(us-ca) = %v", got)
	}
}

func TestRelativeNames(t *testing.T) {
	for name, ok := range map[string]bool{
		"cms": true, "milestone-cms": true, "cms.dev.team": true, "CMS1": true,
		"": false, "-cms": false, "cms-": false, "cms..dev": false, "cms_dev": false,
	} {
		if reason := ValidateRelativeName(name); (reason == "") != ok {
			t.Errorf("ValidateRelativeName(%q) = %q", name, reason)
		}
	}
}

func decode(t *testing.T, raw string) *Profile {
	t.Helper()
	var p Profile
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

const minimal = `{"location":"Global","properties":{"trafficRoutingMethod":"priority",
	"dnsConfig":{"relativeName":"cms","fqdn":"echoed.example"},
	"monitorConfig":{"protocol":"http","port":80,"path":"/","intervalInSeconds":10,"profileMonitorStatus":"Online"},
	"endpoints":[
		{"name":"b","type":"ExternalEndpoints","properties":{"target":"b.example.com.","priority":1,"endpointMonitorStatus":"Online"}},
		{"name":"a","type":"microsoft.network/trafficmanagerprofiles/externalendpoints","properties":{"target":"192.0.2.1"}},
		{"name":"c","type":"AzureEndpoints","properties":{"targetResourceId":"/x","target":"ignored"}}]}}`

func TestNormalizeFillsDefaultsAndDropsReadOnlyFields(t *testing.T) {
	p := decode(t, minimal)
	if err := Normalize(p, -1); err != nil {
		t.Fatal(err)
	}
	props := p.Properties
	mc := props.MonitorConfig
	switch {
	case *p.Location != "global", *props.ProfileStatus != StatusEnabled, *props.TrafficRoutingMethod != RoutingPriority,
		*props.DNSConfig.TTL != DefaultTTL, props.DNSConfig.FQDN != "", *mc.Protocol != ProtocolHTTP, *mc.TimeoutInSeconds != 9,
		*mc.ToleratedNumberOfFailures != DefaultToleratedFailures, mc.ProfileMonitorStatus != "":
		t.Fatalf("profile defaults: %+v %+v", props, mc)
	}
	eps := props.Endpoints
	if *eps[0].Properties.Target != "b.example.com" || eps[0].Properties.EndpointMonitorStatus != "" || *eps[1].Type != External.ARMType() {
		t.Fatalf("endpoint 0/1: %+v %+v", eps[0], eps[1])
	}
	// Priorities left out are the lowest free numbers, in order.
	if *eps[1].Properties.Priority != 2 || *eps[2].Properties.Priority != 3 || *eps[1].Properties.Weight != 1 {
		t.Fatalf("priorities %d %d", *eps[1].Properties.Priority, *eps[2].Properties.Priority)
	}
	if eps[2].Properties.Target != nil || *eps[2].Properties.EndpointStatus != StatusEnabled {
		t.Fatalf("azure endpoint: %+v", eps[2].Properties)
	}
}

func TestMergeKeepsWhatThePatchDoesNotName(t *testing.T) {
	p := decode(t, minimal)
	if err := Normalize(p, -1); err != nil {
		t.Fatal(err)
	}
	// A longer interval: the stored timeout (9) still fits and is kept; a
	// shorter one it does not fit resets it.
	Merge(p, decode(t, `{"properties":{"monitorConfig":{"intervalInSeconds":30}}}`))
	if err := Normalize(p, -1); err != nil || *p.Properties.MonitorConfig.TimeoutInSeconds != 9 {
		t.Fatalf("interval 30: %v %d", err, *p.Properties.MonitorConfig.TimeoutInSeconds)
	}
	Merge(p, decode(t, `{"properties":{"monitorConfig":{"timeoutInSeconds":10}}}`))
	Merge(p, decode(t, `{"properties":{"monitorConfig":{"intervalInSeconds":10}}}`))
	if err := Normalize(p, -1); err != nil || *p.Properties.MonitorConfig.TimeoutInSeconds != 9 {
		t.Fatalf("interval 10: %v %d", err, *p.Properties.MonitorConfig.TimeoutInSeconds)
	}
	Merge(p, decode(t, `{"tags":{"k":"v"},"properties":{"endpoints":[]}}`))
	if err := Normalize(p, -1); err != nil || len(p.Properties.Endpoints) != 0 || *p.Tags["k"] != "v" || *p.Properties.DNSConfig.RelativeName != "cms" {
		t.Fatalf("endpoints replaced: %v %+v", err, p)
	}
}

func TestChooseByRoutingMethod(t *testing.T) {
	eps := []EndpointSpec{{Name: "a", Priority: 3, Weight: 1}, {Name: "b", Priority: 1, Weight: 1}, {Name: "c", Priority: 2, Weight: 1}}
	if got := choose(RoutingPriority, eps).Name; got != "b" {
		t.Errorf("priority: %s", got)
	}
	if got := choose(RoutingPerformance, eps).Name; got != "a" {
		t.Errorf("performance: %s", got)
	}
	counts := map[string]int{}
	eps[2].Weight = 0 // never chosen
	for range 100 {
		counts[choose(RoutingWeighted, eps).Name]++
	}
	if counts["c"] != 0 || counts["a"] == 0 || counts["b"] == 0 {
		t.Errorf("weighted: %v", counts)
	}
}
