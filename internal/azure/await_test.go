package azure

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestAwaitStopsWhenDone(t *testing.T) {
	calls := 0
	err := Await(context.Background(), func(context.Context) (bool, time.Duration, error) {
		calls++
		return calls == 2, time.Millisecond, nil // suggestion below the floor is raised to it
	})
	if err != nil || calls != 2 {
		t.Fatalf("Await = %v after %d calls, want nil after 2", err, calls)
	}
}

func TestAwaitReturnsCheckError(t *testing.T) {
	boom := errors.New("boom")
	err := Await(context.Background(), func(context.Context) (bool, time.Duration, error) { return false, 0, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("Await = %v, want the check's error", err)
	}
}

func TestAwaitHonoursDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	calls := 0
	err := Await(ctx, func(context.Context) (bool, time.Duration, error) { calls++; return false, 0, nil })
	if !errors.Is(err, context.DeadlineExceeded) || calls != 1 {
		t.Fatalf("Await = %v after %d calls, want DeadlineExceeded after 1 (the next check is a second away)", err, calls)
	}
}
