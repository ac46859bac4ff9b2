package drill

import (
	"strings"
	"testing"
	"time"
)

func TestChoosePoint(t *testing.T) {
	base := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	points := []Point{ // newest first
		{ID: "p3", Time: base.Add(10 * time.Minute), Type: "CrashConsistent"},
		{ID: "p2", Time: base.Add(5 * time.Minute), Type: "AppConsistent"},
		{ID: "p1", Time: base, Type: "CrashConsistent"},
	}
	cases := []struct {
		sel     Selector
		want    string
		use     bool
		wantErr string
	}{
		{Selector{}, "p3", false, ""},
		{Selector{Kind: PointLatest}, "p3", false, ""},
		{Selector{Kind: PointLatestProcessed}, "p3", true, ""},
		{Selector{Kind: PointLatestAppConsistent}, "p2", true, ""},
		{Selector{Kind: PointBefore, Before: base.Add(7 * time.Minute)}, "p2", true, ""},
		{Selector{Kind: PointBefore, Before: base.Add(5 * time.Minute)}, "p1", true, ""}, // a point at the time may hold the damage
		{Selector{Kind: PointBefore, Before: base.Add(-time.Second)}, "", false, "no recovery point before"},
	}
	for _, c := range cases {
		p, use, err := ChoosePoint(points, c.sel)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%+v: err = %v, want %q", c.sel, err, c.wantErr)
			}
			continue
		}
		if err != nil || p.ID != c.want || use != c.use {
			t.Errorf("%+v: got %s use=%v err=%v, want %s use=%v", c.sel, p.ID, use, err, c.want, c.use)
		}
	}
	if _, _, err := ChoosePoint(points[:1], Selector{Kind: PointLatestAppConsistent}); err == nil {
		t.Error("no app-consistent point: want an error")
	}
	if _, _, err := ChoosePoint(nil, Selector{Kind: PointLatestProcessed}); err == nil {
		t.Error("no point: want an error")
	}
}
