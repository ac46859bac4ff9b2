package siterecovery

import (
	"strings"
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
	return f.startAction(req, opFailoverCommit, kindItemFailoverCommit, itemFailoverCommitDuration,
		func(tx *store.Tx, it *protectedItemRecord, now time.Time) (any, error) {
			fo := it.Properties.Failover.Failover
			in := actionInput{PreviousPhase: fo.Phase}
			fo.Phase = fphaseCommitting
			it.Properties.Failover.Scenario = opFailoverCommit
			return in, nil
		})
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

// reprotect is POST {item}/reProtect: replication starts the other way.
func (f *itemFailovers) reprotect(req *service.Request) (arm.Response, error) {
	var in failoverInput
	if len(strings.TrimSpace(string(req.Body))) > 0 {
		if err := req.Decode(&in); err != nil {
			return arm.Response{}, err
		}
	}
	return f.startAction(req, opReprotect, kindItemReprotect, itemReprotectDuration,
		func(tx *store.Tx, it *protectedItemRecord, now time.Time) (any, error) {
			fo := it.Properties.Failover.Failover
			want := opposite(directionOf(it))
			if p := in.Properties; p != nil && p.FailoverDirection != nil && *p.FailoverDirection != "" && *p.FailoverDirection != want {
				return nil, arm.SiteRecoveryInvalidReference("InvalidFailoverDirection", "properties.failoverDirection",
					"'%s' is not possible: after failing over %s, '%s' re-protects %s", *p.FailoverDirection, fo.Direction, it.Properties.VMName, want)
			}
			if p := in.Properties; p != nil && p.ProviderSpecificDetails != nil && p.ProviderSpecificDetails.InstanceType != instanceA2A {
				return nil, arm.InvalidProperty("properties.providerSpecificDetails.instanceType", "'%s' is not supported: the item replicates with A2A",
					p.ProviderSpecificDetails.InstanceType)
			}
			input := actionInput{PreviousPhase: fo.Phase}
			fo.Phase = fphaseReprotecting
			it.Properties.Failover.Scenario = opReprotect
			return input, nil
		})
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
