package siterecovery

import (
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Committing a failover, and re-protecting an item after one (replication in
// the other direction).

// failoverCommit is POST {item}/failoverCommit.
func (f *itemFailovers) failoverCommit(req *service.Request) (arm.Response, error) {
	return f.startAction(req, f.commitAction())
}

// commitAction is an item's failover commit (also what a recovery plan's
// commit starts per item).
func (f *itemFailovers) commitAction() itemAction {
	return itemAction{op: opFailoverCommit, allowed: allowCommit, kind: kindItemFailoverCommit, duration: itemFailoverCommitDuration,
		prepare: func(tx *store.Tx, it *protectedItemRecord, _ *protectedItemView, _ time.Time) (any, error) {
			fo := it.Properties.Failover.Failover
			in := actionInput{PreviousPhase: fo.Phase}
			fo.Phase = fphaseCommitting
			it.Properties.Failover.Scenario = opFailoverCommit
			return in, nil
		}}
}

// completeCommit makes the failover final: the VM that failed over takes
// the application's writes (role primary).
func (f *itemFailovers) completeCommit(tx *store.Tx, op *lro.Operation) error {
	it, ok, err := service.GetJSON[protectedItemRecord](tx, op.ResourceID)
	if err != nil || !ok {
		return service.NotFoundByID(op.ResourceID, err)
	}
	st := &it.Properties
	fo := st.Failover.Failover
	if fo.Direction == directionPrimaryToRecovery && fo.RecoveryVMID != "" {
		if vs, ok, err := service.GetJSON[compute.VMState](tx, compute.StateKey(fo.RecoveryVMID)); err != nil {
			return err
		} else if ok {
			vs.Role = compute.RolePrimary
			if err := service.PutJSON(tx, compute.StateKey(fo.RecoveryVMID), vs); err != nil {
				return err
			}
			if vm, ok, _ := service.GetJSON[compute.VM](tx, fo.RecoveryVMID); ok && vs.PowerState == compute.PowerRunning {
				if err := f.s.compute.ServeInTx(tx, vm, vs); err != nil {
					return err
				}
			}
		}
	}
	fo.Phase, fo.PreviousPhase = fphaseCommitted, ""
	st.Failover.Scenario, st.Failover.JobID, st.Failover.ScenarioStart = scenarioNone, "", nil
	return service.PutJSON(tx, it.ID, it)
}

// completeReprotect starts replication the other way: its own initial
// replication from now, then points of its own. Re-protecting back to the
// recovery region (after a failback) deletes the old recovery VM: the next
// failover makes a new one.
func (f *itemFailovers) completeReprotect(tx *store.Tx, op *lro.Operation) error {
	it, ok, err := service.GetJSON[protectedItemRecord](tx, op.ResourceID)
	if err != nil || !ok {
		return service.NotFoundByID(op.ResourceID, err)
	}
	st := &it.Properties
	fo := st.Failover.Failover
	now := f.s.Clock.Now()
	fo.Reversed = fo.Direction == directionPrimaryToRecovery
	if !fo.Reversed && fo.RecoveryVMID != "" {
		f.s.deleteFailoverVM(tx, it.ID, fo.RecoveryVMID, fo.RecoveryNICID, "")
		fo.RecoveryVMID, fo.RecoveryNICID = "", ""
	}
	fo.Timeline = &itemTimeline{CreatedAt: op.StartTime, EnabledAt: now, ProtectedAt: now.Add(itemInitialReplication), LagSeconds: st.Timeline.LagSeconds}
	fo.Phase, fo.PreviousPhase = "", ""
	st.Failover.Scenario, st.Failover.JobID, st.Failover.ScenarioStart = scenarioNone, "", nil
	return service.PutJSON(tx, it.ID, it)
}
