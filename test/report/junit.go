package report

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// The JUnit XML that CI systems (GitHub Actions, Azure DevOps, Jenkins)
// show as test results: one test case per scenario.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Time     float64      `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Time      float64     `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      float64       `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// junit renders the run's records.
func junit(runID string, records []*Record) ([]byte, error) {
	s := junitSuite{Name: "azuredr drills " + runID, Cases: []junitCase{}}
	for _, r := range records {
		c := junitCase{Name: r.Scenario, Classname: "azuredr." + r.Application, Time: r.DurationSeconds}
		var out strings.Builder
		fmt.Fprintf(&out, "target %s (time scale %g); measured RTO %ds, RPO %ds; objectives RTO %ds, RPO %ds\n",
			r.Target, r.TimeScale, r.Measured.RTOSeconds, r.Measured.RPOSeconds, r.Objectives.RTOSeconds, r.Objectives.RPOSeconds)
		for _, d := range r.Drills {
			fmt.Fprintf(&out, "\n%s (%s):\n", d.Address, d.Kind)
			for _, e := range d.Events {
				fmt.Fprintf(&out, "  +%5.0fs %-18s %s %s\n", e.ElapsedSeconds, e.Phase, e.Item, e.Message)
			}
		}
		for _, g := range r.Gaps {
			fmt.Fprintf(&out, "gap: %s\n", g.Description)
		}
		c.SystemOut = out.String()
		if !r.Passed() {
			c.Failure = &junitFailure{Message: firstLine(r.Error), Type: "DrillFailed", Text: r.Error}
			s.Failures++
		}
		s.Tests++
		s.Time += r.DurationSeconds
		if s.Timestamp == "" || r.StartedAt.Format("2006-01-02T15:04:05") < s.Timestamp {
			s.Timestamp = r.StartedAt.UTC().Format("2006-01-02T15:04:05")
		}
		s.Cases = append(s.Cases, c)
	}
	doc := junitSuites{Name: "azuredr drills", Tests: s.Tests, Failures: s.Failures, Time: s.Time, Suites: []junitSuite{s}}
	raw, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(raw, '\n')...), nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
