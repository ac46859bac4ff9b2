package testfailover

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

const testItem = "/subscriptions/s/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/f/replicationProtectionContainers/c/replicationProtectedItems/vm-web-1"
const testNet = "/subscriptions/s/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-test"

func validSpec() Spec {
	return Spec{
		Name:          "d",
		Groups:        []drill.Group{{Items: []drill.Item{{ID: testItem}}}},
		TestNetworkID: testNet,
		Checks:        []drill.Check{{Name: "web", Type: drill.CheckHTTP, URL: "http://{address}:8080/"}},
	}
}

func TestValidate(t *testing.T) {
	if err := func() error { s := validSpec(); return s.Validate() }(); err != nil {
		t.Fatalf("valid spec: %v", err)
	}
	cases := map[string]func(*Spec){
		"Name:":                  func(s *Spec) { s.Name = " " },
		"Groups:":                func(s *Spec) { s.Groups = nil },
		"Groups[0].Items[0].ID:": func(s *Spec) { s.Groups[0].Items[0].ID = "/subscriptions/s/vm" },
		"Groups[1].Items[0].ID: item": func(s *Spec) {
			s.Groups = append(s.Groups, drill.Group{Items: []drill.Item{{ID: strings.ToUpper(testItem)}}})
		},
		"TestNetworkID:":                            func(s *Spec) { s.TestNetworkID = "vnet" },
		"RecoveryPoint.Before:":                     func(s *Spec) { s.RecoveryPoint.Kind = drill.PointBefore },
		"RecoveryPoint.Kind:":                       func(s *Spec) { s.RecoveryPoint.Kind = "oldest" },
		"Checks[0].URL: unknown":                    func(s *Spec) { s.Checks[0].URL = "http://{addr}/" },
		"Checks[0].URL: \"ftp:":                     func(s *Spec) { s.Checks[0].URL = "ftp://{address}/" },
		"Checks[0].Group: 2: the drill has 1 group": func(s *Spec) { s.Checks[0].Group = 2 },
		"Checks[0].Group: -1":                       func(s *Spec) { s.Checks[0].Group = -1 },
		"Checks[0].VMNames: name the VMs or the group": func(s *Spec) {
			s.Checks[0].Group, s.Checks[0].VMNames = 1, []string{"vm-web-1"}
		},
		"Checks[0].VMNames: a check that runs once": func(s *Spec) {
			s.Checks[0].Once, s.Checks[0].VMNames = true, []string{"vm-web-1"}
		},
		"Checks[0].VMNames[1]: \"VM-WEB-1\" is named twice": func(s *Spec) { s.Checks[0].VMNames = []string{"vm-web-1", "VM-WEB-1"} },
		"Checks[0].DNSServer: placeholders": func(s *Spec) {
			s.Checks[0] = drill.Check{Name: "dns", Type: drill.CheckDNS, DNSName: "app.example", ExpectTarget: "x", DNSServer: "{address}:53"}
		},
		"CheckGrace:":             func(s *Spec) { s.CheckGrace = -time.Second },
		"Checks[0].BodyRegex:":    func(s *Spec) { s.Checks[0].BodyRegex = "(" },
		"Checks[0].Type:":         func(s *Spec) { s.Checks[0].Type = "icmp" },
		"Checks[0].ExpectTarget:": func(s *Spec) { s.Checks[0] = drill.Check{Name: "dns", Type: drill.CheckDNS, DNSName: "app.example"} },
		"Checks[1].Name:":         func(s *Spec) { s.Checks = append(s.Checks, s.Checks[0]) },
		"Groups[0].Pre[0].Command:": func(s *Spec) {
			s.Groups[0].Pre = []drill.Action{{Name: "a", Type: drill.ActionScript}}
		},
		"Groups[0].Post[0].Type:":                 func(s *Spec) { s.Groups[0].Post = []drill.Action{{Name: "a", Type: "email"}} },
		"Canary.URL: placeholder":                 func(s *Spec) { s.Canary = &drill.Canary{URL: "http://{address}/canary"} },
		"Objectives.RTO:":                         func(s *Spec) { s.Objectives.RTO = -time.Second },
		"ProbeVMID: \"vnet-test\" is not a VM id": func(s *Spec) { s.ProbeVMID = "vnet-test" },
		"Isolation.Ports[0]: 70000":               func(s *Spec) { s.Isolation.Ports = []int{70000} },
		"Isolation.InternetAddress:":              func(s *Spec) { s.Isolation.InternetAddress = "example.com" },
		"Canary.File: a canary is a URL or a file": func(s *Spec) {
			s.Canary = &drill.Canary{URL: "http://x/canary", File: &drill.CanaryFile{}}
		},
		"Canary.File.LinuxPath:": func(s *Spec) { s.Canary = &drill.Canary{File: &drill.CanaryFile{LinuxPath: "canary"}} },
		"Checks[0].From:":        func(s *Spec) { s.Checks[0].From = "laptop" },
	}
	for want, mutate := range cases {
		s := validSpec()
		mutate(&s)
		err := s.Validate()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: Validate() = %v", want, err)
		}
	}
}

func TestMeasureBreaches(t *testing.T) {
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	r := &Result{StartedAt: start.Add(-time.Hour), RecoveryStartedAt: start, ChecksPassedAt: start.Add(20 * time.Minute), Items: []ItemResult{
		{ItemID: "a", FailoverStartedAt: start.Add(time.Minute), RecoveryPoint: drill.RecoveryPoint{Time: start.Add(-4 * time.Minute)}},
		{ItemID: "b", FailoverStartedAt: start.Add(time.Minute), RecoveryPoint: drill.RecoveryPoint{Time: start.Add(-14 * time.Minute)}},
		{ItemID: "c"}, // never failed over: no figure
	}}
	r.measure(drill.Objectives{RTO: 15 * time.Minute, RPO: 10 * time.Minute})
	if r.MeasuredRTO != 20*time.Minute || r.MeasuredRPO != 15*time.Minute {
		t.Fatalf("RTO %s RPO %s", r.MeasuredRTO, r.MeasuredRPO)
	}
	want := []drill.Breach{
		{Objective: drill.ObjectiveRTO, Measured: 20 * time.Minute, Target: 15 * time.Minute, By: 5 * time.Minute},
		{Objective: drill.ObjectiveRPO, Item: "b", Measured: 15 * time.Minute, Target: 10 * time.Minute, By: 5 * time.Minute},
	}
	if fmt.Sprint(r.Breaches) != fmt.Sprint(want) {
		t.Fatalf("breaches %+v, want %+v", r.Breaches, want)
	}
	r.measure(drill.Objectives{})
	if len(r.Breaches) != 0 {
		t.Fatalf("no objectives, breaches %+v", r.Breaches)
	}
	// Checks that never passed: no RTO, so no RTO breach.
	r.ChecksPassedAt = time.Time{}
	r.MeasuredRTO = 0
	r.measure(drill.Objectives{RTO: time.Second})
	if r.MeasuredRTO != 0 || len(r.Breaches) != 0 {
		t.Fatalf("no checks passed: RTO %s breaches %+v", r.MeasuredRTO, r.Breaches)
	}
}

func TestCanaryLoss(t *testing.T) {
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	once := []drill.CanaryWrite{{Version: 5, WrittenAt: at}}
	if canaryLoss(nil, []ItemResult{{DataVersion: 5}}) != nil {
		t.Fatal("no canary: want nil")
	}
	if canaryLoss(once, []ItemResult{{}}) != nil {
		t.Fatal("no data observed: want nil")
	}
	if l := canaryLoss(once, []ItemResult{{DataVersion: 5}, {DataVersion: 6}}); l == nil || *l != 0 {
		t.Fatalf("carried: %v", l)
	}
	l := canaryLoss(once, []ItemResult{{DataVersion: 5}, {DataVersion: 4, DataWrittenAt: at.Add(-3 * time.Minute)}})
	if l == nil || *l != 3*time.Minute {
		t.Fatalf("lost: %v", l)
	}
	perItem := []drill.CanaryWrite{{Item: "a", Version: 9, WrittenAt: at}, {Item: "b", Version: 2, WrittenAt: at}}
	l = canaryLoss(perItem, []ItemResult{{ItemID: "a", DataVersion: 9}, {ItemID: "b", DataVersion: 1, DataWrittenAt: at.Add(-time.Minute)}})
	if l == nil || *l != time.Minute {
		t.Fatalf("per item: %v", l)
	}
}

// testRunner is a runner without Azure, for actions and events.
func testRunner(spec Spec) *runner {
	r := &runner{spec: spec, res: &Result{Name: spec.Name}}
	r.log.Clock = drill.WallClock()
	r.log.OnEvent = spec.Events
	r.res.StartedAt = r.log.Start()
	return r
}

func TestActionsAndEventOrder(t *testing.T) {
	var seen []drill.Event
	spec := validSpec()
	spec.Events = func(e drill.Event) { seen = append(seen, e) }
	r := testRunner(spec)
	ctx := t.Context()
	if err := r.runAction(ctx, 1, "pre", drill.Action{Name: "hello", Type: drill.ActionScript, Command: []string{"sh", "-c", "echo hi"}}); err != nil {
		t.Fatal(err)
	}
	if err := r.runAction(ctx, 1, "post", drill.Action{Name: "look", Type: drill.ActionManual, Description: "look at the dashboard"}); err != nil {
		t.Fatalf("optional manual action, nobody attends: %v", err)
	}
	err := r.runAction(ctx, 1, "post", drill.Action{Name: "approve", Type: drill.ActionManual, Required: true})
	if !errors.Is(err, drill.ErrManualRequired) || !strings.Contains(err.Error(), "group 1, post action approve") {
		t.Fatalf("required manual action, unattended: %v", err)
	}
	err = r.runAction(ctx, 2, "pre", drill.Action{Name: "boom", Type: drill.ActionScript, Command: []string{"false"}})
	if err == nil || !strings.Contains(err.Error(), "group 2, pre action boom") {
		t.Fatalf("failing script: %v", err)
	}
	var got []string
	events := r.log.Events()
	for i, e := range events {
		got = append(got, e.Phase+" "+e.Message)
		if i > 0 && e.Time.Before(events[i-1].Time) || e.Elapsed < 0 {
			t.Fatalf("event %d out of order: %+v", i, e)
		}
	}
	want := []string{
		"pre-action hello: running sh -c echo hi", "pre-action hello: output:\nhi", "pre-action hello: done",
		"post-action look: manual, skipped (unattended): look at the dashboard",
		"post-action approve: manual, required, and nobody attends: ",
		"pre-action boom: running false", "pre-action boom: failed: exit status 1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(seen) != len(events) {
		t.Fatalf("Events callback saw %d events, result has %d", len(seen), len(events))
	}

	// Attended: the Manual function performs the step.
	spec.Manual = func(_ context.Context, g int, a drill.Action) error {
		if a.Name == "deny" {
			return errors.New("denied by the approver")
		}
		return nil
	}
	r = testRunner(spec)
	if err := r.runAction(ctx, 1, "pre", drill.Action{Name: "approve", Type: drill.ActionManual, Required: true}); err != nil {
		t.Fatal(err)
	}
	if err := r.runAction(ctx, 1, "pre", drill.Action{Name: "deny", Type: drill.ActionManual}); err == nil || !strings.Contains(err.Error(), "denied") {
		t.Fatalf("denied: %v", err)
	}
	spec.Unattended = true
	r = testRunner(spec)
	if err := r.runAction(ctx, 1, "pre", drill.Action{Name: "approve", Type: drill.ActionManual, Required: true}); !errors.Is(err, drill.ErrManualRequired) {
		t.Fatalf("unattended beats Manual: %v", err)
	}
}

func TestRunInvalidSpec(t *testing.T) {
	var phases []string
	spec := validSpec()
	spec.TestNetworkID = ""
	spec.Events = func(e drill.Event) { phases = append(phases, e.Phase) }
	res, err := Run(t.Context(), nil, spec)
	if err == nil || !strings.Contains(err.Error(), "TestNetworkID") {
		t.Fatalf("Run = %v", err)
	}
	if res == nil || res.Passed || strings.Join(phases, ",") != "validate,verdict" {
		t.Fatalf("result %+v, phases %v", res, phases)
	}
}
