// Package replication is Site Recovery's time model for one protected VM
// (A2A): where replication stands at any instant, which data version the
// recovery side holds, which recovery points exist and what they carry, and
// the item's protection state, health and RPO. It is pure: no HTTP, no
// store, no clock. The emulator stores an item's timeline and settings and
// computes everything else here at read time, so nothing ticks in the
// background and a restart changes nothing.
//
// The model:
//
//   - Replication position pos(t) = t − lag: the recovery side at time t
//     holds the newest data version written at or before pos(t). While
//     replication is paused, and for one lag after a pause ends, the
//     position is frozen at (pause start − lag); then it catches up at once.
//   - Recovery points are taken at absolute multiples of the policy's
//     crash-consistent frequency (anchored to the Unix epoch, so every VM of
//     a multi-VM group shares point times), from the end of initial
//     replication to now, never inside a paused window. Each carries the
//     data version the recovery side held at that instant. A point whose
//     time is also a multiple of the app-consistent frequency is
//     app-consistent. Points older than the retention expire (retention 0
//     keeps the newest point only), except that the newest point is always
//     kept (after a pause longer than the retention it is the last point
//     taken before the pause).
//   - Points more than two hours older than the newest are pruned as Site
//     Recovery documents it (Azure-to-Azure common questions, "How does the
//     pruning of recovery points happen?"): beyond the last two hours it
//     keeps one point per hour for a retention up to one day, one per two
//     hours up to seven days, and beyond that one per two hours for seven
//     days and one per four hours after. The point kept is the oldest of
//     its epoch-aligned bucket, so it stays put as time passes and every VM
//     of a multi-VM group keeps the same ones. Ages count from the newest
//     point, not from now: while replication is paused no new point
//     arrives, and Site Recovery prunes nothing more.
//   - RPO is the age of the newest replicated data, now − pos(now): about
//     the lag when healthy, growing while paused.
package replication

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Defaults and thresholds.
const (
	// DefaultLag is how far the recovery side trails the primary when
	// replication is healthy (simulated time).
	DefaultLag = 30 * time.Second
	// DefaultCrashConsistentFrequency applies when the policy sets none
	// (Azure's A2A policies take crash-consistent points every 5 minutes).
	DefaultCrashConsistentFrequency = 5 * time.Minute
	// WarningRPO is the RPO above which an unpaused item's health is
	// Warning (Azure's default RPO threshold alert is 30 minutes).
	WarningRPO = 30 * time.Minute
	// maxPoints bounds the points one read computes, whatever the policy.
	maxPoints = 50000
)

// Protection states, replication health values, point types and sync types
// as Site Recovery spells them.
const (
	StateInitialReplication = "InitialReplicationInProgress"
	StateProtected          = "Protected"

	HealthNormal   = "Normal"
	HealthWarning  = "Warning"
	HealthCritical = "Critical"

	PointAppConsistent   = "AppConsistent"
	PointCrashConsistent = "CrashConsistent"

	SyncMultiVM = "MultiVmSyncRecoveryPoint"
	SyncPerVM   = "PerVmRecoveryPoint"

	// MonitoringInitialReplication is the A2A monitoringJobType while
	// initial replication runs.
	MonitoringInitialReplication = "InitialReplication"
)

// Version is one version of the application data a VM holds.
type Version struct {
	Version   int       `json:"version"`
	WrittenAt time.Time `json:"writtenAt"`
}

// Policy is the part of a replication policy the model uses (A2A).
type Policy struct {
	// RetentionMinutes is recoveryPointHistory: how long points are kept.
	// 0 keeps the newest point only.
	RetentionMinutes int
	// AppConsistentFrequencyMinutes: 0 means no app-consistent points.
	AppConsistentFrequencyMinutes int
	// CrashConsistentFrequencyMinutes: 0 means DefaultCrashConsistentFrequency.
	CrashConsistentFrequencyMinutes int
	// MultiVMSync is the policy's multiVmSyncStatus "Enable".
	MultiVMSync bool
}

// Pause is an interval during which replication of the item is paused:
// [From, To), To nil while it lasts.
type Pause struct {
	ID   string
	From time.Time
	To   *time.Time
	// Reason says why, for the health error: "an emulated fault
	// (replicationPause rule ...)", "an outage of region centralus ...".
	Reason string
}

// Item is one protected VM's timeline and settings.
type Item struct {
	// ID is the protected item's ARM id: it seeds the point names.
	ID string
	// Name is the VM's name, for messages.
	Name string
	// EnabledAt is when protection was enabled (initial replication
	// starts); ProtectedAt is when initial replication completes.
	EnabledAt   time.Time
	ProtectedAt time.Time
	Policy      Policy
	// Lag is the healthy replication lag; 0 means DefaultLag.
	Lag time.Duration
	// MultiVMGroup is the item's multi-VM consistency group, "" for none.
	MultiVMGroup string
	// Pauses are the pause intervals that apply to the item, in any order.
	Pauses []Pause
	// History is every data version the primary VM held, oldest first.
	History []Version
}

// Point is one recovery point.
type Point struct {
	// Name is stable across reads: derived from the item id and the time.
	Name     string
	Time     time.Time
	Type     string // PointAppConsistent or PointCrashConsistent
	SyncType string // SyncMultiVM or SyncPerVM
	// Data is the data version the point carries; HasData is false when
	// the recovery side held none yet.
	Data    Version
	HasData bool
}

// HealthError is one reason the item is not healthy.
type HealthError struct {
	Code              string
	Message           string
	PossibleCauses    string
	RecommendedAction string
	Level             string // "Error"
	CreatedAt         time.Time
	PauseID           string
}

// Status is the item's state as of an instant.
type Status struct {
	ProtectionState            string
	ProtectionStateDescription string
	// MonitoringJobType and MonitoringPercentageCompletion are set while
	// initial replication runs.
	MonitoringJobType              string
	MonitoringPercentageCompletion *int
	Health                         string
	HealthErrors                   []HealthError
	// Paused reports whether replication is paused now.
	Paused bool
	// RPO is the age of the newest replicated data at RPOCalculatedAt (now
	// truncated to the minute, so reads within a minute agree); nil before
	// initial replication completes.
	RPO             *time.Duration
	RPOCalculatedAt *time.Time
	// LastHeartbeat is when the source last reported: now, or the start of
	// the current pause.
	LastHeartbeat time.Time
	// Position is the replication position now: data written at or before
	// it has reached the recovery side.
	Position time.Time
}

func (it *Item) lag() time.Duration {
	if it.Lag > 0 {
		return it.Lag
	}
	return DefaultLag
}

func (it *Item) frequency() time.Duration {
	if it.Policy.CrashConsistentFrequencyMinutes > 0 {
		return time.Duration(it.Policy.CrashConsistentFrequencyMinutes) * time.Minute
	}
	return DefaultCrashConsistentFrequency
}

// window is a half-open interval [from, to); to zero means open-ended.
type window struct {
	from, to time.Time
}

func (w window) contains(t time.Time) bool {
	return !t.Before(w.from) && (w.to.IsZero() || t.Before(w.to))
}

// pauses returns the item's pause windows, clipped to start no earlier than
// EnabledAt (a pause cannot freeze replication before it began), dropping
// those that ended before then or are empty, sorted by start.
func (it *Item) pauses() []window {
	var out []window
	for _, p := range it.Pauses {
		w := window{from: p.From}
		if p.To != nil {
			w.to = *p.To
		}
		if w.from.Before(it.EnabledAt) {
			w.from = it.EnabledAt
		}
		if !w.to.IsZero() && !w.to.After(w.from) {
			continue
		}
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].from.Before(out[j].from) })
	return out
}

// frozen returns the windows during which the position is frozen: each
// pause extended by one lag, overlapping ones merged. A merged window's
// position is its start − lag.
func (it *Item) frozen() []window {
	lag := it.lag()
	var out []window
	for _, w := range it.pauses() {
		if !w.to.IsZero() {
			w.to = w.to.Add(lag)
		}
		if n := len(out); n > 0 {
			last := &out[n-1]
			if last.to.IsZero() || !w.from.After(last.to) {
				if last.to.IsZero() || w.to.IsZero() {
					last.to = time.Time{}
				} else if w.to.After(last.to) {
					last.to = w.to
				}
				continue
			}
		}
		out = append(out, w)
	}
	return out
}

// Position is the replication position at t: data written at or before it
// has reached the recovery side.
func (it *Item) Position(t time.Time) time.Time {
	lag := it.lag()
	for _, w := range it.frozen() {
		if w.contains(t) {
			return w.from.Add(-lag)
		}
	}
	return t.Add(-lag)
}

// PausedAt reports the pauses in force at t (not counting the lag after a
// pause ends).
func (it *Item) PausedAt(t time.Time) []Pause {
	var out []Pause
	for _, p := range it.Pauses {
		w := window{from: p.From}
		if p.To != nil {
			w.to = *p.To
		}
		if w.from.Before(it.EnabledAt) {
			w.from = it.EnabledAt
		}
		if w.contains(t) {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].From.Before(out[j].From) })
	return out
}

// PrimaryData is the data version the primary VM held at t.
func (it *Item) PrimaryData(t time.Time) (Version, bool) {
	return it.versionAt(t)
}

// versionAt is the newest version written at or before t. Before the first
// version was written there is none.
func (it *Item) versionAt(t time.Time) (Version, bool) {
	i := sort.Search(len(it.History), func(i int) bool { return it.History[i].WrittenAt.After(t) })
	if i == 0 {
		return Version{}, false
	}
	return it.History[i-1], true
}

// RecoveryData is the data version the recovery side held at t: none before
// initial replication completes; afterwards the newest version written at
// or before the position, or the first version the VM ever had (initial
// replication copied the disk as it was).
func (it *Item) RecoveryData(t time.Time) (Version, bool) {
	if t.Before(it.ProtectedAt) {
		return Version{}, false
	}
	if v, ok := it.versionAt(it.Position(t)); ok {
		return v, true
	}
	if len(it.History) > 0 {
		return it.History[0], true
	}
	return Version{}, false
}

// pointTimes returns the point instants in [lo, hi] that fall outside every
// pause, newest first, at most limit of them.
func (it *Item) pointTimes(lo, hi time.Time, limit int) []time.Time {
	f := int64(it.frequency())
	pauses := it.pauses()
	var out []time.Time
	k := floorDiv(hi.UnixNano(), f)
	for len(out) < limit {
		t := time.Unix(0, k*f).UTC()
		if t.Before(lo) {
			break
		}
		if w, in := inAny(pauses, t); in {
			// Skip the whole window: the next candidate is the last
			// multiple before it starts.
			k = floorDiv(w.from.UnixNano()-1, f)
			continue
		}
		out = append(out, t)
		k--
	}
	return out
}

func inAny(ws []window, t time.Time) (window, bool) {
	for _, w := range ws {
		if w.contains(t) {
			return w, true
		}
	}
	return window{}, false
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// Points are the recovery points that exist at now, oldest first.
func (it *Item) Points(now time.Time) []Point {
	if now.Before(it.ProtectedAt) {
		return nil
	}
	lo, limit := it.ProtectedAt, maxPoints
	if r := it.Policy.RetentionMinutes; r > 0 {
		if cut := now.Add(-time.Duration(r) * time.Minute); cut.After(lo) {
			lo = cut
		}
	} else {
		limit = 1
	}
	times := it.pointTimes(lo, now, limit)
	if len(times) == 0 && lo.After(it.ProtectedAt) {
		// Every point of the retention window fell in a pause: the newest
		// point is kept anyway, as Site Recovery prunes old points only as
		// new ones arrive, so a failover after a long outage still has one.
		times = it.pointTimes(it.ProtectedAt, now, 1)
	}
	times = it.prune(times)
	out := make([]Point, len(times))
	for i, t := range times {
		out[len(times)-1-i] = it.point(t)
	}
	return out
}

// Pruning: every point of the last two hours is kept; older ones thin out
// to one per bucket, the bucket growing with the retention and the age.
const (
	pruneAfter     = 2 * time.Hour
	pruneLongAfter = 7 * 24 * time.Hour
)

// pruneBucket is the bucket a point of the given age (counted from the
// newest point) falls in under the policy's retention; 0 keeps it.
func (it *Item) pruneBucket(age time.Duration) time.Duration {
	retention := time.Duration(it.Policy.RetentionMinutes) * time.Minute
	switch {
	case age <= pruneAfter:
		return 0
	case retention <= 24*time.Hour:
		return time.Hour
	case retention <= pruneLongAfter || age <= pruneLongAfter:
		return 2 * time.Hour
	default:
		return 4 * time.Hour
	}
}

// prune keeps, of point times sorted newest first, those Site Recovery's
// pruning leaves (see the package comment), in the same order.
func (it *Item) prune(times []time.Time) []time.Time {
	if len(times) < 2 {
		return times
	}
	newest := times[0]
	type bucket struct {
		size time.Duration
		k    int64
	}
	seen := map[bucket]bool{}
	keep := make([]bool, len(times))
	// Oldest first, so the first point seen in a bucket is its oldest.
	for i := len(times) - 1; i >= 0; i-- {
		size := it.pruneBucket(newest.Sub(times[i]))
		if size == 0 {
			keep[i] = true
			continue
		}
		b := bucket{size, floorDiv(times[i].UnixNano(), int64(size))}
		if !seen[b] {
			seen[b], keep[i] = true, true
		}
	}
	out := times[:0]
	for i, t := range times {
		if keep[i] {
			out = append(out, t)
		}
	}
	return out
}

func (it *Item) point(t time.Time) Point {
	p := Point{Name: PointName(it.ID, t), Time: t, Type: PointCrashConsistent, SyncType: SyncPerVM}
	if a := it.Policy.AppConsistentFrequencyMinutes; a > 0 && floorMod(t.Unix(), int64(a)*60) == 0 {
		p.Type = PointAppConsistent
	}
	if it.Policy.MultiVMSync && it.MultiVMGroup != "" {
		p.SyncType = SyncMultiVM
	}
	p.Data, p.HasData = it.RecoveryData(t)
	return p
}

func floorMod(a, b int64) int64 {
	return a - floorDiv(a, b)*b
}

// PointAtOrBefore is the newest recovery point existing at now whose time
// is at or before t (the point a failover to t would use).
func (it *Item) PointAtOrBefore(t, now time.Time) (Point, bool) {
	pts := it.Points(now)
	for i := len(pts) - 1; i >= 0; i-- {
		if !pts[i].Time.After(t) {
			return pts[i], true
		}
	}
	return Point{}, false
}

// Latest is the newest recovery point existing at now.
func (it *Item) Latest(now time.Time) (Point, bool) {
	return it.PointAtOrBefore(now, now)
}

// FindPoint looks a point up by name among those existing at now.
func (it *Item) FindPoint(name string, now time.Time) (Point, bool) {
	for _, p := range it.Points(now) {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return Point{}, false
}

// PointName is the stable, GUID-shaped name of the point of item id at t.
func PointName(id string, t time.Time) string {
	sum := sha256.Sum256([]byte(strings.ToLower(id) + "@" + strconv.FormatInt(t.UnixNano(), 10)))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// Status is the item's protection state, health and RPO at now.
func (it *Item) Status(now time.Time) Status {
	st := Status{Health: HealthNormal, LastHeartbeat: now, Position: it.Position(now)}
	if now.Before(it.ProtectedAt) {
		st.ProtectionState = StateInitialReplication
		st.ProtectionStateDescription = "Initial replication in progress"
		st.MonitoringJobType = MonitoringInitialReplication
		pct := 0
		if total := it.ProtectedAt.Sub(it.EnabledAt); total > 0 && now.After(it.EnabledAt) {
			pct = int(now.Sub(it.EnabledAt) * 100 / total)
		}
		pct = min(max(pct, 0), 99)
		st.MonitoringPercentageCompletion = &pct
	} else {
		st.ProtectionState = StateProtected
		st.ProtectionStateDescription = "Protected"
		at := now.Truncate(time.Minute)
		rpo := max(at.Sub(it.Position(at)), 0)
		st.RPO, st.RPOCalculatedAt = &rpo, &at
		if rpo > WarningRPO {
			st.Health = HealthWarning
		}
	}
	if paused := it.PausedAt(now); len(paused) > 0 {
		st.Paused = true
		st.Health = HealthCritical
		st.LastHeartbeat = paused[0].From
		if paused[0].From.Before(it.EnabledAt) {
			st.LastHeartbeat = it.EnabledAt
		}
		for _, p := range paused {
			st.HealthErrors = append(st.HealthErrors, it.pauseError(p))
		}
	}
	return st
}

func (it *Item) pauseError(p Pause) HealthError {
	name := it.Name
	if name == "" {
		name = "the virtual machine"
	}
	reason := p.Reason
	if reason == "" {
		reason = "an emulated fault"
	}
	return HealthError{
		Code: "ReplicationPaused",
		Message: "Replication of " + name + " is paused: no data has reached the recovery region since " +
			p.From.UTC().Format(time.RFC3339) + " because of " + reason + ". The RPO grows until replication resumes.",
		PossibleCauses: "The source region or the virtual machine cannot send replication data (" + reason +
			"). In the emulator, a replicationPause fault or a region outage fault is active.",
		RecommendedAction: "Remove the fault (DELETE /_emulator/faults/" + p.ID +
			") or wait for the source region to recover; replication catches up on its own. " +
			"If the outage lasts, fail over to the latest recovery point.",
		Level:     "Error",
		CreatedAt: p.From,
		PauseID:   p.ID,
	}
}
