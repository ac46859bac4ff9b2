// Package clock is the emulator's time model: simulated time that runs
// `scale` simulated seconds per real second and carries on across restarts.
//
// Simulated time is what the ARM API shows (operation start and end times,
// later recovery point times); real time is what the emulator sleeps for and
// what it tells clients to wait (Retry-After). With scale 1 the two agree.
package clock

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Clock converts between real and simulated time. It is immutable after
// Open and safe for concurrent use.
type Clock struct {
	scale      float64
	realAnchor time.Time // carries Go's monotonic reading, so wall-clock jumps do not move simulated time
	simAnchor  time.Time
	realNow    func() time.Time
}

// New returns a clock that reads simAnchor at the real instant realAnchor.
func New(scale float64, simAnchor, realAnchor time.Time) *Clock {
	return &Clock{scale: scale, simAnchor: simAnchor.UTC(), realAnchor: realAnchor, realNow: time.Now}
}

// Now is the current simulated time, in UTC.
func (c *Clock) Now() time.Time {
	return c.simAnchor.Add(scaled(c.realNow().Sub(c.realAnchor), c.scale)).UTC()
}

// Scale is the number of simulated seconds per real second.
func (c *Clock) Scale() float64 { return c.scale }

// Real converts a simulated duration into the real time it takes.
func (c *Clock) Real(sim time.Duration) time.Duration {
	return scaled(sim, 1/c.scale)
}

// RealUntil is the real time left until simulated instant t (negative once
// it has passed).
func (c *Clock) RealUntil(t time.Time) time.Duration {
	return c.Real(t.Sub(c.Now()))
}

// scaled multiplies d by f, saturating instead of overflowing.
func scaled(d time.Duration, f float64) time.Duration {
	v := float64(d) * f
	switch {
	case v >= math.MaxInt64:
		return math.MaxInt64
	case v <= math.MinInt64:
		return math.MinInt64
	}
	return time.Duration(v)
}

// stateKey holds the anchor in the store.
const stateKey = "/_emulator/meta/clock"

type anchor struct {
	Real  time.Time `json:"real"`
	Sim   time.Time `json:"sim"`
	Scale float64   `json:"scale"`
}

// Open resumes simulated time from the anchor saved in st and saves a new
// anchor at the new scale. Simulated time keeps running while the emulator
// is down, at the scale it had, as the world would: an operation due during the
// downtime is overdue on restart. A new data directory starts simulated time
// at the real current time.
func Open(st *store.Store, scale float64) (*Clock, error) {
	if scale <= 0 || math.IsInf(scale, 0) || math.IsNaN(scale) {
		return nil, fmt.Errorf("clock: time scale must be a positive number, got %v", scale)
	}
	now := time.Now()
	sim := now.UTC()
	if raw, ok := st.Get(stateKey); ok {
		var prev anchor
		if err := json.Unmarshal(raw, &prev); err != nil {
			return nil, fmt.Errorf("clock: saved anchor: %w", err)
		}
		sim = prev.Sim
		if downtime := now.Round(0).Sub(prev.Real); downtime > 0 {
			sim = prev.Sim.Add(scaled(downtime, prev.Scale))
		}
	}
	raw, err := json.Marshal(anchor{Real: now.Round(0).UTC(), Sim: sim, Scale: scale})
	if err != nil {
		return nil, err
	}
	if err := st.Update(func(tx *store.Tx) error { tx.Put(stateKey, raw); return nil }); err != nil {
		return nil, fmt.Errorf("clock: %w", err)
	}
	return New(scale, sim, now), nil
}
