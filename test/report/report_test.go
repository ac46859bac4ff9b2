package report

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)

// fixture writes two nightly runs: "milestone" passes both times with an
// NSG finding the second run closes and a breach that appears; "outage"
// passes then fails.
// jobPrefix is a vault's replicationJobs collection.
const jobPrefix = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/v/replicationJobs/"

func fixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	events := []Event{
		{ElapsedSeconds: 0, Phase: "validate", Item: "", Message: "drill"}, {ElapsedSeconds: 2, Phase: "group-start", Item: "", Message: "group 1"},
		{ElapsedSeconds: 3, Phase: "test-failover", Item: "vm-web-1", Message: "into test"}, {ElapsedSeconds: 40, Phase: "test-failover-done", Item: "vm-web-1", Message: "done"},
		{ElapsedSeconds: 41, Phase: "check-failed", Item: "vm-web-1", Message: "home: connection refused"}, {ElapsedSeconds: 60, Phase: "check-passed", Item: "vm-web-1", Message: "home"},
		{ElapsedSeconds: 60, Phase: "item-ready", Item: "vm-web-1", Message: "ready"}, {ElapsedSeconds: 61, Phase: "checks-passed", Item: "", Message: "every check passed"},
		{ElapsedSeconds: 62, Phase: "cleanup", Item: "", Message: "cleaning up"}, {ElapsedSeconds: 80, Phase: "cleanup-done", Item: "", Message: "clean"}, {ElapsedSeconds: 80, Phase: "verdict", Item: "", Message: "passed"},
	}
	drill := func(rto int64, passed bool, breaches ...string) DrillResult {
		return DrillResult{Address: "azuredr_test_failover.web", Kind: "test_failover", Name: "web", Passed: passed,
			Measured: Figures{RTOSeconds: rto, RPOSeconds: 200}, Objectives: Figures{RTOSeconds: 2700, RPOSeconds: 900},
			Breaches: breaches, Events: events, Checks: []Check{{Name: "home", Item: "vm-web-1", Passed: true, Failures: 1, ElapsedSeconds: 60}},
			Items: []ItemResult{{VM: "vm-web-1", TestVM: "vm-web-1-test", DataVersion: 3,
				TestFailoverJob: jobPrefix + "6a8d0fee-5620-4dd5-886f-7b41d347d5de", CleanupJob: jobPrefix + "7ff2cc42-44c6-4968-8221-315bac2fa98c"}}}
	}
	recs := []*Record{
		{Scenario: "milestone", Application: "cms", RunID: "run1", Target: "emulator", TimeScale: 30, StartedAt: t0, FinishedAt: t0.Add(time.Minute),
			Verdict: VerdictPassed, Measured: Figures{60, 200}, Objectives: Figures{2700, 900}, Drills: []DrillResult{drill(60, true)},
			Gaps: []Gap{{Key: "finding nsg", Description: "RDP open to the Internet"}}},
		{Scenario: "outage", Application: "cms", RunID: "run1", Target: "emulator", TimeScale: 30, StartedAt: t0, FinishedAt: t0.Add(time.Minute),
			Verdict: VerdictPassed, Measured: Figures{300, 0}, Drills: []DrillResult{drill(300, true)}},
		{Scenario: "milestone", Application: "cms", RunID: "run2", Target: "emulator", TimeScale: 30, StartedAt: t0.Add(24 * time.Hour), FinishedAt: t0.Add(24*time.Hour + time.Minute),
			Verdict: VerdictPassed, Measured: Figures{90, 200}, Objectives: Figures{2700, 900}, Drills: []DrillResult{drill(90, true)},
			Gaps: []Gap{{Key: "breach rpo", Description: "RPO missed on vm-web-2"}}},
		{Scenario: "outage", Application: "cms", RunID: "run2", Target: "emulator", TimeScale: 30, StartedAt: t0.Add(24 * time.Hour), FinishedAt: t0.Add(24*time.Hour + time.Minute),
			Verdict: VerdictFailed, Error: "terraform apply: exit status 1\nError: Failover failed", Drills: []DrillResult{drill(0, false, "RTO measured 50m against 45m")},
			Gaps: []Gap{{Key: "drill failed", Description: "the drill failed"}}},
		{Scenario: "payroll-drill", Application: "payroll", RunID: "run0", Target: "emulator", StartedAt: t0.Add(-200 * 24 * time.Hour), Verdict: VerdictPassed},
	}
	for _, r := range recs {
		if _, err := r.Write(dir); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBuildWritesJUnitJSONAndHTMLWithHistoryAndCadence(t *testing.T) {
	dir := fixture(t)
	out, err := Build(Options{Dir: dir, RunID: "run2", Now: t0.Add(25 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Scenarios != 2 || out.Passed != 1 {
		t.Fatalf("scenarios %d passed %d", out.Scenarios, out.Passed)
	}

	var suites junitSuites
	raw, _ := os.ReadFile(out.JUnit)
	if err := xml.Unmarshal(raw, &suites); err != nil {
		t.Fatal(err)
	}
	if suites.Tests != 2 || suites.Failures != 1 || len(suites.Suites[0].Cases) != 2 {
		t.Fatalf("junit: %+v", suites)
	}
	failed := suites.Suites[0].Cases[1]
	if failed.Name != "outage" || failed.Failure == nil || failed.Failure.Message != "terraform apply: exit status 1" || !strings.Contains(failed.SystemOut, "test-failover-done") {
		t.Fatalf("failed case: %+v", failed)
	}

	var sum Summary
	raw, _ = os.ReadFile(out.JSON)
	if err := json.Unmarshal(raw, &sum); err != nil {
		t.Fatal(err)
	}
	if it := sum.Drills[0].Record.Drills[0].Items[0]; it.TestFailoverJob != jobPrefix+"6a8d0fee-5620-4dd5-886f-7b41d347d5de" ||
		it.CleanupJob != jobPrefix+"7ff2cc42-44c6-4968-8221-315bac2fa98c" {
		t.Fatalf("the JSON summary lost the items' Site Recovery jobs: %+v", it)
	}
	h := sum.Drills[0].History // milestone
	if h.PreviousRunID != "run1" || h.RTODeltaSeconds != 30 || len(h.Appeared) != 1 || h.Appeared[0] != "RPO missed on vm-web-2" ||
		len(h.Closed) != 1 || h.Closed[0] != "RDP open to the Internet" {
		t.Fatalf("milestone history: %+v", h)
	}
	want := map[string]Cadence{
		"cms":     {Application: "cms", Quarter: "2026-Q4", DrillsThisQuarter: 4, PassedThisQuarter: 3, Target: 2, Status: "compliant", LastSuccess: "2026-11-25T02:00:00Z"},
		"payroll": {Application: "payroll", Quarter: "2026-Q4", Target: 2, Status: "overdue", LastSuccess: "2026-05-08T02:00:00Z"},
	}
	for _, c := range sum.Cadence {
		if c != want[c.Application] {
			t.Errorf("cadence %s = %+v, want %+v", c.Application, c, want[c.Application])
		}
	}

	html, _ := os.ReadFile(out.HTML)
	for _, s := range []string{`data-scenario="milestone"`, `appeared: RPO missed on vm-web-2`, `closed: RDP open to the Internet`, `class="overdue"`,
		`test failover 6a8d0fee-5620-4dd5-886f-7b41d347d5de`, `cleanup 7ff2cc42-44c6-4968-8221-315bac2fa98c`, `title="` + jobPrefix} {
		if !strings.Contains(string(html), s) {
			t.Errorf("the HTML lacks %q", s)
		}
	}
	for _, external := range []string{"<link", "<script", " src=", "url(", `href="http`} {
		if strings.Contains(string(html), external) {
			t.Errorf("the HTML is not self-contained: it has %q", external)
		}
	}
}

func TestFirstRunHasNoHistory(t *testing.T) {
	dir := fixture(t)
	out, err := Build(Options{Dir: dir, RunID: "run1", Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range out.Expect {
		if e.HasHistory {
			t.Errorf("%s: history on its first run", e.Scenario)
		}
	}
	if _, err := Build(Options{Dir: dir, RunID: "nope"}); err == nil || !strings.Contains(err.Error(), "no record of run nope") {
		t.Fatalf("unknown run: %v", err)
	}
}

func TestTimelinePairsPhasesIntoBars(t *testing.T) {
	d := DrillResult{Address: "x", Objectives: Figures{RTOSeconds: 80}, Events: []Event{
		{ElapsedSeconds: 0, Phase: "group-start", Item: "", Message: ""}, {ElapsedSeconds: 1, Phase: "test-failover", Item: "a", Message: ""}, {ElapsedSeconds: 31, Phase: "test-failover-done", Item: "a", Message: ""},
		{ElapsedSeconds: 50, Phase: "item-ready", Item: "a", Message: ""}, {ElapsedSeconds: 51, Phase: "checks-passed", Item: "", Message: ""}, {ElapsedSeconds: 52, Phase: "cleanup", Item: "", Message: ""}, {ElapsedSeconds: 60, Phase: "cleanup-done", Item: "", Message: ""},
	}}
	v := buildTimeline(d)
	classes := map[string]int{}
	for _, b := range v.Bars {
		classes[b.Class]++
	}
	if classes["failover"] != 1 || classes["checks"] != 1 || classes["cleanup"] != 1 || len(v.Lanes) != 2 || len(v.Marks) != 7 {
		t.Fatalf("bars %v lanes %d marks %d", classes, len(v.Lanes), len(v.Marks))
	}
	var objective, ready float64
	for _, l := range v.Lines {
		switch l.Class {
		case "objective":
			objective = l.X
		case "ready":
			ready = l.X
		}
	}
	if !(ready > 0 && objective > ready) {
		t.Fatalf("recovered at x=%v should be left of the RTO objective at x=%v", ready, objective)
	}
	// An objective far past the drill's end is named, not drawn.
	d.Objectives.RTOSeconds = 2700
	if v := buildTimeline(d); v.Note != "RTO objective at +45m00s, off the chart →" || len(v.Lines) != 2 {
		t.Fatalf("note %q, %d lines", v.Note, len(v.Lines))
	}
}

// The report as people see it: rendered by headless Chromium.
func TestHTMLReportInHeadlessChromium(t *testing.T) {
	if _, err := Chromium(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err) // CI installs it: its absence is a broken pipeline
		}
		t.Skip(err)
	}
	dir := fixture(t)
	out, err := Build(Options{Dir: dir, RunID: "run2", Now: t0.Add(25 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyInChromium(out.HTML, out.Expect); err != nil {
		t.Fatal(err)
	}
	// The check can fail: a report whose outage section is missing, or
	// shows the wrong verdict, is caught.
	bad := append([]Expectation(nil), out.Expect...)
	bad[1].Verdict = VerdictPassed
	bad = append(bad, Expectation{Scenario: "ransomware", Verdict: VerdictPassed})
	err = VerifyInChromium(out.HTML, bad)
	if err == nil || !strings.Contains(err.Error(), `scenario outage: verdict "passed" not shown`) || !strings.Contains(err.Error(), "scenario ransomware: no section") {
		t.Fatalf("a wrong expectation passed: %v", err)
	}
}
