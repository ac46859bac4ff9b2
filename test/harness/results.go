package harness

import (
	"fmt"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/duration"
	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

// readResults reads the drills' results, and the findings a reader of the
// report must see, from the state after the drill's apply.
func readResults(r *report.Record, resources []stateResource) {
	for _, res := range resources {
		if res.Mode != "managed" {
			continue
		}
		switch res.Type {
		case "azuredr_test_failover":
			r.Drills = append(r.Drills, testFailoverResult(res))
		case "azuredr_failover":
			r.Drills = append(r.Drills, failoverResult(res))
		case "azuredr_network_security_group":
			for _, f := range strs(res.Values["findings"]) {
				r.AddGap("finding "+res.Address+": "+f, "%s: %s", res.Address, f)
			}
		}
	}
	for i := range r.Drills {
		d := &r.Drills[i]
		if !d.StartedAt.IsZero() {
			for j := range d.Events {
				d.Events[j].At = d.StartedAt.Add(time.Duration(d.Events[j].ElapsedSeconds * float64(time.Second))).UTC()
			}
		}
		r.Measured.RTOSeconds = max(r.Measured.RTOSeconds, d.Measured.RTOSeconds)
		r.Measured.RPOSeconds = max(r.Measured.RPOSeconds, d.Measured.RPOSeconds)
		if !d.Passed {
			r.AddGap("drill failed: "+d.Address, "%s did not pass", d.Address)
		}
		for _, b := range d.Breaches {
			objective, _, _ := strings.Cut(b, " ")
			r.AddGap("breach "+d.Address+" "+objective, "%s: %s", d.Address, b)
		}
		for _, c := range d.Checks {
			if !c.Passed {
				r.AddGap("check failed: "+d.Address+" "+c.Name+" "+c.Item, "%s: check %s never passed on %s (%d failed attempts)", d.Address, c.Name, c.Item, c.Failures)
			}
		}
	}
}

func testFailoverResult(res stateResource) report.DrillResult {
	v := res.Values
	d := report.DrillResult{
		Address: res.Address, Kind: "test_failover", Name: str(v["name"]),
		Passed:    v["passed"] == true,
		StartedAt: timeOf(v["started_at"]),
		Measured:  report.Figures{RTOSeconds: num(v["measured_rto_seconds"]), RPOSeconds: num(v["measured_rpo_seconds"])},
		Objectives: report.Figures{
			RTOSeconds: durationSeconds(str(v["rto"])),
			RPOSeconds: durationSeconds(str(v["rpo"])),
		},
		Events: parseTimeline(strs(v["timeline"])),
	}
	for _, b := range objects(v["breaches"]) {
		who := str(b["item"])
		if who == "" {
			who = "the drill"
		}
		d.Breaches = append(d.Breaches, fmt.Sprintf("%s measured %s for %s against %s (missed by %s)",
			strings.ToUpper(str(b["objective"])), str(b["measured"]), who, str(b["target"]), str(b["by"])))
	}
	for _, it := range objects(v["items"]) {
		d.Items = append(d.Items, report.ItemResult{
			VM: str(it["vm_name"]), TestVM: str(it["test_vm_name"]),
			RecoveryPointTime: timeOf(it["recovery_point_time"]), RecoveryPointType: str(it["recovery_point_type"]),
			FailoverStartedAt: timeOf(it["failover_started_at"]), ReadyAt: timeOf(it["ready_at"]),
			DataVersion:     num(it["data_version"]),
			TestFailoverJob: str(it["test_failover_job_id"]), CleanupJob: str(it["cleanup_job_id"]),
		})
	}
	d.Checks = checksOf(d.Events)
	return d
}

// failoverResult reads a cutover. It has no objectives of its own: the
// scenario's Options.Objectives apply. Its RPO is the largest gap between an
// item's failover and its recovery point (every A2A failover is an
// unplanned one, to a recovery point).
func failoverResult(res stateResource) report.DrillResult {
	v := res.Values
	d := report.DrillResult{
		Address: res.Address, Kind: "failover", Name: str(v["name"]),
		StartedAt: timeOf(v["started_at"]),
		Measured:  report.Figures{RTOSeconds: num(v["measured_rto_seconds"])},
		Events:    parseTimeline(strs(v["timeline"])),
	}
	d.Passed = str(v["committed_at"]) != "" && (v["failback"] != true || str(v["failed_back_at"]) != "")
	for _, it := range objects(v["items"]) {
		item := report.ItemResult{
			VM: str(it["vm_name"]), RecoveryPointTime: timeOf(it["recovery_point_time"]), RecoveryPointType: str(it["recovery_point_type"]),
			FailoverStartedAt: timeOf(it["failover_started_at"]),
			ProtectionState:   str(it["protection_state"]), ActiveLocation: str(it["active_location"]),
		}
		if !item.RecoveryPointTime.IsZero() && !item.FailoverStartedAt.IsZero() {
			d.Measured.RPOSeconds = max(d.Measured.RPOSeconds, int64(item.FailoverStartedAt.Sub(item.RecoveryPointTime)/time.Second))
		}
		d.Items = append(d.Items, item)
	}
	return d
}

// JSON helpers over `terraform show -json` values.

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) int64 {
	f, _ := v.(float64)
	return int64(f)
}

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		out = append(out, str(e))
	}
	return out
}

func objects(v any) []map[string]any {
	list, _ := v.([]any)
	var out []map[string]any
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func timeOf(v any) time.Time {
	t, _ := time.Parse(time.RFC3339, str(v))
	return t
}

func durationSeconds(s string) int64 {
	if s == "" {
		return 0
	}
	d, err := duration.Parse(s)
	if err != nil {
		return 0
	}
	return int64(d / time.Second)
}
