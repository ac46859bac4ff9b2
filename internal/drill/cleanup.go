package drill

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// Cleanup cleans up any test failover pending on these protected items and
// verifies no test VM is left: what a crashed or killed drill left behind
// (a sweeper, a drill resource's Delete). Run cleans up after itself; this
// is for when it could not. Items that no longer exist are skipped. It
// works within ctx (not detached from it) and returns what it could not
// remove or confirm gone.
func Cleanup(ctx context.Context, c *azure.Client, itemIDs []string) (leftovers []string, err error) {
	if c == nil {
		return nil, fmt.Errorf("drill cleanup: no Azure client")
	}
	r := &runner{c: c, spec: Spec{Name: "cleanup"}, res: &Result{Name: "cleanup"}, clock: clock{now: time.Now, scale: 1}}
	r.res.StartedAt = r.clock.now()
	for _, raw := range itemIDs {
		if _, err := parseItemID(raw); err != nil {
			return nil, fmt.Errorf("drill cleanup: %w", err)
		}
		info, err := findItem(ctx, c, raw)
		if azure.IsNotFound(err) {
			continue
		}
		if err != nil {
			return leftovers, fmt.Errorf("drill cleanup: reading item %s: %w", raw, err)
		}
		st := &itemState{info: info, res: ItemResult{ItemID: raw, VMName: info.SourceVMName}}
		leftovers = append(leftovers, r.cleanupItem(ctx, st)...)
	}
	if ctx.Err() != nil && len(leftovers) > 0 {
		return leftovers, fmt.Errorf("drill cleanup: %w (left: %s)", ctx.Err(), strings.Join(leftovers, "; "))
	}
	return leftovers, nil
}
