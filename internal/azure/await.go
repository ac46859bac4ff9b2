package azure

import (
	"context"
	"time"
)

// Bounds of Await's polling. The floor keeps a fast server (the emulator)
// from being hammered; the ceiling keeps fifty VMs waiting side by side
// within ARM's read budget (12,000 reads per hour) while still noticing a
// change within half a minute.
const (
	awaitMinDelay = time.Second
	awaitMaxDelay = 30 * time.Second
)

// Await is the one way the provider waits for a state that no long-running
// operation reports (initial replication reaching Protected, a test VM
// coming up): it calls check until it reports done, fails, or ctx (the
// resource's timeout) expires. check may suggest when to look again (for
// example from a progress percentage); otherwise the delay grows by half
// each time, within the bounds above.
func Await(ctx context.Context, check func(context.Context) (done bool, next time.Duration, err error)) error {
	delay := awaitMinDelay
	for {
		done, next, err := check(ctx)
		if err != nil || done {
			return err
		}
		if next > 0 {
			delay = next
		}
		delay = min(max(delay, awaitMinDelay), awaitMaxDelay)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		if next <= 0 {
			delay += delay / 2
		}
	}
}
