package testfailover

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/siterecovery"
)

// Cleanup cleans up any test failover pending on these protected items,
// verifies no test VM is left and releases a public IP a drill made for an
// item's test VM (named in its tfo NIC settings): what a crashed or killed
// drill left behind (a sweeper, a drill resource's Delete). Run cleans up after itself; this
// is for when it could not. Items that no longer exist are skipped. It
// works within ctx (not detached from it) and returns what it could not
// remove or confirm gone.
func Cleanup(ctx context.Context, c *azure.Client, itemIDs []string) (leftovers []string, err error) {
	if c == nil {
		return nil, fmt.Errorf("drill cleanup: no Azure client")
	}
	r := &runner{c: c, spec: Spec{Name: "cleanup"}, res: &Result{Name: "cleanup"}}
	r.log.Clock = drill.WallClock()
	r.res.StartedAt = r.log.Start()
	for _, raw := range itemIDs {
		if _, err := azure.ParseProtectedItemID(raw); err != nil {
			return nil, fmt.Errorf("drill cleanup: %w", err)
		}
		info, err := siterecovery.FindItem(ctx, c, raw)
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

// cleanup undoes every test failover the drill may have started, on a
// context detached from the caller's cancellation, and verifies nothing is
// left.
func (r *runner) cleanup(parent context.Context) error {
	// Each member undoes one thing: an item's test failover, the probe VM.
	var todo []func(context.Context) []string
	for _, st := range r.items {
		st.mu.Lock()
		if st.maybeFailedOver || st.pip != nil {
			todo = append(todo, func(ctx context.Context) []string { return r.cleanupItem(ctx, st) })
		}
		st.mu.Unlock()
	}
	what, clean := "test failover(s)", "no test VM left, every item back to testFailoverState None"
	r.netMu.Lock()
	if r.probe != nil {
		todo = append(todo, r.removeProbe)
		what, clean = "thing(s): test failovers and the probe VM", clean+", the probe VM deleted"
	}
	r.netMu.Unlock()
	left, at, err := drill.Cleanup[func(context.Context) []string]{
		Members: todo,
		Undo:    func(ctx context.Context, undo func(context.Context) []string) []string { return undo(ctx) },
		Timeout: r.spec.CleanupTimeout,
		What:    what,
		Clean:   clean,
	}.Run(parent, &r.log)
	r.res.Leftovers, r.res.CleanupCompletedAt = left, at
	return err
}

// cleanupItem cleans one item up and returns what it could not.
func (r *runner) cleanupItem(ctx context.Context, st *itemState) (leftovers []string) {
	name := st.info.ID.Name
	st.mu.Lock()
	poller, ended, known := st.poller, st.failoverEnded, st.failedOver
	st.mu.Unlock()
	if poller != nil && !ended {
		r.log.Emit(drill.PhaseCleanup, st.group, name, "waiting for the interrupted test failover to end")
		if _, err := azure.Wait(ctx, poller); err != nil {
			r.log.Emit(drill.PhaseCleanup, st.group, name, "the test failover ended with: "+azure.Describe(err))
		}
	}
	err := azure.Await(ctx, func(ctx context.Context) (bool, time.Duration, error) {
		// After a test failover that succeeded, the item awaits cleanup:
		// start it at once. Otherwise (or when that is refused) read the
		// item to see what is pending.
		if !known {
			info, err := siterecovery.FindItem(ctx, r.c, st.info.RawID)
			if azure.IsNotFound(err) {
				return true, 0, nil
			}
			if err != nil {
				return false, 0, err
			}
			if info.TestVMName != "" {
				st.mu.Lock()
				st.info.TestVMName = info.TestVMName
				st.mu.Unlock()
			}
			if info.TestFailoverState == "" || strings.EqualFold(info.TestFailoverState, testFailoverStateNone) {
				return true, 0, nil
			}
		}
		p, job, err := startCleanup(ctx, r.c, st.info.ID, fmt.Sprintf("drill %s", r.spec.Name))
		if err != nil && known {
			known = false
			if azure.IsNotFound(err) || isStatus(err, http.StatusConflict) {
				return false, 0, nil // look at the item, then decide
			}
		}
		if isStatus(err, http.StatusConflict) {
			r.log.Emit(drill.PhaseCleanup, st.group, name, "another operation is in progress; retrying: "+azure.Describe(err))
			return false, 0, nil
		}
		if err != nil {
			return false, 0, err
		}
		r.setItem(st, func(it *ItemResult) { it.CleanupJobID = job.ID })
		r.log.EmitJob(drill.PhaseCleanup, st.group, name, job.ID, "test failover cleanup started (job "+orNone(job.Name)+")")
		resp, err := azure.Wait(ctx, p)
		if err == nil && resp.Properties != nil {
			if info, ierr := siterecovery.ItemOf(st.info.ID, st.info.RawID, &resp.ReplicationProtectedItem); ierr == nil {
				st.mu.Lock()
				st.cleaned = info
				st.mu.Unlock()
			}
		}
		return err == nil, 0, err
	})
	if err != nil {
		r.log.Emit(drill.PhaseCleanup, st.group, name, "cleanup failed: "+azure.Describe(err))
		leftovers = append(leftovers, fmt.Sprintf("item %s: test failover cleanup failed: %s", st.res.ItemID, azure.Describe(err)))
	}
	leftovers = append(leftovers, r.verifyClean(ctx, st)...)
	// The test VM is gone (its NIC no longer holds the public IP): release it.
	return append(leftovers, r.releasePublicIP(ctx, st)...)
}

// verifyClean checks that the test VM is gone and the item is back to
// testFailoverState None.
func (r *runner) verifyClean(ctx context.Context, st *itemState) []string {
	var out []string
	st.mu.Lock()
	group, vmName := st.info.RecoveryGroup, st.info.TestVMName
	st.mu.Unlock()
	if vmName == "" {
		vmName = st.info.SourceVMName + "-test"
	}
	if group != "" {
		var last *testVM
		gone := drill.AwaitGone(ctx, func(ctx context.Context) bool {
			vm, err := findTestVM(ctx, r.c, group, vmName)
			last = vm
			return err == nil && vm == nil
		})
		if !gone {
			id := fmt.Sprintf("resource group %s, VM %s", group, vmName)
			if last != nil && last.ID != "" {
				id = last.ID
			}
			out = append(out, "test VM still exists: "+id)
		}
	}
	// The item as cleanup left it, else read now.
	st.mu.Lock()
	info := st.cleaned
	st.mu.Unlock()
	var err error
	if info == nil {
		info, err = siterecovery.FindItem(ctx, r.c, st.info.RawID)
	}
	switch {
	case azure.IsNotFound(err):
	case err != nil:
		out = append(out, fmt.Sprintf("item %s: cannot confirm its test failover state: %s", st.res.ItemID, azure.Describe(err)))
	case info.TestFailoverState != "" && !strings.EqualFold(info.TestFailoverState, testFailoverStateNone):
		out = append(out, fmt.Sprintf("item %s: testFailoverState is %q, not None", st.res.ItemID, info.TestFailoverState))
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "not named by Azure"
	}
	return s
}
