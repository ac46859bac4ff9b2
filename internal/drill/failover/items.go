package failover

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/siterecovery"
)

// failoverItem fails item i over to the recovery region and commits.
func (r *runner) failoverItem(ctx context.Context, i int) error {
	info := r.infos[i]
	id, name, g := info.ID, info.ID.Name, r.res.Items[i].Group
	var err error
	started := r.log.Clock.Now()
	if r.spec.Type == Planned {
		r.set(i, func(it *ItemResult) { it.FailoverStartedAt = started })
		r.log.Emit(PhaseFailover, g, name, "planned failover to the recovery region (final sync, the source VM shuts down)")
		err = plannedFailover(ctx, r.c, id, dirPrimaryToRecovery)
	} else {
		points, lerr := siterecovery.ListPoints(ctx, r.c, id)
		if lerr != nil {
			return r.itemErr(i, "listing recovery points", lerr)
		}
		sel := r.spec.RecoveryPoint
		if sel.Kind == "" {
			sel.Kind = drill.PointLatestProcessed
		}
		p, use, cerr := drill.ChoosePoint(points, sel)
		if cerr != nil {
			return r.itemErr(i, "choosing the recovery point", cerr)
		}
		rp := drill.PointOf(p, use)
		r.set(i, func(it *ItemResult) {
			it.RecoveryPoint = rp
			it.FailoverStartedAt = started
		})
		r.log.Emit(drill.PhaseRecoveryPoint, g, name, fmt.Sprintf("%s point of %s (%s)", p.Type, p.Time.UTC().Format(time.RFC3339), sel.Kind))
		r.log.Emit(PhaseFailover, g, name, "unplanned failover to the recovery region")
		err = unplannedFailover(ctx, r.c, id, rp.ID)
	}
	if err != nil {
		return r.itemErr(i, "failover", err)
	}
	done := r.log.Clock.Now()
	r.set(i, func(it *ItemResult) { it.FailoverCompletedAt = done })
	r.log.Emit(PhaseFailoverDone, g, name, fmt.Sprintf("failed over in %s", done.Sub(started).Round(time.Second)))
	r.log.Emit(PhaseCommit, g, name, "commit")
	if err := commit(ctx, r.c, id); err != nil {
		return r.itemErr(i, "commit", err)
	}
	at := r.log.Clock.Now()
	r.set(i, func(it *ItemResult) { it.CommittedAt = at })
	r.log.Emit(PhaseCommitDone, g, name, "committed: the recovery VM is production")
	return nil
}

// reprotectItem starts replication the way dir says and waits until the
// item is Protected again.
func (r *runner) reprotectItem(ctx context.Context, i int, dir string) error {
	id, name, g := r.infos[i].ID, r.infos[i].ID.Name, r.res.Items[i].Group
	r.log.Emit(PhaseReprotect, g, name, "re-protect "+dir)
	if err := reprotect(ctx, r.c, id, dir); err != nil {
		return r.itemErr(i, "re-protect", err)
	}
	if err := r.awaitProtected(ctx, id); err != nil {
		return r.itemErr(i, "waiting for the initial replication after re-protect", err)
	}
	at := r.log.Clock.Now()
	if dir == dirRecoveryToPrimary {
		r.set(i, func(it *ItemResult) { it.ReprotectedAt = at })
	}
	r.log.Emit(PhaseReprotectDone, g, name, "protected again, replicating "+dir)
	return nil
}

// failbackItem fails a re-protected item back to the primary (planned) and
// commits.
func (r *runner) failbackItem(ctx context.Context, i int) error {
	id, name, g := r.infos[i].ID, r.infos[i].ID.Name, r.res.Items[i].Group
	r.log.Emit(PhaseFailback, g, name, "planned failover back to the primary region")
	if err := plannedFailover(ctx, r.c, id, dirRecoveryToPrimary); err != nil {
		return r.itemErr(i, "failback", err)
	}
	if err := commit(ctx, r.c, id); err != nil {
		return r.itemErr(i, "failback commit", err)
	}
	at := r.log.Clock.Now()
	r.set(i, func(it *ItemResult) { it.FailedBackAt = at })
	r.log.Emit(PhaseFailbackDone, g, name, "back on the primary, committed")
	return nil
}

// awaitProtected waits until the item's protectionState is Protected
// (re-protect is followed by an initial replication).
func (r *runner) awaitProtected(ctx context.Context, id azure.ProtectedItemID) error {
	return azure.Await(ctx, func(ctx context.Context) (bool, time.Duration, error) {
		st, err := siterecovery.FindStatus(ctx, r.c, id)
		if err != nil {
			return false, 0, err
		}
		return strings.EqualFold(st.Protection, "Protected"), 0, nil
	})
}
