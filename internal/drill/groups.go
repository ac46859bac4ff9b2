package drill

import (
	"context"
	"errors"
	"sync"
)

// Group is one step of a recovery plan: its items fail over together,
// between its Pre and Post actions. A drill runs its groups in order.
type Group struct {
	Items []Item
	Pre   []Action
	Post  []Action
}

// Item is one replicated VM to fail over.
type Item struct {
	// ID is the Site Recovery replication protected item id.
	ID string
}

// Parallel runs f on every member at once (the items of one group) and
// waits for them all. The first failure cancels the others; their
// cancellation is not news and is left out of the joined error, unless ctx
// itself ended. Checks that gave up at the RTO deadline (ErrChecksGaveUp)
// cancel nothing: the deadline is every member's, so each gives up (or
// passes) at its own next attempt and the error names every check's last
// attempt, not only the first member's; a member still failing over would
// hold cleanup up anyway, since its test failover must end to be cleaned
// up.
func Parallel[T any](ctx context.Context, members []T, f func(context.Context, T) error) error {
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	errs := make([]error, 0, len(members))
	for _, m := range members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(gctx, m); err != nil {
				mu.Lock()
				if len(errs) == 0 || !errors.Is(err, context.Canceled) || ctx.Err() != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
				if !errors.Is(err, ErrChecksGaveUp) {
					cancel()
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
