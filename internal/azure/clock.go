package azure

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

// Clock is the time drills measure with. Against Azure it is the wall
// clock. The emulator runs simulated time (a --time-scale of 30 makes a
// 45-minute failover take 90 real seconds), and recovery point times,
// operation times and objectives all live on that clock, so drills against
// it measure on it too: this and the endpoint are the only places the
// provider treats the emulator differently.
type Clock struct {
	// Scale is simulated seconds per real second (1 for Azure).
	Scale float64

	realAnchor time.Time
	simAnchor  time.Time
}

// Now is the current time on this clock.
func (c *Clock) Now() time.Time {
	if c.Scale == 1 {
		return time.Now().UTC()
	}
	return c.simAnchor.Add(c.Simulated(time.Since(c.realAnchor))).UTC()
}

// Simulated converts a real duration into this clock's.
func (c *Clock) Simulated(real time.Duration) time.Duration {
	return time.Duration(float64(real) * c.Scale)
}

// Real converts a duration on this clock into real time.
func (c *Clock) Real(d time.Duration) time.Duration {
	return time.Duration(float64(d) / c.Scale)
}

var wallClock = &Clock{Scale: 1}

type clockCache struct {
	once  sync.Once
	clock *Clock
	err   error
}

// Clock returns the clock of the endpoint: the wall clock for Azure; for
// the emulator, its simulated clock, read once from its health endpoint.
func (c *Client) Clock(ctx context.Context) (*Clock, error) {
	if !c.Emulator {
		return wallClock, nil
	}
	c.clock.once.Do(func() { c.clock.clock, c.clock.err = emulatorClock(ctx, c.Endpoint) })
	return c.clock.clock, c.clock.err
}

func emulatorClock(ctx context.Context, endpoint string) (*Clock, error) {
	start := time.Now()
	h, err := admin.New(endpoint).Health(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the emulator's clock: %w", err)
	}
	if h.TimeScale <= 0 || h.Now.IsZero() {
		return nil, fmt.Errorf("reading the emulator's clock: unexpected health answer (time scale %v, now %v)", h.TimeScale, h.Now)
	}
	// Anchor at the middle of the round trip.
	mid := start.Add(time.Since(start) / 2)
	return &Clock{Scale: h.TimeScale, realAnchor: mid, simAnchor: h.Now}, nil
}
