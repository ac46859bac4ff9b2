package drill

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestClockWaitScales(t *testing.T) {
	c := Clock{Now: time.Now, Scale: 1e6}
	start := time.Now()
	if err := c.Wait(t.Context(), time.Hour); err != nil {
		t.Fatal(err)
	}
	// An hour at a million times real speed is 3.6 ms: it must not take an hour.
	if time.Since(start) > time.Minute {
		t.Fatal("the wait was not scaled")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := (Clock{Now: time.Now, Scale: 1}).Wait(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
}
