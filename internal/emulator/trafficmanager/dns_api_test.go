package trafficmanager_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/trafficmanager/armtrafficmanager"
	"github.com/miekg/dns"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
)

// probeScale makes Traffic Manager's 10 s probing interval 100 ms.
const probeScale = 100

// ask sends one query over network ("udp" or "tcp") to the emulator's DNS
// server.
func ask(t *testing.T, srv *emulator.Server, network, name string, qtype uint16) *dns.Msg {
	t.Helper()
	q := new(dns.Msg)
	q.SetQuestion(dns.Fqdn(name), qtype)
	c := &dns.Client{Net: network, Timeout: 5 * time.Second}
	r, _, err := c.Exchange(q, srv.DNSAddr())
	if err != nil {
		t.Fatalf("asking %s for %s over %s: %v", srv.DNSAddr(), name, network, err)
	}
	return r
}

// answer is the A/AAAA addresses or CNAME targets of a reply, or its rcode
// when it has no answer.
func answer(r *dns.Msg) string {
	var out []string
	for _, rr := range r.Answer {
		switch v := rr.(type) {
		case *dns.A:
			out = append(out, v.A.String())
		case *dns.AAAA:
			out = append(out, v.AAAA.String())
		case *dns.CNAME:
			out = append(out, "CNAME "+v.Target)
		}
	}
	if len(out) == 0 {
		return dns.RcodeToString[r.Rcode]
	}
	return strings.Join(out, " ")
}

// tmEndpointReport is an endpoint of the admin API's /_emulator/trafficmanager.
type tmEndpointReport struct {
	Name                string `json:"name"`
	Target              string `json:"target"`
	Location            string `json:"location"`
	MonitorStatus       string `json:"monitorStatus"`
	ConsecutiveFailures int    `json:"consecutiveFailures"`
	Probes              int    `json:"probes"`
	LastProbe           *struct {
		OK     bool   `json:"ok"`
		Detail string `json:"detail"`
	} `json:"lastProbe"`
}

// endpointReports is the admin API's view of one profile's endpoints.
func endpointReports(t *testing.T, srv *emulator.Server, relativeName string) map[string]tmEndpointReport {
	t.Helper()
	var out struct {
		Value []struct {
			RelativeName string             `json:"relativeName"`
			Endpoints    []tmEndpointReport `json:"endpoints"`
		} `json:"value"`
	}
	if resp := emulatortest.CallJSON(t, http.MethodGet, srv.URL()+"/_emulator/trafficmanager", nil, &out); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /_emulator/trafficmanager: %d", resp.StatusCode)
	}
	for _, p := range out.Value {
		if p.RelativeName == relativeName {
			eps := map[string]tmEndpointReport{}
			for _, e := range p.Endpoints {
				eps[e.Name] = e
			}
			return eps
		}
	}
	t.Fatalf("the admin API does not list %s", relativeName)
	return nil
}

func removeFault(t *testing.T, srv *emulator.Server, id string) {
	t.Helper()
	if resp, _ := emulatortest.Call(t, http.MethodDelete, srv.URL()+"/_emulator/faults/"+id, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("removing fault %s: %d", id, resp.StatusCode)
	}
}

// failoverEstate starts an emulator with the seeded estate, probing fast,
// and a Priority profile "cms-dr" sending users to vm-web-1 (centralus)
// and, when it fails, to vm-standby (eastus2).
func failoverEstate(t *testing.T) (*emulator.Server, tmClient, map[string]emulatortest.VMSite) {
	t.Helper()
	srv := emulatortest.Start(t, emulator.Options{SeedFile: emulatortest.WriteSeed(t, emulatortest.EstateSeed), TimeScale: probeScale})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-dns", "eastus2", nil)
	c := tmClients(t, srv.URL())
	createProfile(t, c, "rg-dns", "tm-cms", profileBody("cms-dr", int64(srv.WebPort()),
		azureEndpoint("primary", "rg-prod", "vm-web-1", 1),
		azureEndpoint("recovery", "rg-standby", "vm-standby", 2)))
	return srv, c, emulatortest.VMSites(t, srv.URL())
}

func TestDNSFailsOverToTheRecoveryEndpointAndBack(t *testing.T) {
	srv, c, sites := failoverEstate(t)
	primary, recovery := sites["vm-web-1"].Address, sites["vm-standby"].Address
	const fqdn = "cms-dr.trafficmanager.net"

	var health struct{ DNS string }
	emulatortest.CallJSON(t, http.MethodGet, srv.URL()+"/_emulator/healthz", nil, &health)
	if health.DNS != srv.DNSAddr() || !strings.HasPrefix(health.DNS, "127.0.0.1:") {
		t.Fatalf("healthz dns = %q, server %q", health.DNS, srv.DNSAddr())
	}

	// While the primary is healthy (checking counts as healthy) it is the answer.
	r := ask(t, srv, "udp", fqdn, dns.TypeA)
	if answer(r) != primary || r.Answer[0].Header().Ttl != 30 || !r.Authoritative {
		t.Fatalf("healthy answer %v", r)
	}
	emulatortest.Eventually(t, "both endpoints Online", func() bool {
		eps := endpointReports(t, srv, "cms-dr")
		return eps["primary"].MonitorStatus == "Online" && eps["recovery"].MonitorStatus == "Online"
	})
	ep, err := c.endpoints.Get(emulatortest.Context(t), "rg-dns", "tm-cms", armtrafficmanager.EndpointTypeAzureEndpoints, "primary", nil)
	if err != nil || *ep.Properties.EndpointMonitorStatus != armtrafficmanager.EndpointMonitorStatusOnline || *ep.Properties.Target != primary {
		t.Fatalf("primary endpoint: %v %s", err, mustJSON(t, ep))
	}

	// The primary's region goes down: its site answers 503, its probes fail,
	// and after tolerated+1 failed probes DNS sends users to the recovery site.
	outage := emulatortest.AddFault(t, srv.URL(), `{"kind":"outage","region":"centralus"}`)
	before := endpointReports(t, srv, "cms-dr")["primary"]
	var moved tmEndpointReport
	emulatortest.Eventually(t, "the answer to move to the recovery endpoint", func() bool {
		if answer(ask(t, srv, "udp", fqdn, dns.TypeA)) != recovery {
			return false
		}
		moved = endpointReports(t, srv, "cms-dr")["primary"]
		return true
	})
	const tolerated = 1
	if moved.MonitorStatus != "Degraded" || moved.ConsecutiveFailures < tolerated+1 || moved.LastProbe == nil || moved.LastProbe.OK ||
		!strings.Contains(moved.LastProbe.Detail, "503") {
		t.Fatalf("primary when the answer moved: %+v", moved)
	}
	// Every probe recorded since the outage began failed, but for at most one
	// already under way when it began: the answer moved at the (tolerated+1)th
	// failure, within tolerated+1 probe intervals.
	if sinceOutage := moved.Probes - before.Probes; sinceOutage-moved.ConsecutiveFailures > 1 {
		t.Fatalf("%d probes since the outage, only the last %d failed", sinceOutage, moved.ConsecutiveFailures)
	}
	p, err := c.profiles.Get(emulatortest.Context(t), "rg-dns", "tm-cms", nil)
	if err != nil || *p.Properties.MonitorConfig.ProfileMonitorStatus != armtrafficmanager.ProfileMonitorStatusDegraded ||
		*p.Properties.Endpoints[0].Properties.EndpointMonitorStatus != armtrafficmanager.EndpointMonitorStatusDegraded ||
		*p.Properties.Endpoints[1].Properties.EndpointMonitorStatus != armtrafficmanager.EndpointMonitorStatusOnline {
		t.Fatalf("profile during the outage: %v %s", err, mustJSON(t, p))
	}

	// The outage ends: one good probe and the primary takes the traffic back.
	removeFault(t, srv, outage)
	emulatortest.Eventually(t, "the answer to return to the primary", func() bool {
		return answer(ask(t, srv, "udp", fqdn, dns.TypeA)) == primary
	})
	if back := endpointReports(t, srv, "cms-dr")["primary"]; back.MonitorStatus != "Online" || back.ConsecutiveFailures != 0 {
		t.Fatalf("primary after the outage: %+v", back)
	}

	// A disabled profile answers NXDOMAIN, at once.
	p2, err := c.profiles.Update(emulatortest.Context(t), "rg-dns", "tm-cms", armtrafficmanager.Profile{Properties: &armtrafficmanager.ProfileProperties{
		ProfileStatus: emulatortest.Ptr(armtrafficmanager.ProfileStatusDisabled)}}, nil)
	if err != nil || *p2.Properties.MonitorConfig.ProfileMonitorStatus != armtrafficmanager.ProfileMonitorStatusDisabled ||
		*p2.Properties.Endpoints[0].Properties.EndpointMonitorStatus != armtrafficmanager.EndpointMonitorStatusInactive {
		t.Fatalf("disabling: %v %s", err, mustJSON(t, p2))
	}
	for _, network := range []string{"udp", "tcp"} {
		r := ask(t, srv, network, fqdn, dns.TypeA)
		if r.Rcode != dns.RcodeNameError || len(r.Ns) != 1 || r.Ns[0].Header().Rrtype != dns.TypeSOA {
			t.Fatalf("disabled profile over %s: %v", network, r)
		}
	}
}

func TestDNSAnswersAsIfHealthyWhenEveryEndpointIsDegraded(t *testing.T) {
	srv, _, sites := failoverEstate(t)
	emulatortest.AddFault(t, srv.URL(), `{"kind":"outage","region":"centralus"}`)
	emulatortest.AddFault(t, srv.URL(), `{"kind":"outage","region":"eastus2"}`)
	emulatortest.Eventually(t, "both endpoints Degraded", func() bool {
		eps := endpointReports(t, srv, "cms-dr")
		return eps["primary"].MonitorStatus == "Degraded" && eps["recovery"].MonitorStatus == "Degraded"
	})
	if got := answer(ask(t, srv, "udp", "cms-dr.trafficmanager.net", dns.TypeA)); got != sites["vm-web-1"].Address {
		t.Fatalf("all degraded: answer %s, want the primary %s", got, sites["vm-web-1"].Address)
	}
}

func TestDNSAnswersOverUDPAndTCP(t *testing.T) {
	srv, c, sites := failoverEstate(t)
	primary := sites["vm-web-1"].Address
	for _, network := range []string{"udp", "tcp"} {
		r := ask(t, srv, network, "CMS-DR.TrafficManager.NET", dns.TypeA)
		if answer(r) != primary || r.Rcode != dns.RcodeSuccess {
			t.Fatalf("%s: %v", network, r)
		}
		// An IPv4 target has no AAAA record: NODATA with the zone's SOA.
		r = ask(t, srv, network, "cms-dr.trafficmanager.net", dns.TypeAAAA)
		if r.Rcode != dns.RcodeSuccess || len(r.Answer) != 0 || len(r.Ns) != 1 {
			t.Fatalf("%s AAAA: %v", network, r)
		}
		if r := ask(t, srv, network, "nobody.trafficmanager.net", dns.TypeA); r.Rcode != dns.RcodeNameError {
			t.Fatalf("%s unknown name: %v", network, r)
		}
		if r := ask(t, srv, network, "example.com", dns.TypeA); r.Rcode != dns.RcodeRefused {
			t.Fatalf("%s outside the zone: %v", network, r)
		}
	}

	// A host name target is a CNAME; an IPv6 target an AAAA record.
	createProfile(t, c, "rg-dns", "tm-names", profileBody("cms-names", 443,
		externalEndpoint("web", "cms.example.com", "centralus", 1)))
	if got := answer(ask(t, srv, "udp", "cms-names.trafficmanager.net", dns.TypeA)); got != "CNAME cms.example.com." {
		t.Fatalf("name target: %s", got)
	}
	createProfile(t, c, "rg-dns", "tm-v6", profileBody("cms-v6", 443, externalEndpoint("web", "::1", "centralus", 1)))
	if got := answer(ask(t, srv, "tcp", "cms-v6.trafficmanager.net", dns.TypeAAAA)); got != "::1" {
		t.Fatalf("IPv6 target: %s", got)
	}

	// A nested endpoint is a CNAME to its child profile, followed: the
	// answer ends at the child's choice.
	nested := &armtrafficmanager.Endpoint{
		Name: emulatortest.Ptr("child"),
		Type: emulatortest.Ptr("Microsoft.Network/trafficManagerProfiles/nestedEndpoints"),
		Properties: &armtrafficmanager.EndpointProperties{
			TargetResourceID: emulatortest.Ptr("/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-dns/providers/Microsoft.Network/trafficManagerProfiles/tm-cms"),
			EndpointLocation: emulatortest.Ptr("centralus"),
		},
	}
	createProfile(t, c, "rg-dns", "tm-parent", profileBody("cms-parent", 443, nested))
	if got := answer(ask(t, srv, "udp", "cms-parent.trafficmanager.net", dns.TypeA)); got != "CNAME cms-dr.trafficmanager.net. "+primary {
		t.Fatalf("nested: %s", got)
	}
}

func TestDNSRoutingMethods(t *testing.T) {
	srv, c, sites := failoverEstate(t)
	web1, web2, standby := sites["vm-web-1"].Address, sites["vm-web-2"].Address, sites["vm-standby"].Address
	port := int64(srv.WebPort())

	weighted := profileBody("cms-weighted", port,
		azureEndpoint("light", "rg-prod", "vm-web-1", 1), azureEndpoint("heavy", "rg-prod", "vm-web-2", 2))
	weighted.Properties.TrafficRoutingMethod = emulatortest.Ptr(armtrafficmanager.TrafficRoutingMethodWeighted)
	weighted.Properties.Endpoints[0].Properties.Weight = emulatortest.Ptr(int64(1))
	weighted.Properties.Endpoints[1].Properties.Weight = emulatortest.Ptr(int64(3))
	createProfile(t, c, "rg-dns", "tm-weighted", weighted)
	seen := map[string]int{}
	for range 200 {
		seen[answer(ask(t, srv, "udp", "cms-weighted.trafficmanager.net", dns.TypeA))]++
	}
	if len(seen) != 2 || seen[web1] == 0 || seen[web2] <= seen[web1] {
		t.Fatalf("weighted answers: %v (web-1 %s weight 1, web-2 %s weight 3)", seen, web1, web2)
	}

	geo := profileBody("cms-geo", port,
		azureEndpoint("americas", "rg-prod", "vm-web-1", 1), azureEndpoint("rest", "rg-standby", "vm-standby", 2))
	geo.Properties.TrafficRoutingMethod = emulatortest.Ptr(armtrafficmanager.TrafficRoutingMethodGeographic)
	geo.Properties.Endpoints[0].Properties.GeoMapping = []*string{emulatortest.Ptr("GEO-NA"), emulatortest.Ptr("US")}
	geo.Properties.Endpoints[1].Properties.GeoMapping = []*string{emulatortest.Ptr("WORLD")}
	createProfile(t, c, "rg-dns", "tm-geo", geo)
	if got := answer(ask(t, srv, "udp", "cms-geo.trafficmanager.net", dns.TypeA)); got != standby {
		t.Fatalf("geographic from WORLD: %s, want %s", got, standby)
	}
	geo.Properties.Endpoints[1].Properties.GeoMapping = []*string{emulatortest.Ptr("GEO-EU")}
	createProfile(t, c, "rg-dns", "tm-geo", geo)
	if r := ask(t, srv, "udp", "cms-geo.trafficmanager.net", dns.TypeA); r.Rcode != dns.RcodeSuccess || len(r.Answer) != 0 {
		t.Fatalf("geographic with nothing mapped to WORLD: %v", r)
	}

	perf := profileBody("cms-perf", port, azureEndpoint("a", "rg-standby", "vm-standby", 1), azureEndpoint("b", "rg-prod", "vm-web-1", 2))
	perf.Properties.TrafficRoutingMethod = emulatortest.Ptr(armtrafficmanager.TrafficRoutingMethodPerformance)
	created, _ := createProfile(t, c, "rg-dns", "tm-perf", perf)
	if created.Properties.Endpoints[0].Properties.EndpointLocation != nil {
		t.Fatalf("an Azure endpoint's location is not echoed unless given: %s", mustJSON(t, created))
	}
	if got := answer(ask(t, srv, "udp", "cms-perf.trafficmanager.net", dns.TypeA)); got != standby {
		t.Fatalf("performance: %s, want the first endpoint %s", got, standby)
	}

	// Disabled endpoints are left out; a profile without an enabled one is NXDOMAIN.
	if _, err := c.endpoints.Update(emulatortest.Context(t), "rg-dns", "tm-perf", armtrafficmanager.EndpointTypeAzureEndpoints, "a",
		armtrafficmanager.Endpoint{Properties: &armtrafficmanager.EndpointProperties{EndpointStatus: emulatortest.Ptr(armtrafficmanager.EndpointStatusDisabled)}}, nil); err != nil {
		t.Fatal(err)
	}
	if got := answer(ask(t, srv, "udp", "cms-perf.trafficmanager.net", dns.TypeA)); got != web1 {
		t.Fatalf("with a disabled: %s, want %s", got, web1)
	}
	if _, err := c.endpoints.Delete(emulatortest.Context(t), "rg-dns", "tm-perf", armtrafficmanager.EndpointTypeAzureEndpoints, "b", nil); err != nil {
		t.Fatal(err)
	}
	if r := ask(t, srv, "udp", "cms-perf.trafficmanager.net", dns.TypeA); r.Rcode != dns.RcodeNameError {
		t.Fatalf("no enabled endpoint: %v", r)
	}
}

// An external endpoint's location is what a region outage hits, even when
// its target itself stays up.
func TestAnOutageInAnExternalEndpointsRegionFailsItsProbes(t *testing.T) {
	srv, c, sites := failoverEstate(t)
	body := profileBody("cms-external", int64(srv.WebPort()),
		externalEndpoint("primary", sites["vm-web-2"].Address, "westus", 1),
		externalEndpoint("recovery", sites["vm-standby"].Address, "eastus2", 2))
	createProfile(t, c, "rg-dns", "tm-external", body)
	emulatortest.Eventually(t, "the primary Online", func() bool { return endpointReports(t, srv, "cms-external")["primary"].MonitorStatus == "Online" })
	emulatortest.AddFault(t, srv.URL(), `{"kind":"outage","region":"westus"}`)
	emulatortest.Eventually(t, "the answer to move", func() bool {
		return answer(ask(t, srv, "udp", "cms-external.trafficmanager.net", dns.TypeA)) == sites["vm-standby"].Address
	})
	if e := endpointReports(t, srv, "cms-external")["primary"]; e.MonitorStatus != "Degraded" || !strings.Contains(e.LastProbe.Detail, "westus") {
		t.Fatalf("primary: %+v", e)
	}
	if status, _, _ := emulatortest.GetPage(t, sites["vm-web-2"].URL); status != http.StatusOK {
		t.Fatalf("the eastus2 VM itself is up: %d", status)
	}
}

// Probes send the monitor's headers, accept the expected status codes, and
// TCP probes only connect.
func TestProbeSettings(t *testing.T) {
	var mu sync.Mutex
	var seen *http.Request
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = r.Clone(r.Context())
		mu.Unlock()
		w.WriteHeader(http.StatusTeapot)
	}))
	t.Cleanup(site.Close)
	port := int64(site.Listener.Addr().(*net.TCPAddr).Port)
	srv := emulatortest.Start(t, emulator.Options{TimeScale: probeScale})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-dns", "eastus2", nil)
	c := tmClients(t, srv.URL())

	body := profileBody("cms-probe", port, externalEndpoint("only", "127.0.0.1", "eastus2", 1))
	mc := body.Properties.MonitorConfig
	mc.Path = emulatortest.Ptr("/status?deep=1")
	mc.CustomHeaders = []*armtrafficmanager.MonitorConfigCustomHeadersItem{{Name: emulatortest.Ptr("Host"), Value: emulatortest.Ptr("cms.example.com")}, {Name: emulatortest.Ptr("X-Probe"), Value: emulatortest.Ptr("profile")}}
	body.Properties.Endpoints[0].Properties.CustomHeaders = []*armtrafficmanager.EndpointPropertiesCustomHeadersItem{{Name: emulatortest.Ptr("X-Probe"), Value: emulatortest.Ptr("endpoint")}}
	createProfile(t, c, "rg-dns", "tm-probe", body)
	emulatortest.Eventually(t, "a 418 to degrade the endpoint (200 is expected)", func() bool {
		return endpointReports(t, srv, "cms-probe")["only"].MonitorStatus == "Degraded"
	})
	mu.Lock()
	got := seen
	mu.Unlock()
	if got.Host != "cms.example.com" || got.Header.Get("X-Probe") != "endpoint" || got.URL.RequestURI() != "/status?deep=1" ||
		got.Header.Get("User-Agent") != "Azure Traffic Manager Endpoint Monitor" {
		t.Fatalf("probe request: host %q, headers %v, uri %s", got.Host, got.Header, got.URL.RequestURI())
	}

	mc.ExpectedStatusCodeRanges = []*armtrafficmanager.MonitorConfigExpectedStatusCodeRangesItem{{Min: emulatortest.Ptr(int32(400)), Max: emulatortest.Ptr(int32(418))}}
	createProfile(t, c, "rg-dns", "tm-probe", body)
	emulatortest.Eventually(t, "418 within the expected ranges", func() bool {
		return endpointReports(t, srv, "cms-probe")["only"].MonitorStatus == "Online"
	})

	mc.Protocol, mc.Path, mc.CustomHeaders, mc.ExpectedStatusCodeRanges = emulatortest.Ptr(armtrafficmanager.MonitorProtocolTCP), nil, nil, nil
	createProfile(t, c, "rg-dns", "tm-probe", body)
	emulatortest.Eventually(t, "a TCP probe to succeed", func() bool {
		e := endpointReports(t, srv, "cms-probe")["only"]
		return e.MonitorStatus == "Online" && e.LastProbe != nil && strings.Contains(e.LastProbe.Detail, "TCP")
	})
	site.Close()
	emulatortest.Eventually(t, "a TCP probe of a closed port to fail", func() bool {
		return endpointReports(t, srv, "cms-probe")["only"].MonitorStatus == "Degraded"
	})
}

// Profiles are durable; health restarts from CheckingEndpoint and the DNS
// server answers again after a restart.
func TestTrafficManagerSurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	srv := emulatortest.Start(t, emulator.Options{DataDir: dir, SeedFile: emulatortest.WriteSeed(t, emulatortest.EstateSeed), TimeScale: probeScale})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-dns", "eastus2", nil)
	createProfile(t, tmClients(t, srv.URL()), "rg-dns", "tm-cms", profileBody("cms-dr", int64(srv.WebPort()),
		azureEndpoint("primary", "rg-prod", "vm-web-1", 1), azureEndpoint("recovery", "rg-standby", "vm-standby", 2)))
	primary := emulatortest.VMSites(t, srv.URL())["vm-web-1"].Address
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	again := emulatortest.Start(t, emulator.Options{DataDir: dir, TimeScale: probeScale})
	if got := answer(ask(t, again, "udp", "cms-dr.trafficmanager.net", dns.TypeA)); got != primary {
		t.Fatalf("after a restart: %s, want %s", got, primary)
	}
	emulatortest.Eventually(t, "the primary Online again", func() bool {
		return endpointReports(t, again, "cms-dr")["primary"].MonitorStatus == "Online"
	})
}

// Deleting a profile's resource group removes it from DNS and stops its probes.
func TestAProfileGoesAwayWithItsGroup(t *testing.T) {
	srv, _, _ := failoverEstate(t)
	if _, err := emulatortest.GroupsClient(t, srv.URL()).BeginDelete(emulatortest.Context(t), "rg-dns", nil); err != nil {
		t.Fatal(err)
	}
	emulatortest.Eventually(t, "NXDOMAIN once the group is gone", func() bool {
		return ask(t, srv, "udp", "cms-dr.trafficmanager.net", dns.TypeA).Rcode == dns.RcodeNameError
	})
}
