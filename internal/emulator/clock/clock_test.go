package clock

import (
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

func TestScaleConvertsBothWays(t *testing.T) {
	real0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	sim0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New(60, sim0, real0)
	c.realNow = func() time.Time { return real0.Add(2 * time.Second) }

	if got, want := c.Now(), sim0.Add(2*time.Minute); !got.Equal(want) {
		t.Fatalf("Now = %v, want %v", got, want)
	}
	if got := c.Real(30 * time.Minute); got != 30*time.Second {
		t.Fatalf("Real(30m) = %v, want 30s", got)
	}
	if got := c.RealUntil(sim0.Add(3 * time.Minute)); got != time.Second {
		t.Fatalf("RealUntil = %v, want 1s", got)
	}
}

func TestSimulatedTimeContinuesAcrossReopen(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	c1, err := Open(st, 1000)
	if err != nil {
		t.Fatal(err)
	}
	before := c1.Now()
	_ = st.Close()

	st2, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = st2.Close() }()
	c2, err := Open(st2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if after := c2.Now(); after.Before(before) {
		t.Fatalf("simulated time went backwards across a restart: %v -> %v", before, after)
	}
	if c2.Scale() != 1 {
		t.Fatalf("scale = %v, want the new scale 1", c2.Scale())
	}
}

func TestOpenRejectsBadScale(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = st.Close() }()
	for _, s := range []float64{0, -1} {
		if _, err := Open(st, s); err == nil {
			t.Errorf("Open(scale %v) succeeded", s)
		}
	}
}
