package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"
)

// Record is what one run of one scenario proved: the JSON drill record the
// reports are built from. Times are RFC 3339; durations are seconds.
type Record struct {
	Scenario    string `json:"scenario"`
	Application string `json:"application"`
	Description string `json:"description,omitempty"`
	// RunID groups the records of one run of the suites (all shards).
	RunID string `json:"run_id"`
	// Target is "emulator" or "azure"; TimeScale the drill clock's
	// simulated seconds per real second (1 in Azure).
	Target    string    `json:"target"`
	TimeScale float64   `json:"time_scale"`
	StartedAt time.Time `json:"started_at"`
	// FinishedAt is after destroy; DurationSeconds real time.
	FinishedAt      time.Time `json:"finished_at"`
	DurationSeconds float64   `json:"duration_seconds"`
	// Verdict is "passed" or "failed"; Error says why it failed.
	Verdict string `json:"verdict"`
	Error   string `json:"error,omitempty"`
	// Objectives and the worst measured figures of the scenario's drills.
	Objectives Figures `json:"objectives"`
	Measured   Figures `json:"measured"`
	// Stages are the harness's steps (estate, init, apply, replication,
	// before-drill, drill, verify, destroy) on the real clock.
	Stages []Stage `json:"stages"`
	// Drills are the azuredr_test_failover and azuredr_failover results.
	Drills []DrillResult `json:"drills"`
	// Gaps are what needs fixing before the next drill: missed objectives,
	// failed checks, security findings, leftovers, failures. Their keys
	// are stable across runs, so reports tell gaps that appeared from
	// gaps that closed.
	Gaps []Gap `json:"gaps"`
}

// Figures are RTO and RPO in seconds (0: none, or not measured).
type Figures struct {
	RTOSeconds int64 `json:"rto_seconds"`
	RPOSeconds int64 `json:"rpo_seconds"`
}

// Stage is one step of the harness.
type Stage struct {
	Name       string    `json:"name"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Error      string    `json:"error,omitempty"`
}

// DrillResult is one drill resource's results, read from state.
type DrillResult struct {
	Address string `json:"address"`
	// Kind is "test_failover" (a parallel drill) or "failover" (cutover).
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	Passed    bool      `json:"passed"`
	StartedAt time.Time `json:"started_at"`
	Measured  Figures   `json:"measured"`
	// Objectives are the resource's own (test failovers).
	Objectives Figures      `json:"objectives"`
	Breaches   []string     `json:"breaches"`
	Items      []ItemResult `json:"items"`
	Checks     []Check      `json:"checks"`
	// Events are the drill's timeline, on the drill clock.
	Events []Event `json:"events"`
}

// ItemResult is one VM of a drill.
type ItemResult struct {
	VM                string    `json:"vm"`
	TestVM            string    `json:"test_vm,omitempty"`
	RecoveryPointTime time.Time `json:"recovery_point_time,omitzero"`
	RecoveryPointType string    `json:"recovery_point_type,omitempty"`
	FailoverStartedAt time.Time `json:"failover_started_at,omitzero"`
	ReadyAt           time.Time `json:"ready_at,omitzero"`
	// DataVersion is the data the test VM served (0: not reported).
	DataVersion int64 `json:"data_version,omitempty"`
	// TestFailoverJob and CleanupJob are the Site Recovery jobs of a test
	// failover and its cleanup ({vault}/replicationJobs/{name}).
	TestFailoverJob string `json:"test_failover_job,omitempty"`
	CleanupJob      string `json:"cleanup_job,omitempty"`
	// ProtectionState and ActiveLocation are where a cutover left it.
	ProtectionState string `json:"protection_state,omitempty"`
	ActiveLocation  string `json:"active_location,omitempty"`
}

// Check is one check's outcome on one item.
type Check struct {
	Name           string  `json:"name"`
	Item           string  `json:"item,omitempty"`
	Passed         bool    `json:"passed"`
	Failures       int     `json:"failures"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
}

// Event is one line of a drill's timeline.
type Event struct {
	// At is the drill's start plus ElapsedSeconds, on the drill clock.
	At             time.Time `json:"at,omitzero"`
	ElapsedSeconds float64   `json:"elapsed_seconds"`
	Phase          string    `json:"phase"`
	Item           string    `json:"item,omitempty"`
	Message        string    `json:"message,omitempty"`
}

// Gap is something a drill found that needs fixing.
type Gap struct {
	Key         string `json:"key"`
	Description string `json:"description"`
}

// Passed reports the verdict.
func (r *Record) Passed() bool { return r.Verdict == VerdictPassed }

// Verdicts.
const (
	VerdictPassed = "passed"
	VerdictFailed = "failed"
)

// AddGap adds a gap once per key.
func (r *Record) AddGap(key, format string, args ...any) {
	for _, g := range r.Gaps {
		if g.Key == key {
			return
		}
	}
	r.Gaps = append(r.Gaps, Gap{Key: key, Description: fmt.Sprintf(format, args...)})
}

// Write saves the record as <dir>/records/<scenario>/<run id>.json.
func (r *Record) Write(dir string) (string, error) {
	folder := filepath.Join(dir, "records", safeName(r.Scenario))
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return "", err
	}
	raw, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(folder, safeName(r.RunID)+".json")
	return path, os.WriteFile(path, append(raw, '\n'), 0o644)
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func safeName(s string) string { return unsafeChars.ReplaceAllString(s, "_") }

// LoadRecords reads every record under <dir>/records, oldest first.
func LoadRecords(dir string) ([]*Record, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "records", "*", "*.json"))
	if err != nil {
		return nil, err
	}
	var out []*Record
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var r Record
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, &r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].StartedAt.Before(out[j].StartedAt) })
	return out, nil
}
