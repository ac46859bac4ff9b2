package report

import (
	"fmt"
	"strings"
)

// A drill's timeline drawn as SVG: one lane for the drill and one per VM,
// bars for the spans between paired phases (failover, boot and checks,
// commit, cleanup, ...), a dot per event (hover for its text), and lines
// for when recovery started, when the checks passed and where the RTO
// objective fell.
type timelineView struct {
	Width, Height int
	Axis          []axisTick
	Lanes         []laneView
	Bars          []barView
	Marks         []markView
	Lines         []lineView
	// Note is said at the top right (an objective beyond the drill's end).
	Note string
}

type axisTick struct {
	X     float64
	Label string
}

type laneView struct {
	Y     float64
	Label string
}

type barView struct {
	X, Y, W, H float64
	Class      string
	Title      string
}

type markView struct {
	X, Y  float64
	Class string
	Title string
}

type lineView struct {
	X      float64
	Class  string
	Label  string
	LabelY float64
}

// spans pair a phase with the phase that ends it, per lane.
var spans = []struct{ start, end, label, class string }{
	{"canary", "group-start", "canary wait", "wait"},
	{"test-failover", "test-failover-done", "test failover", "failover"},
	{"test-failover-done", "item-ready", "boot and checks", "checks"},
	{"failover", "failover-done", "failover", "failover"},
	{"commit", "commit-done", "commit", "commit"},
	{"reprotect", "reprotect-done", "re-protect", "reprotect"},
	{"failback", "failback-done", "failback", "failback"},
	{"cleanup", "cleanup-done", "cleanup", "cleanup"},
}

const (
	tlLeft   = 170.0
	tlRight  = 20.0
	tlTop    = 40.0
	tlLaneH  = 26.0
	tlBarH   = 14.0
	tlBottom = 34.0
)

func buildTimeline(d DrillResult) *timelineView {
	if len(d.Events) == 0 {
		return nil
	}
	// Lanes: the drill's own events, then each item in order of appearance.
	lanes := []string{""}
	laneOf := map[string]int{"": 0}
	total := 1.0
	recoveryStart, checksPassed := -1.0, -1.0
	for _, e := range d.Events {
		if _, ok := laneOf[e.Item]; !ok {
			laneOf[e.Item] = len(lanes)
			lanes = append(lanes, e.Item)
		}
		total = max(total, e.ElapsedSeconds)
		if e.Phase == "group-start" && recoveryStart < 0 {
			recoveryStart = e.ElapsedSeconds
		}
		if (e.Phase == "checks-passed" || e.Phase == "recovered") && checksPassed < 0 {
			checksPassed = e.ElapsedSeconds
		}
	}
	// The RTO objective is drawn where it falls; when that is far past
	// the drill's end (a 4-minute recovery against 45 minutes), the axis
	// stays on the drill and the objective is named at the right edge.
	objective, objectiveOff := -1.0, false
	if d.Objectives.RTOSeconds > 0 && recoveryStart >= 0 {
		objective = recoveryStart + float64(d.Objectives.RTOSeconds)
		if objective > total*1.5 {
			objectiveOff = true
		} else {
			total = max(total, objective)
		}
	}
	total *= 1.02
	v := &timelineView{Width: 960}
	plot := float64(v.Width) - tlLeft - tlRight
	x := func(s float64) float64 { return tlLeft + s/total*plot }
	y := func(lane int) float64 { return tlTop + float64(lane)*tlLaneH }
	v.Height = int(tlTop + float64(len(lanes))*tlLaneH + tlBottom)
	for i, l := range lanes {
		label := l
		if l == "" {
			label = "drill"
		}
		v.Lanes = append(v.Lanes, laneView{Y: y(i) + tlBarH/2 + 4, Label: label})
	}
	// Bars: each start phase pairs with the next end phase in its lane.
	for _, sp := range spans {
		for lane, item := range lanes {
			var start float64 = -1
			for _, e := range d.Events {
				if e.Item != item {
					continue
				}
				switch {
				case e.Phase == sp.start && start < 0:
					start = e.ElapsedSeconds
				case e.Phase == sp.end && start >= 0:
					w := max(x(e.ElapsedSeconds)-x(start), 2)
					v.Bars = append(v.Bars, barView{X: x(start), Y: y(lane), W: w, H: tlBarH, Class: sp.class,
						Title: fmt.Sprintf("%s: +%s to +%s (%s)", sp.label, secs(start), secs(e.ElapsedSeconds), secs(e.ElapsedSeconds-start))})
					start = -1
				}
			}
		}
	}
	for _, e := range d.Events {
		class := "event"
		switch e.Phase {
		case "error", "check-failed":
			class = "bad"
		case "check-passed", "item-ready", "checks-passed", "recovered":
			class = "good"
		}
		title := fmt.Sprintf("+%s %s %s", secs(e.ElapsedSeconds), e.Phase, e.Message)
		v.Marks = append(v.Marks, markView{X: x(e.ElapsedSeconds), Y: y(laneOf[e.Item]) + tlBarH/2, Class: class, Title: strings.TrimSpace(title)})
	}
	if recoveryStart >= 0 {
		v.Lines = append(v.Lines, lineView{X: x(recoveryStart), Class: "start", Label: "recovery starts", LabelY: 12})
	}
	if checksPassed >= 0 {
		v.Lines = append(v.Lines, lineView{X: x(checksPassed), Class: "ready", Label: "recovered", LabelY: 26})
	}
	switch {
	case objectiveOff:
		v.Note = fmt.Sprintf("RTO objective at +%s, off the chart →", secs(objective))
	case objective >= 0:
		v.Lines = append(v.Lines, lineView{X: x(objective), Class: "objective", Label: "RTO objective", LabelY: 12})
	}
	for i := 0; i <= 5; i++ {
		s := total / 1.02 * float64(i) / 5
		v.Axis = append(v.Axis, axisTick{X: x(s), Label: "+" + secs(s)})
	}
	return v
}

// secs prints seconds as 45s, 4m05s or 1h02m.
func secs(s float64) string {
	n := int(s + 0.5)
	switch {
	case n < 60:
		return fmt.Sprintf("%ds", n)
	case n < 3600:
		return fmt.Sprintf("%dm%02ds", n/60, n%60)
	default:
		return fmt.Sprintf("%dh%02dm", n/3600, n/60%60)
	}
}
