package replication

import (
	"regexp"
	"testing"
	"time"
)

// base is an instant aligned to the hour, so point times are easy to read.
var base = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return base.Add(d) }

func tp(t time.Time) *time.Time { return &t }

const m = time.Minute

// item is protected from base+2m30s with a 5-minute crash-consistent
// cadence, app-consistent every 15 minutes, 24 h retention, and data
// version 1 written long before.
func item() *Item {
	return &Item{
		ID:          "/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/f/replicationProtectionContainers/pc/replicationProtectedItems/vm1",
		Name:        "vm1",
		EnabledAt:   at(-10 * m),
		ProtectedAt: at(2*m + 30*time.Second),
		Policy:      Policy{RetentionMinutes: 24 * 60, AppConsistentFrequencyMinutes: 15, CrashConsistentFrequencyMinutes: 5},
		History:     []Version{{Version: 1, WrittenAt: at(-24 * time.Hour)}},
	}
}

func times(pts []Point) []time.Duration {
	out := make([]time.Duration, len(pts))
	for i, p := range pts {
		out[i] = p.Time.Sub(base)
	}
	return out
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPointsFollowTheCrashConsistentCadenceFromProtection(t *testing.T) {
	it := item()
	got := it.Points(at(31 * m))
	want := []time.Duration{5 * m, 10 * m, 15 * m, 20 * m, 25 * m, 30 * m}
	if !equalDurations(times(got), want) {
		t.Fatalf("point times = %v, want %v", times(got), want)
	}
	for _, p := range got {
		wantType := PointCrashConsistent
		if p.Time.Sub(base)%(15*m) == 0 {
			wantType = PointAppConsistent
		}
		if p.Type != wantType || p.SyncType != SyncPerVM || !p.HasData || p.Data.Version != 1 {
			t.Fatalf("point at %v = %+v, want type %s", p.Time.Sub(base), p, wantType)
		}
	}
	// A point exactly at now exists.
	if got := it.Points(at(30 * m)); got[len(got)-1].Time != at(30*m) {
		t.Fatalf("the point due now is missing: %v", times(got))
	}
	// None before initial replication completes.
	if got := it.Points(at(2 * m)); got != nil {
		t.Fatalf("points during initial replication: %v", times(got))
	}
}

func TestAppConsistentOffMeansCrashConsistentOnly(t *testing.T) {
	it := item()
	it.Policy.AppConsistentFrequencyMinutes = 0
	for _, p := range it.Points(at(61 * m)) {
		if p.Type != PointCrashConsistent {
			t.Fatalf("point %v is %s", p.Time.Sub(base), p.Type)
		}
	}
}

func TestDefaultCrashConsistentFrequencyIsFiveMinutes(t *testing.T) {
	it := item()
	it.Policy.CrashConsistentFrequencyMinutes = 0
	if got := times(it.Points(at(16 * m))); !equalDurations(got, []time.Duration{5 * m, 10 * m, 15 * m}) {
		t.Fatalf("point times = %v", got)
	}
}

func TestPointsExpireAfterTheRetention(t *testing.T) {
	it := item()
	it.Policy.RetentionMinutes = 10
	got := times(it.Points(at(62 * m)))
	if want := []time.Duration{55 * m, 60 * m}; !equalDurations(got, want) {
		t.Fatalf("point times = %v, want %v", got, want)
	}
	// The boundary is inclusive: a point exactly retention old is kept.
	got = times(it.Points(at(60 * m)))
	if want := []time.Duration{50 * m, 55 * m, 60 * m}; !equalDurations(got, want) {
		t.Fatalf("point times = %v, want %v", got, want)
	}
}

func TestRetentionZeroKeepsTheNewestPointOnly(t *testing.T) {
	it := item()
	it.Policy.RetentionMinutes = 0
	got := times(it.Points(at(47 * m)))
	if want := []time.Duration{45 * m}; !equalDurations(got, want) {
		t.Fatalf("point times = %v, want %v", got, want)
	}
	// While paused, the newest point is the last one before the pause.
	it.Pauses = []Pause{{ID: "p", From: at(51 * m)}}
	got = times(it.Points(at(3 * time.Hour)))
	if want := []time.Duration{50 * m}; !equalDurations(got, want) {
		t.Fatalf("point times while paused = %v, want %v", got, want)
	}
}

func TestPointNamesAreStableGUIDsPerItemAndTime(t *testing.T) {
	it := item()
	a, b := it.Points(at(21*m)), it.Points(at(29*m))
	guid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for i, p := range a {
		if p.Name != b[i].Name || !guid.MatchString(p.Name) {
			t.Fatalf("point %d: %q then %q", i, p.Name, b[i].Name)
		}
		if seen[p.Name] {
			t.Fatalf("duplicate name %s", p.Name)
		}
		seen[p.Name] = true
		if f, ok := it.FindPoint(p.Name, at(29*m)); !ok || !f.Time.Equal(p.Time) {
			t.Fatalf("FindPoint(%s) = %+v, %v", p.Name, f, ok)
		}
	}
	if _, ok := it.FindPoint("00000000-0000-0000-0000-000000000000", at(29*m)); ok {
		t.Fatal("found a point that does not exist")
	}
}

func TestAWriteAppearsInTheFirstPointAtOrAfterWrittenAtPlusLag(t *testing.T) {
	for _, tc := range []struct {
		name    string
		written time.Duration
		first   time.Duration // the first point carrying version 2
	}{
		{"well before a point", 12*m + 10*time.Second, 15 * m},
		{"less than one lag before a point", 14*m + 40*time.Second, 20 * m},
		{"exactly one lag before a point", 14*m + 30*time.Second, 15 * m},
	} {
		t.Run(tc.name, func(t *testing.T) {
			it := item()
			it.History = append(it.History, Version{Version: 2, WrittenAt: at(tc.written)})
			for _, p := range it.Points(at(31 * m)) {
				want := 1
				if p.Time.Sub(base) >= tc.first {
					want = 2
				}
				if p.Data.Version != want {
					t.Fatalf("point at %v carries %d, want %d", p.Time.Sub(base), p.Data.Version, want)
				}
			}
			// The recovery side gets it exactly one lag after the write.
			if v, _ := it.RecoveryData(at(tc.written + DefaultLag - time.Nanosecond)); v.Version != 1 {
				t.Fatalf("recovery side had %d before one lag passed", v.Version)
			}
			if v, _ := it.RecoveryData(at(tc.written + DefaultLag)); v.Version != 2 {
				t.Fatalf("recovery side has %d one lag later", v.Version)
			}
			if v, _ := it.PrimaryData(at(tc.written)); v.Version != 2 {
				t.Fatalf("primary has %d", v.Version)
			}
		})
	}
}

func TestACustomLagShiftsArrival(t *testing.T) {
	it := item()
	it.Lag = 3 * m
	it.History = append(it.History, Version{Version: 2, WrittenAt: at(13 * m)})
	p, ok := it.PointAtOrBefore(at(15*m), at(31*m))
	if !ok || p.Time != at(15*m) || p.Data.Version != 1 {
		t.Fatalf("point at 15m = %+v (13m + 3m lag is after it)", p)
	}
	if p, _ := it.PointAtOrBefore(at(20*m), at(31*m)); p.Data.Version != 2 {
		t.Fatalf("point at 20m = %+v", p)
	}
}

func TestPauseFreezesDataSkipsPointsAndGrowsRPO(t *testing.T) {
	it := item()
	// Version 2 is written 20 s after the position froze: it must not
	// reach the recovery side until the pause is over.
	it.History = append(it.History, Version{Version: 2, WrittenAt: at(20*m + 50*time.Second)})
	it.Pauses = []Pause{{ID: "rule-1", From: at(21 * m), To: tp(at(40 * m)), Reason: "an emulated fault (replicationPause rule rule-1)"}}

	got := it.Points(at(50 * m))
	if want := []time.Duration{5 * m, 10 * m, 15 * m, 20 * m, 40 * m, 45 * m, 50 * m}; !equalDurations(times(got), want) {
		t.Fatalf("point times = %v, want %v (none inside the pause)", times(got), want)
	}
	for _, p := range got {
		want := 1
		if p.Time.Sub(base) >= 45*m {
			want = 2 // at 40m the position is still frozen for one lag
		}
		if p.Data.Version != want {
			t.Fatalf("point at %v carries %d, want %d", p.Time.Sub(base), p.Data.Version, want)
		}
	}

	// The position is frozen at pause start − lag during the pause and for
	// one lag after it, then catches up.
	frozenAt := at(20*m + 30*time.Second)
	for _, d := range []time.Duration{21 * m, 30 * m, 40 * m, 40*m + 29*time.Second} {
		if p := it.Position(at(d)); !p.Equal(frozenAt) {
			t.Fatalf("position at %v = %v, want frozen at %v", d, p.Sub(base), frozenAt.Sub(base))
		}
	}
	if p := it.Position(at(40*m + 30*time.Second)); !p.Equal(at(40 * m)) {
		t.Fatalf("position after catching up = %v", p.Sub(base))
	}

	// RPO grows across reads while paused; health is Critical with a
	// health error that says why.
	s1, s2 := it.Status(at(25*m+10*time.Second)), it.Status(at(35*m+50*time.Second))
	if *s1.RPO != 4*m+30*time.Second || *s2.RPO != 14*m+30*time.Second {
		t.Fatalf("RPOs = %v, %v", *s1.RPO, *s2.RPO)
	}
	if !s1.RPOCalculatedAt.Equal(at(25*m)) || !s2.RPOCalculatedAt.Equal(at(35*m)) {
		t.Fatalf("RPO calculated at %v, %v", s1.RPOCalculatedAt, s2.RPOCalculatedAt)
	}
	if !s2.Paused || s2.Health != HealthCritical || len(s2.HealthErrors) != 1 || !s2.LastHeartbeat.Equal(at(21*m)) {
		t.Fatalf("status while paused = %+v", s2)
	}
	he := s2.HealthErrors[0]
	if he.Level != "Error" || !he.CreatedAt.Equal(at(21*m)) || he.PauseID != "rule-1" ||
		!regexp.MustCompile(`vm1 is paused.*replicationPause rule rule-1`).MatchString(he.Message) ||
		he.PossibleCauses == "" || he.RecommendedAction == "" {
		t.Fatalf("health error = %+v", he)
	}
	if v, _ := it.RecoveryData(at(39 * m)); v.Version != 1 {
		t.Fatalf("recovery side during the pause has %d", v.Version)
	}

	// After resuming and one lag: healthy again, RPO back to the lag.
	s3 := it.Status(at(41*m + 20*time.Second))
	if s3.Paused || s3.Health != HealthNormal || len(s3.HealthErrors) != 0 || *s3.RPO != DefaultLag {
		t.Fatalf("status after resuming = %+v (RPO %v)", s3, *s3.RPO)
	}
	if v, _ := it.RecoveryData(at(41 * m)); v.Version != 2 {
		t.Fatalf("recovery side after catching up has %d", v.Version)
	}
}

func TestAnOpenPauseKeepsGrowingTheRPO(t *testing.T) {
	it := item()
	it.Pauses = []Pause{{ID: "p", From: at(30 * m), Reason: "an outage of region centralus"}}
	prev := time.Duration(0)
	for _, d := range []time.Duration{31 * m, 2 * time.Hour, 30 * time.Hour} {
		s := it.Status(at(d))
		if !s.Paused || s.Health != HealthCritical || *s.RPO <= prev {
			t.Fatalf("at %v: %+v (RPO %v, previous %v)", d, s, *s.RPO, prev)
		}
		prev = *s.RPO
	}
	if last, _ := it.Latest(at(30 * time.Hour)); last.Time != at(25*m) {
		t.Fatalf("latest point while paused = %v", last.Time.Sub(base))
	}
}

func TestOverlappingPausesFreezeAtTheFirstStart(t *testing.T) {
	it := item()
	it.Pauses = []Pause{
		{ID: "b", From: at(40*m + 10*time.Second), To: tp(at(50 * m))}, // starts during a's lag tail
		{ID: "a", From: at(30 * m), To: tp(at(40 * m))},
	}
	want := at(30*m - DefaultLag)
	for _, d := range []time.Duration{35 * m, 40*m + 20*time.Second, 45 * m, 50*m + 10*time.Second} {
		if p := it.Position(at(d)); !p.Equal(want) {
			t.Fatalf("position at %v = %v", d, p.Sub(base))
		}
	}
	if p := it.Position(at(50*m + 30*time.Second)); !p.Equal(at(50 * m)) {
		t.Fatalf("position after both = %v", p.Sub(base))
	}
	// Both pauses are reported while both are in force... only b at 45m.
	if s := it.Status(at(45 * m)); len(s.HealthErrors) != 1 || s.HealthErrors[0].PauseID != "b" {
		t.Fatalf("health errors at 45m = %+v", s.HealthErrors)
	}
}

func TestAPauseBeforeProtectionWasEnabledDoesNotReachBack(t *testing.T) {
	it := item()
	it.Pauses = []Pause{{ID: "old", From: at(-5 * time.Hour), To: tp(at(-4 * time.Hour))}}
	if s := it.Status(at(20 * m)); s.Paused || *s.RPO != DefaultLag {
		t.Fatalf("status = %+v", s)
	}
	// One still open when protection was enabled freezes replication at
	// the start of protection, not before.
	it.Pauses = []Pause{{ID: "open", From: at(-5 * time.Hour)}}
	if p := it.Position(at(20 * m)); !p.Equal(it.EnabledAt.Add(-DefaultLag)) {
		t.Fatalf("position = %v", p.Sub(base))
	}
	if s := it.Status(at(20 * m)); !s.LastHeartbeat.Equal(it.EnabledAt) || s.Health != HealthCritical {
		t.Fatalf("status = %+v", s)
	}
}

func TestInitialReplicationReportsProgressThenProtected(t *testing.T) {
	it := item() // enabled at -10m, protected at +2m30s
	s := it.Status(at(-4 * m))
	if s.ProtectionState != StateInitialReplication || s.MonitoringJobType != MonitoringInitialReplication ||
		s.MonitoringPercentageCompletion == nil || *s.MonitoringPercentageCompletion != 48 || s.RPO != nil || s.Health != HealthNormal {
		t.Fatalf("during initial replication: %+v", s)
	}
	if _, ok := it.RecoveryData(at(0)); ok {
		t.Fatal("the recovery side holds data before initial replication completes")
	}
	s = it.Status(at(3 * m))
	if s.ProtectionState != StateProtected || s.MonitoringJobType != "" || s.MonitoringPercentageCompletion != nil || s.RPO == nil {
		t.Fatalf("after initial replication: %+v", s)
	}
	if v, ok := it.RecoveryData(at(3 * m)); !ok || v.Version != 1 {
		t.Fatalf("recovery side after initial replication: %+v %v", v, ok)
	}
}

func TestRPOIsComputedOncePerMinute(t *testing.T) {
	it := item()
	a, b := it.Status(at(20*m+1*time.Second)), it.Status(at(20*m+59*time.Second))
	if *a.RPO != *b.RPO || !a.RPOCalculatedAt.Equal(*b.RPOCalculatedAt) || *a.RPO != DefaultLag {
		t.Fatalf("reads within a minute disagree: %v at %v, %v at %v", *a.RPO, a.RPOCalculatedAt, *b.RPO, b.RPOCalculatedAt)
	}
}

func TestAnRPOAboveThirtyMinutesWithoutAPauseIsAWarning(t *testing.T) {
	it := item()
	it.Lag = 31 * m
	if s := it.Status(at(2 * time.Hour)); s.Health != HealthWarning || s.Paused || len(s.HealthErrors) != 0 {
		t.Fatalf("status = %+v", s)
	}
}

func TestMultiVMGroupMembersSharePointTimes(t *testing.T) {
	a, b := item(), item()
	b.ID += "-b"
	b.ProtectedAt = at(7 * m) // protected later: fewer points, same instants
	for _, it := range []*Item{a, b} {
		it.Policy.MultiVMSync = true
		it.MultiVMGroup = "app"
	}
	pa, pb := a.Points(at(31*m)), b.Points(at(31*m))
	if !equalDurations(times(pa[1:]), times(pb)) {
		t.Fatalf("times differ: %v vs %v", times(pa), times(pb))
	}
	for i := range pb {
		if pb[i].SyncType != SyncMultiVM || pa[i+1].Name == pb[i].Name {
			t.Fatalf("point %d: %+v vs %+v", i, pa[i+1], pb[i])
		}
	}
	// Multi-VM sync on but no group: per-VM points.
	a.MultiVMGroup = ""
	if p := a.Points(at(31 * m))[0]; p.SyncType != SyncPerVM {
		t.Fatalf("sync type without a group = %s", p.SyncType)
	}
}

func TestPointAtOrBefore(t *testing.T) {
	it := item()
	if p, ok := it.PointAtOrBefore(at(17*m), at(31*m)); !ok || p.Time != at(15*m) {
		t.Fatalf("point before 17m = %+v %v", p, ok)
	}
	if p, ok := it.PointAtOrBefore(at(20*m), at(31*m)); !ok || p.Time != at(20*m) {
		t.Fatalf("point at 20m = %+v %v", p, ok)
	}
	if _, ok := it.PointAtOrBefore(at(4*m), at(31*m)); ok {
		t.Fatal("a point before the first")
	}
}

func TestUnalignedFrequenciesAnchorToTheUnixEpoch(t *testing.T) {
	it := item()
	it.Policy.CrashConsistentFrequencyMinutes = 7
	it.Policy.AppConsistentFrequencyMinutes = 0
	for _, p := range it.Points(at(2 * time.Hour)) {
		if p.Time.Unix()%(7*60) != 0 {
			t.Fatalf("point %v is not a multiple of 7 minutes since the epoch", p.Time)
		}
	}
}
