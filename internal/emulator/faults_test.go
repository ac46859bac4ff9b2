package emulator_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

func resetStats(t *testing.T, base string) {
	t.Helper()
	if resp, _ := emulatortest.Call(t, http.MethodDelete, base+"/_emulator/stats", nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("resetting stats: %d", resp.StatusCode)
	}
}

// TestThrottleIsRetriedBySDK: a one-shot 429 with Retry-After is absorbed by
// azcore's retry policy; the caller just sees success.
func TestThrottleIsRetriedBySDK(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	c := emulatortest.GroupsClient(t, srv.URL())
	emulatortest.CreateGroup(t, c, "rg-throttled", "eastus", nil)
	resetStats(t, srv.URL())
	emulatortest.AddFault(t, srv.URL(), `{"kind":"throttle","pathPrefix":"/subscriptions/`+emulatortest.Subscription+`/resourceGroups/rg-throttled","retryAfterSeconds":1,"count":1}`)

	if _, err := c.Get(emulatortest.Context(t), "rg-throttled", nil); err != nil {
		t.Fatalf("Get through a one-shot throttle: %v", err)
	}
	s := emulatortest.GetStats(t, srv.URL())
	if s.Operations["ResourceGroups_Get"]["GET"] != 2 || s.Statuses["429"] != 1 || s.Statuses["200"] != 1 || s.Faults["throttle"] != 1 {
		t.Fatalf("stats = %+v", s)
	}
	var rules struct {
		Value []json.RawMessage `json:"value"`
	}
	emulatortest.CallJSON(t, http.MethodGet, srv.URL()+"/_emulator/faults", nil, &rules)
	if len(rules.Value) != 0 {
		t.Fatalf("used-up rule still listed: %s", rules.Value)
	}
}

func TestThrottleResponseShape(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	emulatortest.AddFault(t, srv.URL(), `{"kind":"throttle","retryAfterSeconds":7}`)
	resp, raw := emulatortest.Call(t, http.MethodGet, emulatortest.GroupURL(srv.URL(), "rg-any"), nil, nil)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "7" ||
		resp.Header.Get("x-ms-error-code") != "TooManyRequests" {
		t.Fatalf("throttled = %d %v %s", resp.StatusCode, resp.Header, raw)
	}
	// Admin requests are never faulted.
	if r, _ := emulatortest.Call(t, http.MethodGet, srv.URL()+"/_emulator/healthz", nil, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("admin faulted: %d", r.StatusCode)
	}
}

// TestRegionOutageRefusesOnlyThatRegion: reads of resources in the region,
// creations in it and polls of operations on its resources fail; the rest
// of the world carries on.
func TestRegionOutageRefusesOnlyThatRegion(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	c := emulatortest.GroupsClient(t, srv.URL(), emulatortest.NoRetries)
	emulatortest.CreateGroup(t, c, "rg-east", "eastus", nil)
	emulatortest.CreateGroup(t, c, "rg-west", "westus", nil)
	delResp, _ := emulatortest.Call(t, http.MethodDelete, emulatortest.GroupURL(srv.URL(), "rg-east"), nil, nil)

	id := emulatortest.AddFault(t, srv.URL(), `{"kind":"outage","region":"eastus"}`)

	_, err := c.Get(emulatortest.Context(t), "rg-east", nil)
	emulatortest.WantARMError(t, err, http.StatusServiceUnavailable, "ServiceUnavailable")
	_, err = c.CreateOrUpdate(emulatortest.Context(t), "rg-new-east", armresources.ResourceGroup{Location: emulatortest.Ptr("East US")}, nil)
	emulatortest.WantARMError(t, err, http.StatusServiceUnavailable, "ServiceUnavailable")
	if r, _ := emulatortest.Call(t, http.MethodGet, delResp.Header.Get("Location"), nil, nil); r.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("poll of an operation in the region = %d", r.StatusCode)
	}

	if _, err := c.Get(emulatortest.Context(t), "rg-west", nil); err != nil {
		t.Fatalf("other region affected: %v", err)
	}
	emulatortest.CreateGroup(t, c, "rg-new-west", "westus", nil)

	if r, _ := emulatortest.Call(t, http.MethodDelete, srv.URL()+"/_emulator/faults/"+id, nil, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("deleting the rule: %d", r.StatusCode)
	}
	if r, _ := emulatortest.Call(t, http.MethodDelete, srv.URL()+"/_emulator/faults/"+id, nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("deleting the rule twice: %d", r.StatusCode)
	}
	if _, err := c.Get(emulatortest.Context(t), "rg-east", nil); err != nil {
		t.Fatalf("after the outage: %v", err)
	}
}

func TestServerErrorFaults(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	fastRetry := func(o *policy.ClientOptions) { o.Retry.RetryDelay = 10 * time.Millisecond }
	c := emulatortest.GroupsClient(t, srv.URL(), fastRetry)
	emulatortest.CreateGroup(t, c, "rg-flaky", "eastus", nil)

	emulatortest.AddFault(t, srv.URL(), `{"kind":"error","status":500,"count":1}`)
	if _, err := c.Get(emulatortest.Context(t), "rg-flaky", nil); err != nil {
		t.Fatalf("one 500 is retried: %v", err)
	}

	emulatortest.AddFault(t, srv.URL(), `{"kind":"error","status":503}`)
	_, err := emulatortest.GroupsClient(t, srv.URL(), emulatortest.NoRetries).Get(emulatortest.Context(t), "rg-flaky", nil)
	emulatortest.WantARMError(t, err, http.StatusServiceUnavailable, "ServiceUnavailable")

	if r, _ := emulatortest.Call(t, http.MethodDelete, srv.URL()+"/_emulator/faults", nil, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("clearing faults: %d", r.StatusCode)
	}
	if _, err := c.Get(emulatortest.Context(t), "rg-flaky", nil); err != nil {
		t.Fatalf("after clearing: %v", err)
	}
}

func TestLatencyFaultDelaysButServes(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	c := emulatortest.GroupsClient(t, srv.URL())
	emulatortest.CreateGroup(t, c, "rg-slow", "eastus", nil)
	emulatortest.AddFault(t, srv.URL(), `{"kind":"latency","latencyMs":30,"pathPrefix":"/SUBSCRIPTIONS/"}`)
	if _, err := c.Get(emulatortest.Context(t), "rg-slow", nil); err != nil {
		t.Fatal(err)
	}
	if s := emulatortest.GetStats(t, srv.URL()); s.Faults["latency"] != 1 {
		t.Fatalf("latency hits = %d", s.Faults["latency"])
	}
}

func TestInvalidFaultRulesNameTheField(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	for rule, field := range map[string]string{
		`{"kind":"throttle","rate":1.5}`:    "rate",
		`{"kind":"outage"}`:                 "region",
		`{"kind":"throttle","regoin":"x"}`:  "regoin",
		`{"kind":"latency","latencyMs":-1}`: "latencyMs",
		``:                                  "kind",
	} {
		resp, raw := emulatortest.Call(t, http.MethodPost, srv.URL()+"/_emulator/faults", rule, nil)
		var e envelope
		_ = json.Unmarshal(raw, &e)
		if resp.StatusCode != http.StatusBadRequest || e.Error.Code != "InvalidFaultRule" || !strings.Contains(e.Error.Message, field) {
			t.Errorf("%s: %d %s (want 400 naming %s)", rule, resp.StatusCode, raw, field)
		}
	}
}

func TestStatsCountARMRequestsOnly(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	c := emulatortest.GroupsClient(t, srv.URL())
	emulatortest.CreateGroup(t, c, "rg-counted", "eastus", nil)
	for i := 0; i < 3; i++ {
		if _, err := c.Get(emulatortest.Context(t), "rg-counted", nil); err != nil {
			t.Fatal(err)
		}
	}
	_, _ = c.CheckExistence(emulatortest.Context(t), "rg-nope", nil)
	emulatortest.Call(t, http.MethodGet, srv.URL()+"/subscriptions/"+emulatortest.Subscription+"/nowhere?api-version="+emulatortest.APIVersion, nil, nil)
	emulatortest.Call(t, http.MethodGet, srv.URL()+"/_emulator/healthz", nil, nil)

	s := emulatortest.GetStats(t, srv.URL())
	want := emulatortest.StatsDoc{
		Requests: 6,
		Operations: map[string]map[string]int{
			"ResourceGroups_CreateOrUpdate": {"PUT": 1},
			"ResourceGroups_Get":            {"GET": 3},
			"ResourceGroups_CheckExistence": {"HEAD": 1},
			"UnknownRoute":                  {"GET": 1},
		},
		Statuses: map[string]int{"201": 1, "200": 3, "404": 2},
	}
	if s.Requests != want.Requests || !reflect.DeepEqual(s.Operations, want.Operations) || !reflect.DeepEqual(s.Statuses, want.Statuses) {
		t.Fatalf("stats = %+v, want %+v", s, want)
	}
	for _, k := range []admin.FaultKind{"latency", "throttle", "error", "outage", "drop"} {
		if v, ok := s.Faults[k]; !ok || v != 0 {
			t.Fatalf("faults = %v", s.Faults)
		}
	}

	resetStats(t, srv.URL())
	if s := emulatortest.GetStats(t, srv.URL()); s.Requests != 0 || len(s.Operations) != 0 {
		t.Fatalf("after reset = %+v", s)
	}
}

// TestDroppedConnectionIsRetriedBySDK: a drop before handling closes the
// connection with no answer; azcore retries the transport error and the
// caller sees success. The request was never handled.
func TestDroppedConnectionIsRetriedBySDK(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	c := emulatortest.GroupsClient(t, srv.URL())
	resetStats(t, srv.URL())
	emulatortest.AddFault(t, srv.URL(), `{"kind":"drop","pathPrefix":"/subscriptions/`+emulatortest.Subscription+`/resourceGroups/rg-dropped","count":1}`)

	emulatortest.CreateGroup(t, c, "rg-dropped", "eastus", nil)
	s := emulatortest.GetStats(t, srv.URL())
	if s.Faults["drop"] != 1 {
		t.Fatalf("drop hits = %d, want 1", s.Faults["drop"])
	}
	if s.Statuses["0"] != 1 || s.Statuses["201"] != 1 {
		t.Fatalf("statuses = %v, want one dropped (0) and one 201", s.Statuses)
	}
}

// TestDroppedConnectionWithoutRetriesIsATransportError: the client sees no
// HTTP status at all, and without afterHandling nothing was done.
func TestDroppedConnectionWithoutRetriesIsATransportError(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	c := emulatortest.GroupsClient(t, srv.URL(), emulatortest.NoRetries)
	emulatortest.AddFault(t, srv.URL(), `{"kind":"drop","pathPrefix":"/subscriptions/`+emulatortest.Subscription+`/resourceGroups/rg-lost","count":1}`)
	_, err := c.CreateOrUpdate(emulatortest.Context(t), "rg-lost", armresources.ResourceGroup{Location: emulatortest.Ptr("eastus")}, nil)
	if err == nil {
		t.Fatal("a dropped connection returned no error")
	}
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		t.Fatalf("a dropped connection answered HTTP %d", re.StatusCode)
	}
	if _, err := c.Get(emulatortest.Context(t), "rg-lost", nil); err == nil {
		t.Fatal("a request dropped before handling was handled")
	}
}

// TestDroppedAfterHandling: the change is made and its answer lost; the
// retried PUT is idempotent and finds the group already there.
func TestDroppedAfterHandling(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	noRetry := emulatortest.GroupsClient(t, srv.URL(), emulatortest.NoRetries)
	emulatortest.AddFault(t, srv.URL(), `{"kind":"drop","afterHandling":true,"pathPrefix":"/subscriptions/`+emulatortest.Subscription+`/resourceGroups/rg-half","count":1}`)
	if _, err := noRetry.CreateOrUpdate(emulatortest.Context(t), "rg-half", armresources.ResourceGroup{Location: emulatortest.Ptr("eastus")}, nil); err == nil {
		t.Fatal("a dropped answer returned no error")
	}
	if _, err := noRetry.Get(emulatortest.Context(t), "rg-half", nil); err != nil {
		t.Fatalf("the request dropped after handling was not handled: %v", err)
	}
	resp, err := noRetry.CreateOrUpdate(emulatortest.Context(t), "rg-half", armresources.ResourceGroup{Location: emulatortest.Ptr("eastus")}, nil)
	if err != nil || *resp.Name != "rg-half" {
		t.Fatalf("retried PUT: %v", err)
	}
}

func TestDropRuleFields(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	for rule, field := range map[string]string{
		`{"kind":"throttle","afterHandling":true}`: "afterHandling",
		`{"kind":"drop","retryAfterSeconds":2}`:    "retryAfterSeconds",
		`{"kind":"drop","afterHandling":"yes"}`:    "afterHandling",
	} {
		resp, raw := emulatortest.Call(t, http.MethodPost, srv.URL()+"/_emulator/faults", rule, nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(raw), field) {
			t.Errorf("%s: %d %s (want 400 naming %s)", rule, resp.StatusCode, raw, field)
		}
	}
}
