package harness

import (
	"regexp"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/duration"
	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

// timelineLine is a line of a drill's timeline attribute:
// "+<elapsed> <phase>[ [<item>]][: <message>]".
var timelineLine = regexp.MustCompile(`(?s)^\+(\S+) (\S+)(?: \[([^\]]*)\])?(?:: (.*))?$`)

func parseTimeline(lines []string) []report.Event {
	out := make([]report.Event, 0, len(lines))
	for _, l := range lines {
		m := timelineLine.FindStringSubmatch(l)
		if m == nil {
			out = append(out, report.Event{Phase: "note", Message: l})
			continue
		}
		d, _ := duration.Parse(m[1])
		out = append(out, report.Event{ElapsedSeconds: d.Seconds(), Phase: m[2], Item: m[3], Message: strings.TrimSpace(m[4])})
	}
	return out
}

// checksOf derives each check's outcome per item from the timeline.
func checksOf(events []report.Event) []report.Check {
	var out []report.Check
	find := func(name, item string) *report.Check {
		for i := range out {
			if out[i].Name == name && out[i].Item == item {
				return &out[i]
			}
		}
		out = append(out, report.Check{Name: name, Item: item})
		return &out[len(out)-1]
	}
	for _, e := range events {
		switch e.Phase {
		case "check-passed":
			c := find(e.Message, e.Item)
			if !c.Passed {
				c.Passed, c.ElapsedSeconds = true, e.ElapsedSeconds
			}
		case "check-failed":
			name, _, _ := strings.Cut(e.Message, ":")
			find(name, e.Item).Failures++
		}
	}
	return out
}
