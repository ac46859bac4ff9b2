package faults

import (
	"strings"
	"testing"
)

const testVM = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-web-1"

func TestReplicationPauseRulesAreValidated(t *testing.T) {
	cases := map[string]string{
		`{"kind":"replicationPause"}`:                                                 `"region"`,
		`{"kind":"replicationPause","region":"atlantis"}`:                             `"region"`,
		`{"kind":"replicationPause","vmId":"vm-web-1"}`:                               `"vmId"`,
		`{"kind":"replicationPause","vmId":"/subscriptions/x/resourceGroups/rg"}`:     `"vmId"`,
		`{"kind":"replicationPause","region":"eastus","vmId":"` + testVM + `"}`:       `exclude each other`,
		`{"kind":"replicationPause","region":"eastus","rate":0.5}`:                    `"rate"`,
		`{"kind":"replicationPause","region":"eastus","count":1}`:                     `"count"`,
		`{"kind":"replicationPause","region":"eastus","pathPrefix":"/subscriptions"}`: `"pathPrefix"`,
		`{"kind":"replicationPause","region":"eastus","retryAfterSeconds":5}`:         `"retryAfterSeconds"`,
		`{"kind":"replicationPause","region":"eastus","latencyMs":5}`:                 `"latencyMs"`,
		`{"kind":"replicationPause","region":"eastus","status":503}`:                  `"status"`,
		`{"kind":"outage","region":"eastus","vmId":"` + testVM + `"}`:                 `"vmId"`,
		`{"kind":"nope"}`: `replicationPause`,
	}
	for body, want := range cases {
		_, err := ParseRule([]byte(body))
		if err == nil {
			t.Errorf("%s: accepted", body)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %q does not mention %s", body, err, want)
		}
	}
}

func TestReplicationPauseRules(t *testing.T) {
	r, err := ParseRule([]byte(`{"kind":"replicationPause","region":"Central US"}`))
	if err != nil || r.Region != "centralus" || r.VMID != "" || !r.PausesReplication() {
		t.Fatalf("region rule = %+v, %v", r, err)
	}
	upper := strings.ToUpper(testVM[:20]) + testVM[20:]
	r, err = ParseRule([]byte(`{"kind":"replicationPause","vmId":"` + upper + `"}`))
	if err != nil || r.VMID != upper || r.Region != "" || !r.PausesReplication() {
		t.Fatalf("vm rule = %+v, %v", r, err)
	}
}

func TestWhichOutagesPauseReplication(t *testing.T) {
	for body, want := range map[string]bool{
		`{"kind":"outage","region":"eastus"}`:                                 true,
		`{"kind":"outage","region":"eastus","rate":0.5}`:                      false,
		`{"kind":"outage","region":"eastus","count":3}`:                       false,
		`{"kind":"outage","region":"eastus","pathPrefix":"/subscriptions/x"}`: false,
		`{"kind":"throttle","region":"eastus"}`:                               false,
		`{"kind":"error"}`:                                                    false,
	} {
		if got := mustRule(t, body).PausesReplication(); got != want {
			t.Errorf("%s: PausesReplication = %v, want %v", body, got, want)
		}
	}
}

func TestReplicationPauseNeverTouchesRequests(t *testing.T) {
	s := NewSet()
	s.Add(mustRule(t, `{"kind":"replicationPause","region":"eastus"}`))
	s.Add(mustRule(t, `{"kind":"replicationPause","vmId":"`+testVM+`"}`))
	if s.NeedsRegion() {
		t.Fatal("a replication pause makes requests look up their region")
	}
	if d := s.Decide(Target{Path: testVM, Region: "eastus"}); d.Refusal != nil || d.Latency != 0 || len(d.Applied) != 0 {
		t.Fatalf("decision = %+v", d)
	}
	if s.RegionDown("eastus") {
		t.Fatal("a replication pause takes the region's sites down")
	}
	for _, r := range s.List() {
		if r.Applied != 0 {
			t.Fatalf("rule applied: %+v", r)
		}
	}
}
