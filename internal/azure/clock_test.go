package azure

import (
	"context"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

func TestAzureClockIsTheWallClock(t *testing.T) {
	c, err := (&Client{}).Clock(context.Background())
	if err != nil || c.Scale != 1 {
		t.Fatalf("Clock() = %+v, %v; want the wall clock", c, err)
	}
	if d := time.Since(c.Now()); d < 0 || d > time.Minute {
		t.Errorf("wall clock reads %v away from time.Now", d)
	}
}

func TestEmulatorClockRunsOnSimulatedTime(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{TimeScale: 60})
	h, err := admin.New(srv.URL()).Health(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sim := h.Now
	c := &Client{Emulator: true, Endpoint: srv.URL() + "/"}
	clock, err := c.Clock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if clock.Scale != 60 {
		t.Errorf("Scale = %v, want 60", clock.Scale)
	}
	// Far less than ten real seconds (ten simulated minutes) have passed
	// since the health answer.
	if now := clock.Now(); now.Before(sim) || now.Sub(sim) > 10*time.Minute {
		t.Errorf("Now() = %v, want the emulator's simulated time from %v on", now, sim)
	}
	if got := clock.Simulated(time.Second); got != time.Minute {
		t.Errorf("Simulated(1s) = %v, want 1m", got)
	}
	if got := clock.Real(time.Minute); got != time.Second {
		t.Errorf("Real(1m) = %v, want 1s", got)
	}
	again, _ := c.Clock(context.Background())
	if again != clock {
		t.Error("the emulator's clock is read again on every call")
	}
}
