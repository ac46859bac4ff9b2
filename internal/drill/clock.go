package drill

import (
	"context"
	"fmt"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// Clock is a drill's time: all its timestamps and measured durations are
// read from Now. Scale (its seconds per real second) converts durations a
// spec gives on this clock into real waits; it is used in Wait only.
type Clock struct {
	Now   func() time.Time
	Scale float64
}

// WallClock is real time. A drill validates its spec on it, before it has
// chosen its own clock.
func WallClock() Clock { return Clock{Now: time.Now, Scale: 1} }

// ChooseClock picks the clock a drill measures on: the spec's own (now, at
// scale, default 1), else the endpoint's (azure.Client.Clock: the wall
// clock for Azure, the emulator's simulated clock for the emulator) at
// scale, default the endpoint's. scale is validated not negative.
func ChooseClock(ctx context.Context, c *azure.Client, now func() time.Time, scale float64) (Clock, error) {
	if now != nil {
		if scale == 0 {
			scale = 1
		}
		return Clock{Now: now, Scale: scale}, nil
	}
	ck, err := c.Clock(ctx)
	if err != nil {
		return Clock{}, fmt.Errorf("reading the endpoint's clock: %w", err)
	}
	if scale == 0 {
		scale = ck.Scale
	}
	return Clock{Now: ck.Now, Scale: scale}, nil
}

// Wait sleeps d of the drill's clock (d/Scale of real time).
func (c Clock) Wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	return Sleep(ctx, time.Duration(float64(d)/c.Scale))
}

// Sleep waits d of real time, or until ctx ends.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
