package trafficmanager_test

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/trafficmanager/armtrafficmanager"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

const tmAPI = "2022-04-01"

type tmClient struct {
	profiles  *armtrafficmanager.ProfilesClient
	endpoints *armtrafficmanager.EndpointsClient
}

func tmClients(t *testing.T, url string) tmClient {
	t.Helper()
	opts := emulatortest.ClientOptions(url)
	emulatortest.NoRetries(&opts.ClientOptions)
	p, err := armtrafficmanager.NewProfilesClient(emulatortest.Subscription, emulatortest.Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	e, err := armtrafficmanager.NewEndpointsClient(emulatortest.Subscription, emulatortest.Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return tmClient{profiles: p, endpoints: e}
}

func externalEndpoint(name, target, location string, priority int64) *armtrafficmanager.Endpoint {
	return &armtrafficmanager.Endpoint{
		Name: emulatortest.Ptr(name),
		Type: emulatortest.Ptr("Microsoft.Network/trafficManagerProfiles/externalEndpoints"),
		Properties: &armtrafficmanager.EndpointProperties{
			Target:           emulatortest.Ptr(target),
			EndpointLocation: emulatortest.Ptr(location),
			Priority:         emulatortest.Ptr(priority),
			EndpointStatus:   emulatortest.Ptr(armtrafficmanager.EndpointStatusEnabled),
		},
	}
}

func azureEndpoint(name, vmGroup, vm string, priority int64) *armtrafficmanager.Endpoint {
	return &armtrafficmanager.Endpoint{
		Name: emulatortest.Ptr(name),
		Type: emulatortest.Ptr("Microsoft.Network/trafficManagerProfiles/azureEndpoints"),
		Properties: &armtrafficmanager.EndpointProperties{
			TargetResourceID: emulatortest.Ptr("/subscriptions/" + emulatortest.Subscription + "/resourceGroups/" + vmGroup + "/providers/Microsoft.Compute/virtualMachines/" + vm),
			Priority:         emulatortest.Ptr(priority),
		},
	}
}

// profileBody is a valid Priority profile probing HTTP /healthz on port.
func profileBody(relativeName string, port int64, endpoints ...*armtrafficmanager.Endpoint) armtrafficmanager.Profile {
	return armtrafficmanager.Profile{
		Location: emulatortest.Ptr("global"),
		Tags:     map[string]*string{"app": emulatortest.Ptr("cms")},
		Properties: &armtrafficmanager.ProfileProperties{
			ProfileStatus:        emulatortest.Ptr(armtrafficmanager.ProfileStatusEnabled),
			TrafficRoutingMethod: emulatortest.Ptr(armtrafficmanager.TrafficRoutingMethodPriority),
			DNSConfig:            &armtrafficmanager.DNSConfig{RelativeName: emulatortest.Ptr(relativeName), TTL: emulatortest.Ptr(int64(30))},
			MonitorConfig: &armtrafficmanager.MonitorConfig{
				Protocol:                  emulatortest.Ptr(armtrafficmanager.MonitorProtocolHTTP),
				Port:                      emulatortest.Ptr(port),
				Path:                      emulatortest.Ptr("/healthz"),
				IntervalInSeconds:         emulatortest.Ptr(int64(10)),
				TimeoutInSeconds:          emulatortest.Ptr(int64(5)),
				ToleratedNumberOfFailures: emulatortest.Ptr(int64(1)),
			},
			Endpoints: endpoints,
		},
	}
}

// unreachable is an external target nothing answers on (TEST-NET-1): its
// probes fail or time out, and with a probe every 10 s at time scale 1 its
// endpoint stays CheckingEndpoint for the whole test.
const unreachable = "192.0.2.1"

func createProfile(t *testing.T, c tmClient, group, name string, body armtrafficmanager.Profile) (armtrafficmanager.Profile, int) {
	t.Helper()
	var raw *http.Response
	resp, err := c.profiles.CreateOrUpdate(runtime.WithCaptureResponse(emulatortest.Context(t), &raw), group, name, body, nil)
	if err != nil {
		t.Fatalf("creating profile %s: %v", name, err)
	}
	return resp.Profile, raw.StatusCode
}

func TestTrafficManagerProfileLifecycle(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-dns", "eastus2", nil)
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-other", "westus", nil)
	c := tmClients(t, srv.URL())

	body := profileBody("cms-lifecycle", 8080,
		externalEndpoint("primary", unreachable, "centralus", 1),
		externalEndpoint("recovery", "cms-dr.example.com", "East US 2", 2))
	p, status := createProfile(t, c, "rg-dns", "tm-cms", body)
	wantID := "/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-dns/providers/Microsoft.Network/trafficManagerProfiles/tm-cms"
	props := p.Properties
	if status != http.StatusCreated || *p.ID != wantID || *p.Type != "Microsoft.Network/trafficManagerProfiles" || *p.Location != "global" ||
		*p.Tags["app"] != "cms" || *props.DNSConfig.Fqdn != "cms-lifecycle.trafficmanager.net" || *props.DNSConfig.TTL != 30 ||
		*props.MonitorConfig.ProfileMonitorStatus != armtrafficmanager.ProfileMonitorStatusCheckingEndpoints ||
		*props.TrafficViewEnrollmentStatus != armtrafficmanager.TrafficViewEnrollmentStatusDisabled || len(props.Endpoints) != 2 {
		t.Fatalf("created %d %s", status, mustJSON(t, p))
	}
	ep := props.Endpoints[1]
	if *ep.ID != wantID+"/externalEndpoints/recovery" || *ep.Properties.EndpointLocation != "eastus2" || *ep.Properties.Weight != 1 ||
		*ep.Properties.EndpointMonitorStatus != armtrafficmanager.EndpointMonitorStatusCheckingEndpoint {
		t.Fatalf("endpoint %s", mustJSON(t, ep))
	}
	if _, status := createProfile(t, c, "rg-dns", "tm-cms", body); status != http.StatusOK {
		t.Fatalf("second PUT: %d", status)
	}
	got, err := c.profiles.Get(emulatortest.Context(t), "rg-dns", "TM-CMS", nil)
	if err != nil || *got.ID != wantID || len(got.Properties.Endpoints) != 2 {
		t.Fatalf("GET: %v %s", err, mustJSON(t, got))
	}

	// PATCH changes what it names and keeps the rest.
	upd, err := c.profiles.Update(emulatortest.Context(t), "rg-dns", "tm-cms", armtrafficmanager.Profile{Properties: &armtrafficmanager.ProfileProperties{
		DNSConfig:     &armtrafficmanager.DNSConfig{TTL: emulatortest.Ptr(int64(120))},
		MonitorConfig: &armtrafficmanager.MonitorConfig{ToleratedNumberOfFailures: emulatortest.Ptr(int64(4))},
	}}, nil)
	if err != nil || *upd.Properties.DNSConfig.TTL != 120 || *upd.Properties.MonitorConfig.ToleratedNumberOfFailures != 4 ||
		*upd.Properties.MonitorConfig.Path != "/healthz" || len(upd.Properties.Endpoints) != 2 || *upd.Tags["app"] != "cms" {
		t.Fatalf("PATCH: %v %s", err, mustJSON(t, upd))
	}
	// Switching to TCP drops the path without being told.
	upd, err = c.profiles.Update(emulatortest.Context(t), "rg-dns", "tm-cms", armtrafficmanager.Profile{Properties: &armtrafficmanager.ProfileProperties{
		MonitorConfig: &armtrafficmanager.MonitorConfig{Protocol: emulatortest.Ptr(armtrafficmanager.MonitorProtocolTCP)},
	}}, nil)
	if err != nil || upd.Properties.MonitorConfig.Path != nil {
		t.Fatalf("PATCH to TCP: %v %s", err, mustJSON(t, upd))
	}

	// Endpoints on their own URLs.
	e, err := c.endpoints.Get(emulatortest.Context(t), "rg-dns", "tm-cms", armtrafficmanager.EndpointTypeExternalEndpoints, "primary", nil)
	if err != nil || *e.Properties.Target != unreachable || *e.Properties.Priority != 1 {
		t.Fatalf("endpoint GET: %v %s", err, mustJSON(t, e))
	}
	var raw *http.Response
	created, err := c.endpoints.CreateOrUpdate(runtime.WithCaptureResponse(emulatortest.Context(t), &raw), "rg-dns", "tm-cms", armtrafficmanager.EndpointTypeExternalEndpoints, "third",
		armtrafficmanager.Endpoint{Properties: &armtrafficmanager.EndpointProperties{Target: emulatortest.Ptr("192.0.2.10")}}, nil)
	if err != nil || raw.StatusCode != http.StatusCreated || *created.Properties.Priority != 3 || *created.Name != "third" ||
		*created.Type != "Microsoft.Network/trafficManagerProfiles/externalEndpoints" {
		t.Fatalf("endpoint PUT: %v %s", err, mustJSON(t, created))
	}
	patched, err := c.endpoints.Update(emulatortest.Context(t), "rg-dns", "tm-cms", armtrafficmanager.EndpointTypeExternalEndpoints, "third",
		armtrafficmanager.Endpoint{Properties: &armtrafficmanager.EndpointProperties{Weight: emulatortest.Ptr(int64(50)), EndpointStatus: emulatortest.Ptr(armtrafficmanager.EndpointStatusDisabled)}}, nil)
	if err != nil || *patched.Properties.Weight != 50 || *patched.Properties.Target != "192.0.2.10" ||
		*patched.Properties.EndpointMonitorStatus != armtrafficmanager.EndpointMonitorStatusDisabled {
		t.Fatalf("endpoint PATCH: %v %s", err, mustJSON(t, patched))
	}
	if _, err := c.endpoints.CreateOrUpdate(runtime.WithCaptureResponse(emulatortest.Context(t), &raw), "rg-dns", "tm-cms", armtrafficmanager.EndpointTypeExternalEndpoints, "third",
		armtrafficmanager.Endpoint{Properties: &armtrafficmanager.EndpointProperties{Target: emulatortest.Ptr("192.0.2.11"), Priority: emulatortest.Ptr(int64(3))}}, nil); err != nil || raw.StatusCode != http.StatusOK {
		t.Fatalf("endpoint PUT over an existing one: %v", err)
	}
	inProfile, _ := c.profiles.Get(emulatortest.Context(t), "rg-dns", "tm-cms", nil)
	if n := len(inProfile.Properties.Endpoints); n != 3 || *inProfile.Properties.Endpoints[2].Properties.Target != "192.0.2.11" {
		t.Fatalf("the profile does not show the endpoint written on its own URL: %s", mustJSON(t, inProfile))
	}
	if _, err := c.endpoints.Delete(runtime.WithCaptureResponse(emulatortest.Context(t), &raw), "rg-dns", "tm-cms", armtrafficmanager.EndpointTypeExternalEndpoints, "third", nil); err != nil || raw.StatusCode != http.StatusOK {
		t.Fatalf("endpoint DELETE: %v", err)
	}
	if _, err := c.endpoints.Delete(runtime.WithCaptureResponse(emulatortest.Context(t), &raw), "rg-dns", "tm-cms", armtrafficmanager.EndpointTypeExternalEndpoints, "third", nil); err != nil || raw.StatusCode != http.StatusNoContent {
		t.Fatalf("endpoint DELETE again: %v", err)
	}
	_, err = c.endpoints.Get(emulatortest.Context(t), "rg-dns", "tm-cms", armtrafficmanager.EndpointTypeExternalEndpoints, "third", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	_, err = c.endpoints.Get(emulatortest.Context(t), "rg-dns", "tm-cms", armtrafficmanager.EndpointTypeAzureEndpoints, "primary", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound") // the wrong type is another endpoint

	// Lists, and the name is global across groups.
	createProfile(t, c, "rg-other", "tm-other", profileBody("cms-other", 80))
	byGroup := profileNames(t, c.profiles.NewListByResourceGroupPager("rg-dns", nil),
		func(r armtrafficmanager.ProfilesClientListByResourceGroupResponse) []*armtrafficmanager.Profile {
			return r.Value
		})
	all := profileNames(t, c.profiles.NewListBySubscriptionPager(nil),
		func(r armtrafficmanager.ProfilesClientListBySubscriptionResponse) []*armtrafficmanager.Profile {
			return r.Value
		})
	if byGroup != "tm-cms" || all != "tm-cms,tm-other" {
		t.Fatalf("lists: by group %q, all %q", byGroup, all)
	}
	for _, check := range []func(string) (armtrafficmanager.NameAvailability, error){
		func(n string) (armtrafficmanager.NameAvailability, error) {
			r, err := c.profiles.CheckTrafficManagerRelativeDNSNameAvailability(emulatortest.Context(t), armtrafficmanager.CheckTrafficManagerRelativeDNSNameAvailabilityParameters{Name: emulatortest.Ptr(n), Type: emulatortest.Ptr("microsoft.network/trafficmanagerprofiles")}, nil)
			return r.NameAvailability, err
		},
		func(n string) (armtrafficmanager.NameAvailability, error) {
			r, err := c.profiles.CheckTrafficManagerNameAvailabilityV2(emulatortest.Context(t), armtrafficmanager.CheckTrafficManagerRelativeDNSNameAvailabilityParameters{Name: emulatortest.Ptr(n), Type: emulatortest.Ptr("microsoft.network/trafficmanagerprofiles")}, nil)
			return r.NameAvailability, err
		},
	} {
		taken, err := check("CMS-Other")
		if err != nil || *taken.NameAvailable || *taken.Reason != "AlreadyExists" || !strings.Contains(*taken.Message, "cms-other.trafficmanager.net") {
			t.Fatalf("taken name: %v %s", err, mustJSON(t, taken))
		}
		if free, err := check("cms-free"); err != nil || !*free.NameAvailable {
			t.Fatalf("free name: %v %s", err, mustJSON(t, free))
		}
		if bad, err := check("-bad-"); err != nil || *bad.NameAvailable || *bad.Reason != "Invalid" {
			t.Fatalf("invalid name: %v %s", err, mustJSON(t, bad))
		}
	}
	_, err = c.profiles.CreateOrUpdate(emulatortest.Context(t), "rg-dns", "tm-copy", profileBody("Cms-Other", 80), nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "Conflict")

	// Deletion: 200, then 204; a missing group is 404.
	if _, err := c.profiles.Delete(runtime.WithCaptureResponse(emulatortest.Context(t), &raw), "rg-dns", "tm-cms", nil); err != nil || raw.StatusCode != http.StatusOK {
		t.Fatalf("DELETE: %v", err)
	}
	if _, err := c.profiles.Delete(runtime.WithCaptureResponse(emulatortest.Context(t), &raw), "rg-dns", "tm-cms", nil); err != nil || raw.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE again: %v", err)
	}
	_, err = c.profiles.Get(emulatortest.Context(t), "rg-dns", "tm-cms", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	_, err = c.profiles.Get(emulatortest.Context(t), "rg-missing", "tm-cms", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")
	_, err = c.profiles.CreateOrUpdate(emulatortest.Context(t), "rg-missing", "tm-cms", profileBody("cms-lifecycle", 80), nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")
	// The deleted profile's name is free again.
	createProfile(t, c, "rg-dns", "tm-again", profileBody("cms-lifecycle", 80))

	var stats struct {
		Operations map[string]map[string]int `json:"operations"`
	}
	emulatortest.CallJSON(t, http.MethodGet, srv.URL()+"/_emulator/stats", nil, &stats)
	for _, op := range []string{"Profiles_CreateOrUpdate", "Profiles_Get", "Profiles_Update", "Profiles_Delete", "Profiles_ListByResourceGroup",
		"Profiles_ListBySubscription", "Profiles_CheckTrafficManagerRelativeDnsNameAvailability", "Profiles_checkTrafficManagerNameAvailabilityV2",
		"Endpoints_CreateOrUpdate", "Endpoints_Get", "Endpoints_Update", "Endpoints_Delete"} {
		if len(stats.Operations[op]) == 0 {
			t.Errorf("stats lack %s: %v", op, stats.Operations)
		}
	}
}

func profileNames[T any](t *testing.T, pager *runtime.Pager[T], values func(T) []*armtrafficmanager.Profile) string {
	t.Helper()
	var names []string
	for pager.More() {
		page, err := pager.NextPage(emulatortest.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range values(page) {
			names = append(names, *p.Name)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Every refused body is a 400 (409 for a taken name) naming the field at
// fault, and changes nothing.
func TestTrafficManagerValidation(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{SeedFile: emulatortest.WriteSeed(t, emulatortest.EstateSeed)})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-dns", "eastus2", nil)
	c := tmClients(t, srv.URL())
	valid := func() armtrafficmanager.Profile {
		return profileBody("cms-valid", 80,
			externalEndpoint("primary", unreachable, "centralus", 1),
			azureEndpoint("recovery", "rg-standby", "vm-standby", 2))
	}
	createProfile(t, c, "rg-dns", "tm-valid", valid())
	createProfile(t, c, "rg-dns", "tm-taken", profileBody("cms-taken", 80))
	before := rawProfile(t, srv.URL(), "tm-valid")

	type mutation func(p *armtrafficmanager.Profile)
	props := func(p *armtrafficmanager.Profile) *armtrafficmanager.ProfileProperties { return p.Properties }
	mon := func(p *armtrafficmanager.Profile) *armtrafficmanager.MonitorConfig { return p.Properties.MonitorConfig }
	ep := func(p *armtrafficmanager.Profile, i int) *armtrafficmanager.EndpointProperties {
		return p.Properties.Endpoints[i].Properties
	}
	// Every case is refused both replacing tm-valid and creating tm-new,
	// unless only names one of them.
	const update, create = "update", "create"
	cases := []struct {
		name   string
		mutate mutation
		status int
		code   string
		field  string
	}{
		{"regional location", func(p *armtrafficmanager.Profile) { p.Location = emulatortest.Ptr("eastus") }, 400, "LocationNotAvailableForResourceType", "global"},
		{"no location", func(p *armtrafficmanager.Profile) { p.Location = nil }, 400, "LocationRequired", "location"},
		{"no routing method", func(p *armtrafficmanager.Profile) { props(p).TrafficRoutingMethod = nil }, 400, "BadRequest", "properties.trafficRoutingMethod"},
		{"unknown routing method", func(p *armtrafficmanager.Profile) {
			props(p).TrafficRoutingMethod = emulatortest.Ptr(armtrafficmanager.TrafficRoutingMethod("Random"))
		}, 400, "BadRequest", "properties.trafficRoutingMethod"},
		{"MultiValue", func(p *armtrafficmanager.Profile) {
			props(p).TrafficRoutingMethod = emulatortest.Ptr(armtrafficmanager.TrafficRoutingMethodMultiValue)
		}, 400, "BadRequest", "not supported by the emulator"},
		{"profile status", func(p *armtrafficmanager.Profile) {
			props(p).ProfileStatus = emulatortest.Ptr(armtrafficmanager.ProfileStatus("Off"))
		}, 400, "BadRequest", "properties.profileStatus"},
		{"relative name changed", func(p *armtrafficmanager.Profile) { props(p).DNSConfig.RelativeName = emulatortest.Ptr("cms-renamed") }, 400, "BadRequest", "cannot be changed"},
		{"relative name taken", func(p *armtrafficmanager.Profile) { props(p).DNSConfig.RelativeName = emulatortest.Ptr("CMS-TAKEN") }, 409, "Conflict", "cms-taken.trafficmanager.net"},
		{"relative name invalid", func(p *armtrafficmanager.Profile) { props(p).DNSConfig.RelativeName = emulatortest.Ptr("-cms") }, 400, "BadRequest", "properties.dnsConfig.relativeName"},
		{"negative ttl", func(p *armtrafficmanager.Profile) { props(p).DNSConfig.TTL = emulatortest.Ptr(int64(-1)) }, 400, "BadRequest", "properties.dnsConfig.ttl"},
		{"no monitor", func(p *armtrafficmanager.Profile) { props(p).MonitorConfig = nil }, 400, "BadRequest", "properties.monitorConfig"},
		{"protocol", func(p *armtrafficmanager.Profile) {
			mon(p).Protocol = emulatortest.Ptr(armtrafficmanager.MonitorProtocol("FTP"))
		}, 400, "BadRequest", "properties.monitorConfig.protocol"},
		{"no port", func(p *armtrafficmanager.Profile) { mon(p).Port = nil }, 400, "BadRequest", "properties.monitorConfig.port"},
		{"port 0", func(p *armtrafficmanager.Profile) { mon(p).Port = emulatortest.Ptr(int64(0)) }, 400, "BadRequest", "properties.monitorConfig.port"},
		{"HTTP without path", func(p *armtrafficmanager.Profile) { mon(p).Path = nil }, 400, "BadRequest", "properties.monitorConfig.path"},
		{"path without slash", func(p *armtrafficmanager.Profile) { mon(p).Path = emulatortest.Ptr("healthz") }, 400, "BadRequest", "properties.monitorConfig.path"},
		{"TCP with path", func(p *armtrafficmanager.Profile) {
			mon(p).Protocol = emulatortest.Ptr(armtrafficmanager.MonitorProtocolTCP)
		}, 400, "BadRequest", "properties.monitorConfig.path"},
		{"interval", func(p *armtrafficmanager.Profile) { mon(p).IntervalInSeconds = emulatortest.Ptr(int64(20)) }, 400, "BadRequest", "properties.monitorConfig.intervalInSeconds"},
		{"timeout not below interval", func(p *armtrafficmanager.Profile) { mon(p).TimeoutInSeconds = emulatortest.Ptr(int64(10)) }, 400, "BadRequest", "properties.monitorConfig.timeoutInSeconds"},
		{"timeout too short", func(p *armtrafficmanager.Profile) { mon(p).TimeoutInSeconds = emulatortest.Ptr(int64(4)) }, 400, "BadRequest", "properties.monitorConfig.timeoutInSeconds"},
		{"tolerated failures", func(p *armtrafficmanager.Profile) { mon(p).ToleratedNumberOfFailures = emulatortest.Ptr(int64(10)) }, 400, "BadRequest", "properties.monitorConfig.toleratedNumberOfFailures"},
		{"status range", func(p *armtrafficmanager.Profile) {
			mon(p).ExpectedStatusCodeRanges = []*armtrafficmanager.MonitorConfigExpectedStatusCodeRangesItem{{Min: emulatortest.Ptr(int32(300)), Max: emulatortest.Ptr(int32(200))}}
		}, 400, "BadRequest", "properties.monitorConfig.expectedStatusCodeRanges[0]"},
		{"endpoint without type", func(p *armtrafficmanager.Profile) { p.Properties.Endpoints[0].Type = nil }, 400, "BadRequest", "properties.endpoints[0].type"},
		{"endpoint type", func(p *armtrafficmanager.Profile) {
			p.Properties.Endpoints[0].Type = emulatortest.Ptr("Microsoft.Network/trafficManagerProfiles/cdnEndpoints")
		}, 400, "BadRequest", "properties.endpoints[0].type"},
		{"duplicate names", func(p *armtrafficmanager.Profile) { p.Properties.Endpoints[1].Name = emulatortest.Ptr("PRIMARY") }, 400, "BadRequest", "properties.endpoints[1].name"},
		{"external without target", func(p *armtrafficmanager.Profile) { ep(p, 0).Target = nil }, 400, "BadRequest", "properties.endpoints[0].properties.target"},
		{"external with resource", func(p *armtrafficmanager.Profile) { ep(p, 0).TargetResourceID = ep(p, 1).TargetResourceID }, 400, "BadRequest", "properties.endpoints[0].properties.targetResourceId"},
		{"azure without resource", func(p *armtrafficmanager.Profile) { ep(p, 1).TargetResourceID = nil }, 400, "BadRequest", "properties.endpoints[1].properties.targetResourceId"},
		{"azure on a non-VM", func(p *armtrafficmanager.Profile) {
			ep(p, 1).TargetResourceID = emulatortest.Ptr("/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-prod/providers/Microsoft.Network/publicIPAddresses/pip")
		}, 400, "BadRequest", "properties.endpoints[1].properties.targetResourceId"},
		{"azure on a missing VM", func(p *armtrafficmanager.Profile) {
			ep(p, 1).TargetResourceID = emulatortest.Ptr("/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-gone")
		}, 400, "BadRequest", "does not exist"},
		{"priority 0", func(p *armtrafficmanager.Profile) { ep(p, 0).Priority = emulatortest.Ptr(int64(0)) }, 400, "BadRequest", "properties.endpoints[0].properties.priority"},
		{"priority 1001", func(p *armtrafficmanager.Profile) { ep(p, 0).Priority = emulatortest.Ptr(int64(1001)) }, 400, "BadRequest", "properties.endpoints[0].properties.priority"},
		{"duplicate priority", func(p *armtrafficmanager.Profile) { ep(p, 1).Priority = emulatortest.Ptr(int64(1)) }, 400, "BadRequest", "properties.endpoints[1].properties.priority"},
		{"weight", func(p *armtrafficmanager.Profile) { ep(p, 0).Weight = emulatortest.Ptr(int64(0)) }, 400, "BadRequest", "properties.endpoints[0].properties.weight"},
		{"endpoint status", func(p *armtrafficmanager.Profile) {
			ep(p, 0).EndpointStatus = emulatortest.Ptr(armtrafficmanager.EndpointStatus("Paused"))
		}, 400, "BadRequest", "properties.endpoints[0].properties.endpointStatus"},
		{"unknown region", func(p *armtrafficmanager.Profile) { ep(p, 0).EndpointLocation = emulatortest.Ptr("mars") }, 400, "BadRequest", "properties.endpoints[0].properties.endpointLocation"},
		{"Performance without location", func(p *armtrafficmanager.Profile) {
			props(p).TrafficRoutingMethod = emulatortest.Ptr(armtrafficmanager.TrafficRoutingMethodPerformance)
			ep(p, 0).EndpointLocation = nil
		}, 400, "BadRequest", "properties.endpoints[0].properties.endpointLocation"},
		{"Geographic without mapping", func(p *armtrafficmanager.Profile) {
			props(p).TrafficRoutingMethod = emulatortest.Ptr(armtrafficmanager.TrafficRoutingMethodGeographic)
			ep(p, 0).GeoMapping = []*string{emulatortest.Ptr("WORLD")}
		}, 400, "BadRequest", "properties.endpoints[1].properties.geoMapping"},
		{"overlapping geo mappings", func(p *armtrafficmanager.Profile) {
			ep(p, 0).GeoMapping = []*string{emulatortest.Ptr("US")}
			ep(p, 1).GeoMapping = []*string{emulatortest.Ptr("us-ca")}
		}, 400, "BadRequest", "properties.endpoints[1].properties.geoMapping"},
		{"unknown geo code", func(p *armtrafficmanager.Profile) { ep(p, 0).GeoMapping = []*string{emulatortest.Ptr("GEO-XX")} }, 400, "BadRequest", "properties.endpoints[0].properties.geoMapping[0]"},
	}
	only := map[string]string{"relative name changed": update, "relative name taken": create}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := valid()
			tc.mutate(&body)
			if only[tc.name] != create {
				_, err := c.profiles.CreateOrUpdate(emulatortest.Context(t), "rg-dns", "tm-valid", body, nil)
				emulatortest.WantARMError(t, err, tc.status, tc.code)
				if !strings.Contains(err.Error(), tc.field) {
					t.Fatalf("the error does not name %s: %v", tc.field, err)
				}
				if after := rawProfile(t, srv.URL(), "tm-valid"); after != before {
					t.Fatalf("a refused PUT changed the profile:\n%s\n%s", before, after)
				}
			}
			if only[tc.name] != update {
				if dc := body.Properties.DNSConfig; dc != nil && dc.RelativeName != nil && *dc.RelativeName == "cms-valid" {
					dc.RelativeName = emulatortest.Ptr("cms-new") // tm-valid holds its own name
				}
				_, err := c.profiles.CreateOrUpdate(emulatortest.Context(t), "rg-dns", "tm-new", body, nil)
				emulatortest.WantARMError(t, err, tc.status, tc.code)
				if !strings.Contains(err.Error(), tc.field) {
					t.Fatalf("the error does not name %s: %v", tc.field, err)
				}
				_, err = c.profiles.Get(emulatortest.Context(t), "rg-dns", "tm-new", nil)
				emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
			}
		})
	}

	t.Run("profile name", func(t *testing.T) {
		resp, _ := emulatortest.Call(t, http.MethodPut, srv.URL()+"/subscriptions/"+emulatortest.Subscription+"/resourceGroups/rg-dns/providers/Microsoft.Network/trafficmanagerprofiles/bad%20name!?api-version="+tmAPI, valid(), nil)
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("x-ms-error-code") != "InvalidResourceName" {
			t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("x-ms-error-code"))
		}
	})
	t.Run("endpoint URL errors name the request's fields", func(t *testing.T) {
		_, err := c.endpoints.CreateOrUpdate(emulatortest.Context(t), "rg-dns", "tm-valid", armtrafficmanager.EndpointTypeExternalEndpoints, "third",
			armtrafficmanager.Endpoint{Properties: &armtrafficmanager.EndpointProperties{Target: emulatortest.Ptr("192.0.2.1"), Priority: emulatortest.Ptr(int64(2))}}, nil)
		emulatortest.WantARMError(t, err, http.StatusBadRequest, "BadRequest")
		if !strings.Contains(err.Error(), `"target": "properties.priority"`) || !strings.Contains(err.Error(), "'recovery'") {
			t.Fatalf("%v", err)
		}
		_, err = c.endpoints.CreateOrUpdate(emulatortest.Context(t), "rg-dns", "tm-valid", armtrafficmanager.EndpointTypeExternalEndpoints, "recovery",
			armtrafficmanager.Endpoint{Properties: &armtrafficmanager.EndpointProperties{Target: emulatortest.Ptr("192.0.2.1")}}, nil)
		emulatortest.WantARMError(t, err, http.StatusConflict, "Conflict")
		_, err = c.endpoints.Update(emulatortest.Context(t), "rg-dns", "tm-valid", armtrafficmanager.EndpointTypeExternalEndpoints, "primary",
			armtrafficmanager.Endpoint{Properties: &armtrafficmanager.EndpointProperties{Weight: emulatortest.Ptr(int64(1001))}}, nil)
		emulatortest.WantARMError(t, err, http.StatusBadRequest, "BadRequest")
		if !strings.Contains(err.Error(), `"target": "properties.weight"`) {
			t.Fatalf("%v", err)
		}
		resp, _ := emulatortest.Call(t, http.MethodGet, srv.URL()+"/subscriptions/"+emulatortest.Subscription+"/resourceGroups/rg-dns/providers/Microsoft.Network/trafficmanagerprofiles/tm-valid/heatMaps/default?api-version="+tmAPI, nil, nil)
		if resp.StatusCode != http.StatusNotFound || resp.Header.Get("x-ms-error-code") != "InvalidResourceType" {
			t.Fatalf("heat map: %d %s", resp.StatusCode, resp.Header.Get("x-ms-error-code"))
		}
		if after := rawProfile(t, srv.URL(), "tm-valid"); after != before {
			t.Fatalf("a refused endpoint write changed the profile:\n%s\n%s", before, after)
		}
	})
}

// rawProfile is the profile's stored configuration as GET shows it, minus
// the monitor statuses (which probing changes).
func rawProfile(t *testing.T, base, name string) string {
	t.Helper()
	var p map[string]any
	resp := emulatortest.CallJSON(t, http.MethodGet, base+"/subscriptions/"+emulatortest.Subscription+"/resourceGroups/rg-dns/providers/Microsoft.Network/trafficmanagerprofiles/"+name+"?api-version="+tmAPI, nil, &p)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", name, resp.StatusCode)
	}
	props := p["properties"].(map[string]any)
	delete(props["monitorConfig"].(map[string]any), "profileMonitorStatus")
	for _, e := range props["endpoints"].([]any) {
		delete(e.(map[string]any)["properties"].(map[string]any), "endpointMonitorStatus")
	}
	return mustJSON(t, p)
}
