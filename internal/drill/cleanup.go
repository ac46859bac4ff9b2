package drill

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// CleanupTimeout bounds cleanup, which runs on a context detached from
// the caller's cancellation: a cancelled drill still cleans up.
const CleanupTimeout = 30 * time.Minute

// VerifyTimeout bounds the wait for something cleanup removed to be seen
// gone.
const VerifyTimeout = 2 * time.Minute

// Cleanup is how a drill that changed something ends, whatever happened
// before: every member it may have changed is undone, all at once, and
// verified undone.
type Cleanup[T any] struct {
	// Members are what the drill may have changed.
	Members []T
	// Undo undoes one member and verifies it; it returns what it could
	// not remove or confirm gone.
	Undo func(ctx context.Context, m T) (leftovers []string)
	// Timeout bounds the whole cleanup (0: CleanupTimeout).
	Timeout time.Duration
	// What names the members, counted, in the cleanup event ("test
	// failover(s)"); Clean is cleanup-done's message when nothing is left.
	What, Clean string
}

// Run runs the cleanup on a context detached from parent's cancellation
// and bounded by Timeout, recording cleanup and cleanup-done in log. It
// returns what was left, when it completed, and an error naming what was
// left.
func (c Cleanup[T]) Run(parent context.Context, log *Log) (leftovers []string, completedAt time.Time, err error) {
	if len(c.Members) == 0 {
		completedAt = log.Clock.Now()
		log.Emit(PhaseCleanupDone, 0, "", "nothing to clean up")
		return nil, completedAt, nil
	}
	bound := c.Timeout
	if bound == 0 {
		bound = CleanupTimeout
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), bound)
	defer cancel()
	log.Emit(PhaseCleanup, 0, "", fmt.Sprintf("cleaning up %d %s", len(c.Members), c.What))
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, m := range c.Members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			left := c.Undo(ctx, m)
			mu.Lock()
			defer mu.Unlock()
			leftovers = append(leftovers, left...)
		}()
	}
	wg.Wait()
	completedAt = log.Clock.Now()
	if len(leftovers) > 0 {
		log.Emit(PhaseCleanupDone, 0, "", "left over: "+strings.Join(leftovers, "; "))
		return leftovers, completedAt, fmt.Errorf("cleanup left %d thing(s) behind: %s", len(leftovers), strings.Join(leftovers, "; "))
	}
	log.Emit(PhaseCleanupDone, 0, "", c.Clean)
	return nil, completedAt, nil
}

// AwaitGone waits, at most VerifyTimeout, until gone reports true (Azure
// may take a while to show a deleted resource gone). It reports whether
// it did.
func AwaitGone(ctx context.Context, gone func(context.Context) bool) bool {
	ctx, cancel := context.WithTimeout(ctx, VerifyTimeout)
	defer cancel()
	return azure.Await(ctx, func(ctx context.Context) (bool, time.Duration, error) {
		return gone(ctx), 0, nil
	}) == nil
}
