package drill

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A member that fails cancels the others, whose cancellation stays out of
// the error.
func TestParallelFailureCancelsTheOthers(t *testing.T) {
	err := Parallel(t.Context(), []int{0, 1}, func(ctx context.Context, i int) error {
		if i == 0 {
			return errors.New("item 0: test failover refused")
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("item 1: %w", ctx.Err())
		case <-time.After(10 * time.Second):
			return errors.New("item 1 was not cancelled")
		}
	})
	if err == nil || err.Error() != "item 0: test failover refused" {
		t.Fatalf("Parallel = %v, want item 0's error alone", err)
	}
}

// Checks giving up at the RTO deadline cancel no other member: each
// reaches the deadline itself, and the error names every member's checks.
func TestParallelGivingUpCancelsNothing(t *testing.T) {
	first := make(chan struct{})
	err := Parallel(t.Context(), []int{0, 1}, func(ctx context.Context, i int) error {
		if i == 0 {
			defer close(first)
			return fmt.Errorf("item 0: %w: home (last attempt: status 404)", ErrChecksGaveUp)
		}
		<-first
		time.Sleep(20 * time.Millisecond) // the first member's error is in
		if ctx.Err() != nil {
			return fmt.Errorf("item 1 was cancelled: %w", ctx.Err())
		}
		return fmt.Errorf("item 1: %w: sql (last attempt: connection refused)", ErrChecksGaveUp)
	})
	if !errors.Is(err, ErrChecksGaveUp) {
		t.Fatalf("Parallel = %v, want ErrChecksGaveUp", err)
	}
	for _, want := range []string{"home (last attempt: status 404)", "sql (last attempt: connection refused)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
