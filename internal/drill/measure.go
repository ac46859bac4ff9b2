package drill

import (
	"fmt"
	"strings"
	"time"
)

// Objectives are a drill's targets; 0 means none.
type Objectives struct {
	RTO time.Duration
	RPO time.Duration
}

// Objective names.
const (
	ObjectiveRTO = "rto"
	ObjectiveRPO = "rpo"
)

// Breach is an objective the drill missed.
type Breach struct {
	Objective string // ObjectiveRTO or ObjectiveRPO
	Item      string // the item (rpo)
	Measured  time.Duration
	Target    time.Duration
	By        time.Duration
}

// String renders a breach for people.
func (b Breach) String() string {
	s := strings.ToUpper(b.Objective)
	if b.Item != "" {
		s += " of " + NameOf(b.Item)
	}
	return fmt.Sprintf("%s measured %s, target %s (over by %s)", s, b.Measured.Round(time.Second), b.Target, b.By.Round(time.Second))
}

// RTOBreach is the breach of the RTO objective by a measured RTO (none
// without an objective or within it).
func (o Objectives) RTOBreach(measured time.Duration) []Breach {
	if o.RTO > 0 && measured > o.RTO {
		return []Breach{{Objective: ObjectiveRTO, Measured: measured, Target: o.RTO, By: measured - o.RTO}}
	}
	return nil
}

// RPOBreach is the breach of the RPO objective by an item's measured RPO.
func (o Objectives) RPOBreach(item string, measured time.Duration) []Breach {
	if o.RPO > 0 && measured > o.RPO {
		return []Breach{{Objective: ObjectiveRPO, Item: item, Measured: measured, Target: o.RPO, By: measured - o.RPO}}
	}
	return nil
}

// RecoveryPoint is the point an item failed over to.
type RecoveryPoint struct {
	// ID is the recovery point's id ("" when Site Recovery chose: latest).
	ID   string
	Time time.Time
	// Type is Site Recovery's recovery point type (CrashConsistent,
	// AppConsistent, ...).
	Type string
}

// PointOf is the recovery point an item fails over to: p, whose id is
// passed to Azure only when use (else Azure chooses its latest data).
func PointOf(p Point, use bool) RecoveryPoint {
	if !use {
		return RecoveryPoint{Time: p.Time, Type: p.Type}
	}
	return RecoveryPoint{ID: p.ID, Time: p.Time, Type: p.Type}
}

// RPO is the data a failover started at loses when it recovers to p: the
// start minus the point's time (false when either is unknown).
func (p RecoveryPoint) RPO(started time.Time) (time.Duration, bool) {
	if started.IsZero() || p.Time.IsZero() {
		return 0, false
	}
	return max(started.Sub(p.Time), 0), true
}
