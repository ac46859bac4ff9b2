package faults

import (
	"strings"
	"testing"
	"time"
)

func TestParseRuleNamesTheOffendingField(t *testing.T) {
	cases := map[string]string{
		`{}`:                                               `"kind"`,
		`{"kind":"flood"}`:                                 `"kind"`,
		`{"kind":"throttle","colour":"red"}`:               `"colour"`,
		`{"kind":"throttle","rate":2}`:                     `"rate"`,
		`{"kind":"throttle","rate":"half"}`:                `"rate"`,
		`{"kind":"throttle","count":0}`:                    `"count"`,
		`{"kind":"latency"}`:                               `"latencyMs"`,
		`{"kind":"throttle","latencyMs":5}`:                `"latencyMs"`,
		`{"kind":"error","status":404}`:                    `"status"`,
		`{"kind":"outage"}`:                                `"region"`,
		`{"kind":"outage","region":"atlantis"}`:            `"region"`,
		`{"kind":"throttle","pathPrefix":"subscriptions"}`: `"pathPrefix"`,
		`{"kind":"throttle","retryAfterSeconds":0}`:        `"retryAfterSeconds"`,
	}
	for body, field := range cases {
		_, err := ParseRule([]byte(body))
		if err == nil {
			t.Errorf("%s: accepted", body)
			continue
		}
		if !strings.Contains(err.Error(), field) {
			t.Errorf("%s: error %q does not name %s", body, err, field)
		}
	}
}

func TestParseRuleDefaults(t *testing.T) {
	r, err := ParseRule([]byte(`{"kind":"outage","region":"East US"}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.Region != "eastus" || r.Rate != 1 || r.Count != nil {
		t.Fatalf("rule = %+v", r)
	}
	r, err = ParseRule([]byte(`{"kind":"throttle"}`))
	if err != nil || r.RetryAfterSeconds != 1 {
		t.Fatalf("throttle default retryAfterSeconds: %+v, %v", r, err)
	}
	r, err = ParseRule([]byte(`{"kind":"error"}`))
	if err != nil || r.Status != 500 {
		t.Fatalf("error default status: %+v, %v", r, err)
	}
}

func mustRule(t *testing.T, body string) Rule {
	t.Helper()
	r, err := ParseRule([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDecideScopesCountsAndCombines(t *testing.T) {
	s := NewSet()
	s.Add(mustRule(t, `{"kind":"latency","latencyMs":20,"pathPrefix":"/SUBSCRIPTIONS/"}`))
	s.Add(mustRule(t, `{"kind":"throttle","count":1,"region":"westus"}`))
	s.Add(mustRule(t, `{"kind":"error","status":503}`))

	d := s.Decide(Target{Path: "/subscriptions/x", Region: "westus"})
	if d.Latency != 20*time.Millisecond || d.Refusal == nil || d.Refusal.Code != "TooManyRequests" {
		t.Fatalf("first decision = %+v", d)
	}
	if len(s.List()) != 2 {
		t.Fatalf("count:1 rule not expired: %+v", s.List())
	}
	d = s.Decide(Target{Path: "/other", Region: "westus"})
	if d.Latency != 0 || d.Refusal == nil || d.Refusal.Status != 503 || d.Refusal.Code != "ServiceUnavailable" {
		t.Fatalf("second decision = %+v", d)
	}
}

func TestRateZeroNeverFiresAndRateHalfUsesRandom(t *testing.T) {
	s := NewSet()
	s.Add(mustRule(t, `{"kind":"throttle","rate":0}`))
	if d := s.Decide(Target{Path: "/"}); d.Refusal != nil {
		t.Fatal("rate 0 fired")
	}
	s.Clear()
	s.Add(mustRule(t, `{"kind":"throttle","rate":0.5}`))
	s.random = func() float64 { return 0.7 }
	if d := s.Decide(Target{Path: "/"}); d.Refusal != nil {
		t.Fatal("fired above the rate")
	}
	s.random = func() float64 { return 0.2 }
	if d := s.Decide(Target{Path: "/"}); d.Refusal == nil {
		t.Fatal("did not fire below the rate")
	}
}

func TestOutageHitsOnlyItsRegion(t *testing.T) {
	s := NewSet()
	s.Add(mustRule(t, `{"kind":"outage","region":"eastus"}`))
	if d := s.Decide(Target{Path: "/x", Region: "westus"}); d.Refusal != nil {
		t.Fatal("outage hit another region")
	}
	if d := s.Decide(Target{Path: "/x"}); d.Refusal != nil {
		t.Fatal("outage hit a request without a region")
	}
	if d := s.Decide(Target{Path: "/x", Region: "eastus"}); d.Refusal == nil || d.Refusal.Status != 503 {
		t.Fatalf("outage missed its region: %+v", d)
	}
}

func TestVMFailureTakesOneVMDownAndPausesItsReplication(t *testing.T) {
	const vm = "/subscriptions/6f1c7a52-3b9e-4d1a-9c3e-2a5b7d9e0f11/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1"
	for body, field := range map[string]string{
		`{"kind":"vmFailure"}`: `"vmId"`,
		`{"kind":"vmFailure","vmId":"` + vm + `","region":"eastus"}`: `"region"`,
		`{"kind":"vmFailure","vmId":"` + vm + `","count":1}`:         `"count"`,
		`{"kind":"vmFailure","vmId":"vm-1"}`:                         `"vmId"`,
		`{"kind":"throttle","vmId":"` + vm + `"}`:                    `"vmId"`,
	} {
		if _, err := ParseRule([]byte(body)); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: %v (want an error naming %s)", body, err, field)
		}
	}
	s := NewSet()
	r := s.Add(mustRule(t, `{"kind":"vmFailure","vmId":"`+strings.ToUpper(vm)+`"}`))
	if !r.PausesReplication() {
		t.Fatal("a failed host still replicates")
	}
	if why := s.Unavailable(vm, "centralus"); !strings.Contains(why, "host failed") {
		t.Fatalf("the failed VM's site: %q", why)
	}
	if why := s.Unavailable(strings.TrimSuffix(vm, "1")+"2", "centralus"); why != "" {
		t.Fatalf("another VM is down: %q", why)
	}
	if d := s.Decide(Target{Path: vm, Region: "centralus"}); d.Refusal != nil || d.Latency != 0 {
		t.Fatalf("a vmFailure rule hit an ARM request: %+v", d)
	}
}

func TestDropDecisions(t *testing.T) {
	s := NewSet()
	s.Add(mustRule(t, `{"kind":"drop","pathPrefix":"/a","count":1}`))
	s.Add(mustRule(t, `{"kind":"drop","afterHandling":true,"pathPrefix":"/b"}`))
	s.Add(mustRule(t, `{"kind":"throttle","pathPrefix":"/a"}`))
	if d := s.Decide(Target{Path: "/a/x"}); d.Drop != DropBeforeHandling || d.Refusal != nil {
		t.Fatalf("first /a: %+v, want a drop before handling and no refusal", d)
	}
	if d := s.Decide(Target{Path: "/a/x"}); d.Drop != DropNone || d.Refusal == nil {
		t.Fatalf("second /a: %+v, want the throttle once the drop is used up", d)
	}
	if d := s.Decide(Target{Path: "/b"}); d.Drop != DropAfterHandling {
		t.Fatalf("/b: %+v, want a drop after handling", d)
	}
}
