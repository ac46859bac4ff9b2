package failover

import (
	"context"
	"fmt"
	"strings"
	"time"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/siterecovery"
)

// failoverItem fails item i over to the recovery region (unplanned, at
// the chosen point, shutting the source VM down first when asked) and
// commits.
func (r *runner) failoverItem(ctx context.Context, i int) error {
	info := r.infos[i]
	id, name, g := info.ID, info.ID.Name, r.res.Items[i].Group
	started := r.log.Clock.Now()
	points, err := siterecovery.ListPoints(ctx, r.c, id)
	if err != nil {
		return r.itemErr(i, "listing recovery points", err)
	}
	sel := r.spec.RecoveryPoint
	if sel.Kind == "" {
		sel.Kind = drill.PointLatestProcessed
	}
	p, use, err := drill.ChoosePoint(points, sel)
	if err != nil {
		return r.itemErr(i, "choosing the recovery point", err)
	}
	rp := drill.PointOf(p, use)
	r.set(i, func(it *ItemResult) {
		it.RecoveryPoint = rp
		it.FailoverStartedAt = started
	})
	r.log.Emit(drill.PhaseRecoveryPoint, g, name, fmt.Sprintf("%s point of %s (%s)", p.Type, p.Time.UTC().Format(time.RFC3339), sel.Kind))
	r.log.Emit(PhaseFailover, g, name, "unplanned failover to the recovery region, "+shutdownNote(r.spec.ShutdownSourceVMs))
	job, err := unplannedFailover(ctx, r.c, id, dirPrimaryToRecovery, rp.ID, r.spec.ShutdownSourceVMs)
	r.recordJob(i, PhaseFailover, job, func(it *ItemResult) *string { return &it.FailoverJobID })
	if err != nil {
		return r.itemErr(i, "failover", err)
	}
	done := r.log.Clock.Now()
	r.set(i, func(it *ItemResult) { it.FailoverCompletedAt = done })
	r.log.Emit(PhaseFailoverDone, g, name, fmt.Sprintf("failed over in %s", done.Sub(started).Round(time.Second)))
	r.log.Emit(PhaseCommit, g, name, "commit")
	job, err = commit(ctx, r.c, id)
	r.recordJob(i, PhaseCommit, job, func(it *ItemResult) *string { return &it.CommitJobID })
	if err != nil {
		return r.itemErr(i, "commit", err)
	}
	at := r.log.Clock.Now()
	r.set(i, func(it *ItemResult) { it.CommittedAt = at })
	r.log.Emit(PhaseCommitDone, g, name, "committed: the recovery VM is production")
	return nil
}

// reprotectItem starts replication the way dir says, with the complete A2A
// re-protect input, and waits until the item is Protected again.
func (r *runner) reprotectItem(ctx context.Context, i int, dir string) error {
	id, name, g := r.infos[i].ID, r.infos[i].ID.Name, r.res.Items[i].Group
	in, err := reprotectInput(ctx, r.c, r.spec.Site, id, dir)
	if err != nil {
		return r.itemErr(i, "preparing the re-protect", err)
	}
	r.log.Emit(PhaseReprotect, g, name, fmt.Sprintf("re-protect %s (%d disk(s), cache account %s)", dir, len(in.Properties.ProviderSpecificDetails.(*asr.A2AReprotectInput).VMDisks),
		cacheName(in)))
	job, err := reprotect(ctx, r.c, id, in)
	if dir == dirRecoveryToPrimary {
		r.recordJob(i, PhaseReprotect, job, func(it *ItemResult) *string { return &it.ReprotectJobID })
	}
	if err != nil {
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

// recordJob keeps the Site Recovery job of an operation of item i in the
// field field names, and names it in an event of phase (nothing when Azure
// named no job: a refusal).
func (r *runner) recordJob(i int, phase string, job azure.Job, field func(*ItemResult) *string) {
	if job.ID == "" {
		return
	}
	r.set(i, func(it *ItemResult) { *field(it) = job.ID })
	r.log.EmitJob(phase, r.res.Items[i].Group, r.infos[i].ID.Name, job.ID, "Site Recovery job "+job.Name)
}

// cacheName is the staging account a re-protect input names (its name).
func cacheName(in asr.ReverseReplicationInput) string {
	d := in.Properties.ProviderSpecificDetails.(*asr.A2AReprotectInput)
	if len(d.VMDisks) == 0 {
		return ""
	}
	id := deref(d.VMDisks[0].PrimaryStagingAzureStorageAccountID)
	return id[strings.LastIndex(id, "/")+1:]
}

// failbackItem fails a re-protected item back to the primary (an
// unplanned failover RecoveryToPrimary at Site Recovery's latest point,
// shutting the recovery VM down first when asked) and commits.
func (r *runner) failbackItem(ctx context.Context, i int) error {
	id, name, g := r.infos[i].ID, r.infos[i].ID.Name, r.res.Items[i].Group
	// An unplanned failover needs a recovery point, and the replication
	// back starts with none: wait for its first one.
	if err := r.awaitPoint(ctx, id); err != nil {
		return r.itemErr(i, "waiting for the first recovery point of the replication back", err)
	}
	r.log.Emit(PhaseFailback, g, name, "unplanned failover back to the primary region, "+shutdownNote(r.spec.ShutdownSourceVMs))
	job, err := unplannedFailover(ctx, r.c, id, dirRecoveryToPrimary, "", r.spec.ShutdownSourceVMs)
	r.recordJob(i, PhaseFailback, job, func(it *ItemResult) *string { return &it.FailbackJobID })
	if err != nil {
		return r.itemErr(i, "failback", err)
	}
	job, err = commit(ctx, r.c, id)
	r.recordJob(i, PhaseFailback, job, func(it *ItemResult) *string { return &it.FailbackCommitJobID })
	if err != nil {
		return r.itemErr(i, "failback commit", err)
	}
	at := r.log.Clock.Now()
	r.set(i, func(it *ItemResult) { it.FailedBackAt = at })
	r.log.Emit(PhaseFailbackDone, g, name, "back on the primary, committed")
	return nil
}

// awaitPoint waits until the item has a recovery point.
func (r *runner) awaitPoint(ctx context.Context, id azure.ProtectedItemID) error {
	return azure.Await(ctx, func(ctx context.Context) (bool, time.Duration, error) {
		points, err := siterecovery.ListPoints(ctx, r.c, id)
		if err != nil {
			return false, 0, err
		}
		return len(points) > 0, 0, nil
	})
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
