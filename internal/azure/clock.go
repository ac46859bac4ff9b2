package azure

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
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
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(endpoint, "/")+"/_emulator/healthz", nil)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("reading the emulator's clock: %w", err)
	}
	defer resp.Body.Close()
	var h struct {
		TimeScale float64   `json:"timeScale"`
		Now       time.Time `json:"now"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil || h.TimeScale <= 0 || h.Now.IsZero() {
		return nil, fmt.Errorf("reading the emulator's clock: unexpected health answer (HTTP %d, %v)", resp.StatusCode, err)
	}
	// Anchor at the middle of the round trip.
	mid := start.Add(time.Since(start) / 2)
	return &Clock{Scale: h.TimeScale, realAnchor: mid, simAnchor: h.Now}, nil
}
