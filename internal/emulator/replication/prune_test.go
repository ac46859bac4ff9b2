package replication

import (
	"testing"
	"time"
)

const h = time.Hour

// ages returns each point's age at now, newest first.
func ages(pts []Point, now time.Time) []time.Duration {
	out := make([]time.Duration, 0, len(pts))
	for i := len(pts) - 1; i >= 0; i-- {
		out = append(out, now.Sub(pts[i].Time))
	}
	return out
}

// checkPruned checks the points at now: every one in the two hours before
// the newest, and beyond that exactly one per epoch-aligned bucket.
func checkPruned(t *testing.T, pts []Point, bucketAt func(age time.Duration) time.Duration) {
	t.Helper()
	if len(pts) == 0 {
		t.Fatal("no points")
	}
	newest := pts[len(pts)-1].Time
	buckets := map[[2]int64]int{}
	recent := 0
	for i, p := range pts {
		if i > 0 && !p.Time.After(pts[i-1].Time) {
			t.Fatalf("points out of order at %d: %v then %v", i, pts[i-1].Time, p.Time)
		}
		age := newest.Sub(p.Time)
		if age <= 2*h {
			recent++
			continue
		}
		size := bucketAt(age)
		buckets[[2]int64{int64(size), floorDiv(p.Time.UnixNano(), int64(size))}]++
	}
	if recent != 25 {
		t.Fatalf("%d points in the last two hours, want every 5-minute point (25)", recent)
	}
	for b, n := range buckets {
		if n != 1 {
			t.Fatalf("bucket of %v at %v holds %d points, want 1", time.Duration(b[0]), time.Unix(0, b[1]*b[0]).UTC(), n)
		}
	}
}

func TestPruningKeepsOnePointPerHourBeyondTwoHoursForOneDay(t *testing.T) {
	it := item() // 24 h retention
	now := at(30 * h)
	pts := it.Points(now)
	checkPruned(t, pts, func(time.Duration) time.Duration { return h })
	// 25 recent points (30h-2h .. 30h), then one per hour back to the
	// retention: 6h, 7h, ..., 27h, the first of each hour.
	if want := 25 + 22; len(pts) != want {
		t.Fatalf("%d points, want %d: ages %v", len(pts), want, ages(pts, now))
	}
	if oldest := pts[0].Time; !oldest.Equal(at(6 * h)) {
		t.Fatalf("oldest point at %v, want the first of its hour %v", oldest.Sub(base), 6*h)
	}
	// The hourly points are the app-consistent ones (every 15 minutes here,
	// so on the hour too): pruning keeps what a restore most wants.
	if pts[1].Type != PointAppConsistent {
		t.Fatalf("pruned-to point is %s", pts[1].Type)
	}
}

func TestAPrunedPointStaysPutAsTimePasses(t *testing.T) {
	it := item()
	// At 12h20m the 10h bucket holds 10:00-10:15 beyond the two hours; at
	// 13h it holds 10:00-10:55. The point kept must be the same one, or a
	// restore picked from one listing would vanish from the next.
	first, later := at(12*h+20*m), at(13*h)
	kept := map[string]bool{}
	for _, p := range it.Points(later) {
		kept[p.Name] = true
	}
	checked := 0
	for _, p := range it.Points(first) {
		if first.Sub(p.Time) > 2*h {
			checked++
			if !kept[p.Name] {
				t.Fatalf("point at %v, kept at %v, is gone at %v", p.Time.Sub(base), first.Sub(base), later.Sub(base))
			}
		}
	}
	if checked != 11 { // one per hour, 0h..10h
		t.Fatalf("%d pruned-to points at %v, want 11", checked, first.Sub(base))
	}
}

func TestPruningKeepsOnePointPerTwoHoursUpToSevenDays(t *testing.T) {
	it := item()
	it.Policy.RetentionMinutes = 3 * 24 * 60
	now := at(80 * h)
	pts := it.Points(now)
	checkPruned(t, pts, func(time.Duration) time.Duration { return 2 * h })
	// Two-hour buckets from 8h (the retention's edge) to 78h: 35 of them.
	if want := 25 + 35; len(pts) != want {
		t.Fatalf("%d points, want %d", len(pts), want)
	}
}

func TestPruningKeepsOnePointPerFourHoursBeyondSevenDays(t *testing.T) {
	it := item()
	it.Policy.RetentionMinutes = 15 * 24 * 60
	it.History = []Version{{Version: 1, WrittenAt: at(-24 * h)}}
	now := at(14 * 24 * h)
	pts := it.Points(now)
	checkPruned(t, pts, func(age time.Duration) time.Duration {
		if age <= 7*24*h {
			return 2 * h
		}
		return 4 * h
	})
	// Fewer than a day of five-minute points would be: about 25 + 84 + 42.
	if len(pts) < 140 || len(pts) > 160 {
		t.Fatalf("%d points over 14 days", len(pts))
	}
}

func TestNothingIsPrunedFurtherWhileReplicationIsPaused(t *testing.T) {
	it := item()
	it.Pauses = []Pause{{ID: "p", From: at(10*h + 1*m)}}
	// The newest point is 10h; the two hours before it keep every point,
	// however long the pause has lasted.
	for _, now := range []time.Time{at(10*h + 30*m), at(13 * h), at(20 * h)} {
		pts := it.Points(now)
		last := pts[len(pts)-1]
		if !last.Time.Equal(at(10 * h)) {
			t.Fatalf("at %v the newest point is %v, want 10h", now.Sub(base), last.Time.Sub(base))
		}
		recent := 0
		for _, p := range pts {
			if last.Time.Sub(p.Time) <= 2*h {
				recent++
			}
		}
		if recent != 25 {
			t.Fatalf("at %v: %d points in the two hours before the pause, want 25", now.Sub(base), recent)
		}
	}
}

func TestShortRetentionIsNotPruned(t *testing.T) {
	it := item()
	it.Policy.RetentionMinutes = 90
	pts := it.Points(at(5 * h))
	if len(pts) != 19 { // 3h30m .. 5h, every 5 minutes
		t.Fatalf("%d points, want 19", len(pts))
	}
}
