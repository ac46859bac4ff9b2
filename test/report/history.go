package report

import (
	"sort"
	"time"
)

// History compares a scenario's run with its previous one.
type History struct {
	// Previous is the scenario's latest record before this run (nil: this
	// is its first recorded run).
	Previous *Record `json:"-"`
	// PreviousRunID and PreviousVerdict summarise it for the JSON report.
	PreviousRunID     string `json:"previous_run_id,omitempty"`
	PreviousStartedAt string `json:"previous_started_at,omitempty"`
	PreviousVerdict   string `json:"previous_verdict,omitempty"`
	// RTODeltaSeconds and RPODeltaSeconds are now minus then.
	RTODeltaSeconds int64 `json:"rto_delta_seconds"`
	RPODeltaSeconds int64 `json:"rpo_delta_seconds"`
	// Appeared, Closed and StillOpen are gaps by description.
	Appeared  []string `json:"appeared"`
	Closed    []string `json:"closed"`
	StillOpen []string `json:"still_open"`
}

// historyOf finds r's previous run among all (oldest first) and compares.
func historyOf(r *Record, all []*Record) History {
	var prev *Record
	for _, o := range all {
		if o.Scenario == r.Scenario && o.RunID != r.RunID && o.StartedAt.Before(r.StartedAt) {
			prev = o
		}
	}
	h := History{Appeared: []string{}, Closed: []string{}, StillOpen: []string{}}
	if prev == nil {
		return h
	}
	h.Previous = prev
	h.PreviousRunID, h.PreviousVerdict = prev.RunID, prev.Verdict
	h.PreviousStartedAt = prev.StartedAt.UTC().Format(time.RFC3339)
	h.RTODeltaSeconds = r.Measured.RTOSeconds - prev.Measured.RTOSeconds
	h.RPODeltaSeconds = r.Measured.RPOSeconds - prev.Measured.RPOSeconds
	before := map[string]Gap{}
	for _, g := range prev.Gaps {
		before[g.Key] = g
	}
	now := map[string]bool{}
	for _, g := range r.Gaps {
		now[g.Key] = true
		if _, was := before[g.Key]; was {
			h.StillOpen = append(h.StillOpen, g.Description)
		} else {
			h.Appeared = append(h.Appeared, g.Description)
		}
	}
	for _, g := range prev.Gaps {
		if !now[g.Key] {
			h.Closed = append(h.Closed, g.Description)
		}
	}
	sort.Strings(h.Closed)
	return h
}
