package replication

import (
	"testing"
	"time"
)

func TestTimeLeft(t *testing.T) {
	for _, c := range []struct {
		elapsed time.Duration
		pct     int32
		want    time.Duration
	}{
		{10 * time.Second, 0, 0},
		{10 * time.Second, 100, 0},
		{10 * time.Second, 50, 10 * time.Second},
		{30 * time.Second, 75, 10 * time.Second},
	} {
		if got := timeLeft(c.elapsed, c.pct); got != c.want {
			t.Errorf("timeLeft(%v, %d) = %v, want %v", c.elapsed, c.pct, got, c.want)
		}
	}
}
