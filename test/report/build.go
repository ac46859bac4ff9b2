package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Options say which run to report and where.
type Options struct {
	// Dir holds the records (Dir/records/...) and receives the reports.
	Dir string
	// RunID is the run to report; its records are the report's scenarios,
	// every other record is history.
	RunID string
	// CadenceTarget is the successful drills per application per quarter
	// to meet (default 2).
	CadenceTarget int
	// Now is the time cadence is computed at (default: now).
	Now time.Time
}

// Output says what Build wrote.
type Output struct {
	JUnit, JSON, HTML string
	Scenarios, Passed int
	// Expect is what the HTML must show (VerifyInChromium).
	Expect []Expectation
}

// Expectation is one scenario the HTML report must show, with its verdict,
// a timeline, and a history section when it had a previous run.
type Expectation struct {
	Scenario    string
	Verdict     string
	HasHistory  bool
	TimelineFor []string // the drills whose timeline must be drawn
}

// Summary is the JSON report: the run's records with their history, and
// cadence per application.
type Summary struct {
	RunID       string    `json:"run_id"`
	GeneratedAt time.Time `json:"generated_at"`
	Scenarios   int       `json:"scenarios"`
	Passed      int       `json:"passed"`
	Failed      int       `json:"failed"`
	Drills      []Entry   `json:"drills"`
	Cadence     []Cadence `json:"cadence"`
}

// Entry is one scenario of the run with its history.
type Entry struct {
	Record  *Record `json:"record"`
	History History `json:"history"`
}

// Build writes junit.xml, report.json and report.html for the run into
// Dir, reading every record under Dir/records.
func Build(o Options) (*Output, error) {
	if o.CadenceTarget <= 0 {
		o.CadenceTarget = 2
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	all, err := LoadRecords(o.Dir)
	if err != nil {
		return nil, err
	}
	var current []*Record
	for _, r := range all {
		if r.RunID == o.RunID {
			current = append(current, r)
		}
	}
	if len(current) == 0 {
		return nil, fmt.Errorf("no record of run %s under %s", o.RunID, filepath.Join(o.Dir, "records"))
	}
	sort.SliceStable(current, func(i, j int) bool { return current[i].Scenario < current[j].Scenario })
	sum := Summary{RunID: o.RunID, GeneratedAt: o.Now.UTC(), Scenarios: len(current), Cadence: cadenceOf(all, o.CadenceTarget, o.Now)}
	out := &Output{
		JUnit: filepath.Join(o.Dir, "junit.xml"), JSON: filepath.Join(o.Dir, "report.json"), HTML: filepath.Join(o.Dir, "report.html"),
		Scenarios: len(current),
	}
	for _, r := range current {
		e := Entry{Record: r, History: historyOf(r, all)}
		sum.Drills = append(sum.Drills, e)
		if r.Passed() {
			sum.Passed++
		} else {
			sum.Failed++
		}
		exp := Expectation{Scenario: r.Scenario, Verdict: r.Verdict, HasHistory: e.History.Previous != nil}
		for _, d := range r.Drills {
			if len(d.Events) > 0 {
				exp.TimelineFor = append(exp.TimelineFor, d.Address)
			}
		}
		out.Expect = append(out.Expect, exp)
	}
	out.Passed = sum.Passed

	xmlDoc, err := junit(o.RunID, current)
	if err != nil {
		return nil, err
	}
	jsonDoc, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return nil, err
	}
	htmlDoc, err := renderHTML(sum)
	if err != nil {
		return nil, err
	}
	for path, data := range map[string][]byte{out.JUnit: xmlDoc, out.JSON: append(jsonDoc, '\n'), out.HTML: htmlDoc} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return nil, err
		}
	}
	return out, nil
}
