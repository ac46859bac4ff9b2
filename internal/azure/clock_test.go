package azure

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
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
	sim := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/_emulator/healthz" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, `{"status":"ok","timeScale":60,"now":%q}`, sim.Format(time.RFC3339Nano))
	}))
	defer srv.Close()
	c := &Client{Emulator: true, Endpoint: srv.URL + "/"}
	clock, err := c.Clock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if clock.Scale != 60 {
		t.Errorf("Scale = %v, want 60", clock.Scale)
	}
	if now := clock.Now(); now.Before(sim) || now.Year() != 2030 {
		t.Errorf("Now() = %v, want simulated time from %v on", now, sim)
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
