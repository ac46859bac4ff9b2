package report

import (
	"fmt"
	"sort"
	"time"
)

// Cadence is one application's drill cadence against a target number of
// successful drills per calendar quarter (SayPro's two a quarter;
// Microsoft recommends a test failover per application every quarter).
type Cadence struct {
	Application string `json:"application"`
	// LastSuccess is the latest passed drill ("" for none).
	LastSuccess string `json:"last_success"`
	// Quarter is e.g. "2026-Q4"; DrillsThisQuarter and PassedThisQuarter
	// count its runs (a run of several scenarios counts once per scenario).
	Quarter           string `json:"quarter"`
	DrillsThisQuarter int    `json:"drills_this_quarter"`
	PassedThisQuarter int    `json:"passed_this_quarter"`
	Target            int    `json:"target"`
	// Status is "compliant" (the target is met), "behind" (not yet, and
	// the last success is within 90 days) or "overdue" (no successful
	// drill in 90 days).
	Status string `json:"status"`
}

func quarterOf(t time.Time) (string, time.Time) {
	t = t.UTC()
	q := (int(t.Month()) - 1) / 3
	start := time.Date(t.Year(), time.Month(q*3+1), 1, 0, 0, 0, 0, time.UTC)
	return fmt.Sprintf("%d-Q%d", t.Year(), q+1), start
}

// cadenceOf computes every application's cadence as of now.
func cadenceOf(all []*Record, target int, now time.Time) []Cadence {
	quarter, start := quarterOf(now)
	byApp := map[string]*Cadence{}
	last := map[string]time.Time{}
	for _, r := range all {
		c := byApp[r.Application]
		if c == nil {
			c = &Cadence{Application: r.Application, Quarter: quarter, Target: target}
			byApp[r.Application] = c
		}
		if !r.StartedAt.Before(start) {
			c.DrillsThisQuarter++
			if r.Passed() {
				c.PassedThisQuarter++
			}
		}
		if r.Passed() && r.StartedAt.After(last[r.Application]) {
			last[r.Application] = r.StartedAt
		}
	}
	out := make([]Cadence, 0, len(byApp))
	for app, c := range byApp {
		l := last[app]
		switch {
		case c.PassedThisQuarter >= target:
			c.Status = "compliant"
		case !l.IsZero() && now.Sub(l) <= 90*24*time.Hour:
			c.Status = "behind"
		default:
			c.Status = "overdue"
		}
		if !l.IsZero() {
			c.LastSuccess = l.UTC().Format(time.RFC3339)
		}
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Application < out[j].Application })
	return out
}
