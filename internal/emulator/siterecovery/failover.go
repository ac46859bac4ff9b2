package siterecovery

import (
	"net/http"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/replication"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

// The failover state machine of a protected item (A2A), as
// armrecoveryservicessiterecovery/v2 v2.2.0 sends it; every action is a
// POST answering 202 whose Location returns the item:
//
//	POST {item}/unplannedFailover  UnplannedFailoverInput (A2A recoveryPointId), ~4 min
//	POST {item}/plannedFailover    PlannedFailoverInput (final sync), ~5 min
//	POST {item}/failoverCommit     ~1 min
//	POST {item}/reProtect          ReverseReplicationInput, ~3 min, then initial replication
//
//	Protected (active Primary, replicating PrimaryToRecovery)
//	   | plannedFailover / unplannedFailover (PrimaryToRecovery)
//	   v
//	FailedOver (active Recovery: the recovery VM serves) --failoverCommit--> FailoverCommitted
//	   | reProtect (RecoveryToPrimary)
//	   v
//	InitialReplicationInProgress, then Protected (active Recovery, replicating RecoveryToPrimary)
//	   | plannedFailover / unplannedFailover (RecoveryToPrimary) = failback
//	   v
//	FailedOver (active Primary: the original VM serves again) --failoverCommit--> FailoverCommitted
//	   | reProtect (PrimaryToRecovery)
//	   v
//	InitialReplicationInProgress, then Protected (active Primary) ...
//
// The VM a failover to the recovery region makes is "<recovery VM name>"
// in the recovery group and network (role "recovery" until committed, then
// "primary": it takes the application's writes). A failback brings the
// original VM back (powered on, holding the data it is failed back with).

const (
	kindItemPlannedFailover   = protectedItemType + "/plannedFailover"
	kindItemUnplannedFailover = protectedItemType + "/unplannedFailover"
	kindItemFailoverCommit    = protectedItemType + "/failoverCommit"
	kindItemReprotect         = protectedItemType + "/reProtect"

	itemPlannedFailoverDuration   = 5 * time.Minute
	itemUnplannedFailoverDuration = 4 * time.Minute
	itemFailoverCommitDuration    = time.Minute
	itemReprotectDuration         = 3 * time.Minute

	opPlannedFailover   = "PlannedFailover"
	opUnplannedFailover = "UnplannedFailover"
	opFailoverCommit    = "FailoverCommit"
	opReprotect         = "ReProtect"
	opDisableProtection = "DisableProtection"

	// Failover phases (itemFailover.Phase); "" when replicating.
	fphaseFailingOver  = "FailingOver"
	fphaseFailedOver   = "FailedOver"
	fphaseCommitting   = "Committing"
	fphaseCommitted    = "Committed"
	fphaseReprotecting = "Reprotecting"

	// Protection states the failover state machine shows.
	statePlannedFailoverInProgress   = "PlannedFailoverInProgress"
	stateUnplannedFailoverInProgress = "UnplannedFailoverInProgress"
	stateFailedOver                  = "FailedOver"
	stateFailoverCommitInProgress    = "FailoverCommitInProgress"
	stateFailoverCommitted           = "FailoverCommitted"
	stateReprotectInProgress         = "ReprotectInProgress"

	powerDeallocated = "deallocated"

	// RecoveryVMTag marks a failover's recovery VM with the id of the
	// protected item it was made for.
	RecoveryVMTag = "azuredr-failover-of"
)

// itemFailover is the failover state machine's state.
type itemFailover struct {
	Phase string `json:"phase,omitempty"`
	// PreviousPhase is where a failed action goes back to.
	PreviousPhase string `json:"previousPhase,omitempty"`
	// Kind and Direction of the last failover; Planned for final sync.
	Kind      string `json:"kind,omitempty"`
	Direction string `json:"direction,omitempty"`
	// Reversed: replication runs from the recovery region back to the
	// primary (after a re-protect following a failover to recovery).
	Reversed bool `json:"reversed,omitempty"`
	// RecoveryVMID and RecoveryNICID: the VM a failover to the recovery
	// region made.
	RecoveryVMID  string `json:"recoveryVmId,omitempty"`
	RecoveryNICID string `json:"recoveryNicId,omitempty"`
	// The recovery point a failover used ("" for a planned failover's
	// final sync) and the data version the failed-over VM got.
	RecoveryPointID string          `json:"recoveryPointId,omitempty"`
	Data            web.DataVersion `json:"dataVersion"`
	FailedOverAt    *time.Time      `json:"failedOverAt,omitempty"`
	// Timeline is the replication after the last re-protect (the item's
	// own timeline before any).
	Timeline *itemTimeline `json:"timeline,omitempty"`
}

// replicationSource is the VM replication reads from, its region, and the
// timeline of the current replication.
func (p *protectedItemStored) replicationSource() (string, string, itemTimeline) {
	f := p.Failover.Failover
	if f == nil {
		return p.VMID, p.PrimaryLocation, p.Timeline
	}
	tl := p.Timeline
	if f.Timeline != nil {
		tl = *f.Timeline
	}
	if f.Reversed {
		return f.RecoveryVMID, p.RecoveryLocation, tl
	}
	return p.VMID, p.PrimaryLocation, tl
}

func (f *itemFailovers) failoverRoutes() []service.Route {
	return []service.Route{
		{Method: http.MethodPost, Pattern: itemPath + "/unplannedFailover", Operation: "ReplicationProtectedItems_UnplannedFailover", Handle: f.unplannedFailover},
		{Method: http.MethodPost, Pattern: itemPath + "/plannedFailover", Operation: "ReplicationProtectedItems_PlannedFailover", Handle: f.plannedFailover},
		{Method: http.MethodPost, Pattern: itemPath + "/failoverCommit", Operation: "ReplicationProtectedItems_FailoverCommit", Handle: f.failoverCommit},
		{Method: http.MethodPost, Pattern: itemPath + "/reProtect", Operation: "ReplicationProtectedItems_Reprotect", Handle: f.reprotect},
	}
}

func (f *itemFailovers) failoverKinds() []lro.Kind {
	return []lro.Kind{
		{Name: kindItemPlannedFailover, Namespace: recoveryServicesNamespace, Duration: itemPlannedFailoverDuration,
			Complete: f.completeFailover, Fail: f.failAction, Result: f.itemResult},
		{Name: kindItemUnplannedFailover, Namespace: recoveryServicesNamespace, Duration: itemUnplannedFailoverDuration,
			Complete: f.completeFailover, Fail: f.failAction, Result: f.itemResult},
		{Name: kindItemFailoverCommit, Namespace: recoveryServicesNamespace, Duration: itemFailoverCommitDuration,
			Complete: f.completeCommit, Fail: f.failAction, Result: f.itemResult},
		{Name: kindItemReprotect, Namespace: recoveryServicesNamespace, Duration: itemReprotectDuration,
			Complete: f.completeReprotect, Fail: f.failAction, Result: f.itemResult},
	}
}

// directionOf is the way the item replicates now (and a failover goes).
func directionOf(it *protectedItemRecord) string {
	if f := it.Properties.Failover.Failover; f != nil && f.Reversed {
		return directionRecoveryToPrimary
	}
	return directionPrimaryToRecovery
}

func opposite(direction string) string {
	if direction == directionRecoveryToPrimary {
		return directionPrimaryToRecovery
	}
	return directionRecoveryToPrimary
}

// failoverSides are the item's source (where its VM runs and replicates
// from) and target (where a failover brings it up).
func (s *Service) failoverSides(it *protectedItemRecord) (source, target failoverSide) {
	st := &it.Properties
	primary := failoverSide{location: st.PrimaryLocation, vmID: st.VMID, vmName: st.VMName, zone: st.PrimaryZone}
	if g, ok := groupIDOf(st.VMID); ok {
		primary.groupID = g
	}
	if len(st.NICs) > 0 {
		primary.networkID, primary.subnetName = st.NICs[0].PrimaryNetworkID, st.NICs[0].PrimarySubnetName
	}
	recovery := failoverSide{location: st.RecoveryLocation, vmName: orString(st.Recovery.VMName, st.VMName), vmSize: st.Recovery.VMSize,
		zone: st.Recovery.AvailabilityZone, groupID: st.Recovery.ResourceGroupID, networkID: st.Recovery.NetworkID,
		subnetName: st.Recovery.SubnetName}
	if recovery.subnetName == "" && len(st.NICs) > 0 {
		recovery.subnetName = st.NICs[0].RecoverySubnetName
	}
	if f := st.Failover.Failover; f != nil {
		recovery.vmID = f.RecoveryVMID
		if f.Reversed {
			return recovery, primary
		}
	}
	return primary, recovery
}

func groupIDOf(id string) (string, bool) {
	sub, group, ok := arm.SplitGroupID(id)
	if !ok {
		return "", false
	}
	return arm.ResourceGroupID(sub, group), true
}

// failoverInput covers UnplannedFailoverInput, PlannedFailoverInput and
// ReverseReplicationInput: the direction, A2A details and (unplanned)
// sourceSiteOperations.
type failoverInput struct {
	Properties *struct {
		FailoverDirection       *string `json:"failoverDirection"`
		SourceSiteOperations    *string `json:"sourceSiteOperations"`
		ProviderSpecificDetails *struct {
			InstanceType    string  `json:"instanceType"`
			RecoveryPointID *string `json:"recoveryPointId"`
		} `json:"providerSpecificDetails"`
	} `json:"properties"`
}

// actionInput is what a failover operation remembers.
type actionInput struct {
	Planned              bool   `json:"planned,omitempty"`
	SourceSiteOperations bool   `json:"sourceSiteOperations,omitempty"`
	PreviousPhase        string `json:"previousPhase,omitempty"`
}

func (f *itemFailovers) unplannedFailover(req *service.Request) (arm.Response, error) {
	return f.startFailover(req, false)
}

func (f *itemFailovers) plannedFailover(req *service.Request) (arm.Response, error) {
	return f.startFailover(req, true)
}

// startFailover starts a planned or unplanned failover in the direction
// the item replicates.
func (f *itemFailovers) startFailover(req *service.Request, planned bool) (arm.Response, error) {
	var in failoverInput
	if len(strings.TrimSpace(string(req.Body))) > 0 {
		if err := req.Decode(&in); err != nil {
			return arm.Response{}, err
		}
	}
	op, kind, duration := opUnplannedFailover, kindItemUnplannedFailover, itemUnplannedFailoverDuration
	if planned {
		op, kind, duration = opPlannedFailover, kindItemPlannedFailover, itemPlannedFailoverDuration
	}
	return f.startAction(req, op, kind, duration, func(tx *store.Tx, it *protectedItemRecord, now time.Time) (any, error) {
		st := &it.Properties
		direction := directionOf(it)
		p := in.Properties
		if p != nil && p.FailoverDirection != nil && *p.FailoverDirection != "" && *p.FailoverDirection != direction {
			return nil, arm.SiteRecoveryInvalidReference("InvalidFailoverDirection", "properties.failoverDirection",
				"'%s' is not possible: '%s' replicates %s, so a failover goes %s", *p.FailoverDirection, st.VMName, direction, direction)
		}
		source, target := f.s.failoverSides(it)
		input := actionInput{Planned: planned}
		pointID := ""
		if p != nil {
			if d := p.ProviderSpecificDetails; d != nil {
				if !planned && d.InstanceType != instanceA2A {
					return nil, arm.InvalidProperty("properties.providerSpecificDetails.instanceType", "'%s' is not supported: the item replicates with A2A", d.InstanceType)
				}
				if d.RecoveryPointID != nil {
					pointID = strings.TrimSpace(*d.RecoveryPointID)
				}
			}
			if p.SourceSiteOperations != nil {
				switch *p.SourceSiteOperations {
				case "Required":
					input.SourceSiteOperations = true
				case "NotRequired", "":
				default:
					return nil, arm.InvalidProperty("properties.sourceSiteOperations", "'%s' is not one of Required, NotRequired", *p.SourceSiteOperations)
				}
			}
		}
		fo := st.Failover.Failover
		if fo == nil {
			fo = &itemFailover{}
			st.Failover.Failover = fo
		}
		if planned {
			if f.s.Faults.RegionDown(source.location) {
				return nil, arm.SiteRecoveryConflict("PlannedFailoverNotAllowedDuringOutage",
					"A planned failover of '%s' needs its source region %s to be available (it shuts the source VM down and replicates the last changes), but %s has an outage. Use an unplanned failover.",
					st.VMName, source.location, source.location)
			}
			fo.RecoveryPointID, fo.Data = "", web.DataVersion{}
		} else {
			m, err := f.s.itemModel(tx, it)
			if err != nil {
				return nil, err
			}
			point, err := pickPoint(it, m, pointID, now)
			if err != nil {
				return nil, err
			}
			fo.RecoveryPointID = it.ID + "/recoveryPoints/" + point.Name
			fo.Data = web.DataVersion{Version: point.Data.Version, WrittenAt: point.Data.WrittenAt, Label: f.s.labelOf(tx, source.vmID, point.Data.Version)}
		}
		if _, err := requireRecoveryGroup(tx, target.groupID, "recoveryAzureResourceGroupId"); err != nil {
			return nil, err
		}
		input.PreviousPhase = fo.Phase
		fo.Phase, fo.Kind, fo.Direction = fphaseFailingOver, op, direction
		st.Failover.Scenario = op
		return input, nil
	})
}

// startAction checks op is allowed, lets prepare validate and change the
// item (returning the operation's input), starts the operation and
// answers 202.
func (f *itemFailovers) startAction(req *service.Request, op, kind string, d time.Duration,
	prepare func(tx *store.Tx, it *protectedItemRecord, now time.Time) (any, error)) (arm.Response, error) {
	var resp arm.Response
	err := f.s.Store.Update(func(tx *store.Tx) error {
		loc, it, err := f.items.findItem(tx, req, true)
		if err != nil {
			return err
		}
		now := f.s.Clock.Now()
		v, err := f.s.itemView(tx, it, now)
		if err != nil {
			return err
		}
		if err := requireAllowed(v, op); err != nil {
			return err
		}
		input, err := prepare(tx, it, now)
		if err != nil {
			return err
		}
		o, err := f.s.Ops.Start(tx, lro.Spec{Kind: kind, ResourceID: it.ID, Location: loc.vault.Location,
			Method: http.MethodPost, APIVersion: req.APIVersion, Duration: d, Input: input})
		if err != nil {
			return err
		}
		start := o.StartTime
		it.Properties.Failover.JobID, it.Properties.Failover.ScenarioStart = o.ID, &start
		if err := service.PutJSON(tx, it.ID, it); err != nil {
			return err
		}
		resp = f.s.Ops.Accepted(req.Base, o)
		return nil
	})
	return resp, err
}

// completeFailover brings the VM up on the target side: the recovery VM
// (made) for a failover to the recovery region, the original VM (powered
// on again) for a failback. A planned failover replicates the source's
// current data and powers the source off; an unplanned one uses the
// recovery point (and powers the source off only with
// sourceSiteOperations Required and its region up).
func (f *itemFailovers) completeFailover(tx *store.Tx, op *lro.Operation) error {
	it, ok, err := service.GetJSON[protectedItemRecord](tx, op.ResourceID)
	if err != nil || !ok {
		return service.NotFoundByID(op.ResourceID, err)
	}
	var in actionInput
	_ = jsonUnmarshal(op.Input, &in)
	st := &it.Properties
	fo := st.Failover.Failover
	source, target := f.s.failoverSides(it)
	if f.s.Faults.RegionDown(target.location) {
		return arm.SiteRecoveryConflict("FailoverFailed", "Failover of '%s' failed: the target region %s is unavailable (outage).", st.VMName, target.location)
	}
	srcState, srcOK, err := service.GetJSON[compute.VMState](tx, compute.StateKey(source.vmID))
	if err != nil {
		return err
	}
	if in.Planned {
		if f.s.Faults.RegionDown(source.location) {
			return arm.SiteRecoveryConflict("FailoverFailed", "Planned failover of '%s' failed: the source region %s became unavailable during the final sync. Use an unplanned failover.", st.VMName, source.location)
		}
		if srcOK {
			fo.Data = srcState.Data
		}
	}
	// Power the source off.
	if srcOK && (in.Planned || (in.SourceSiteOperations && !f.s.Faults.RegionDown(source.location))) {
		srcState.PowerState = powerDeallocated
		if err := service.PutJSON(tx, compute.StateKey(source.vmID), srcState); err != nil {
			return err
		}
		f.s.compute.StopInTx(source.vmID)
	}
	if fo.Direction == directionPrimaryToRecovery {
		made, err := f.s.createFailoverVM(tx, failoverVMSpec{
			itemID: it.ID, sourceVMID: source.vmID, groupID: target.groupID, location: target.location, zone: target.zone,
			name: target.vmName, size: target.vmSize, role: compute.RoleRecovery, data: fo.Data,
			networkID: target.networkID, subnetName: target.subnetName, tags: map[string]string{RecoveryVMTag: it.ID},
		})
		if err != nil {
			return arm.SiteRecoveryConflict("FailoverFailed", "Failover of '%s' failed: %s.", st.VMName, arm.AsError(err).Message)
		}
		fo.RecoveryVMID, fo.RecoveryNICID = made.vmID, made.nicID
		st.Failover.ActiveLocation = "Recovery"
	} else {
		// Failback: the original VM comes back with the data.
		vm, ok, err := service.GetJSON[compute.VM](tx, target.vmID)
		if err != nil {
			return err
		}
		tst, tok, err := service.GetJSON[compute.VMState](tx, compute.StateKey(target.vmID))
		if err != nil {
			return err
		}
		if !ok || !tok {
			return arm.SiteRecoveryConflict("FailoverFailed", "Failback of '%s' failed: the original virtual machine '%s' no longer exists.", st.VMName, target.vmID)
		}
		tst.PowerState, tst.Role = compute.PowerRunning, compute.RolePrimary
		if fo.Data.Version != 0 {
			d := fo.Data
			d.WrittenAt = maxTime(d.WrittenAt, lastWritten(tst))
			tst.Record(d)
		}
		if err := service.PutJSON(tx, compute.StateKey(vm.ID), tst); err != nil {
			return err
		}
		if err := f.s.compute.ServeInTx(tx, vm, tst); err != nil {
			return err
		}
		st.Failover.ActiveLocation = "Primary"
	}
	now := f.s.Clock.Now()
	fo.Phase, fo.PreviousPhase, fo.FailedOverAt = fphaseFailedOver, "", &now
	st.Failover.Scenario, st.Failover.JobID, st.Failover.ScenarioStart = scenarioNone, "", nil
	st.Failover.LastSuccessfulFailoverTime = &now
	return service.PutJSON(tx, it.ID, it)
}

func lastWritten(st *compute.VMState) time.Time { return st.Data.WrittenAt }

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// failAction puts the item back in the phase it was in.
func (f *itemFailovers) failAction(tx *store.Tx, op *lro.Operation) error {
	it, ok, err := service.GetJSON[protectedItemRecord](tx, op.ResourceID)
	if err != nil || !ok {
		return err
	}
	var in actionInput
	_ = jsonUnmarshal(op.Input, &in)
	st := &it.Properties
	if fo := st.Failover.Failover; fo != nil {
		fo.Phase, fo.PreviousPhase = in.PreviousPhase, ""
	}
	st.Failover.Scenario, st.Failover.JobID, st.Failover.ScenarioStart = scenarioNone, "", nil
	return service.PutJSON(tx, it.ID, it)
}

// failoverStateView applies the failover state machine to an item's view:
// protection state, active location and allowed operations.
func (s *Service) failoverStateView(r store.Reader, it *protectedItemRecord, v *protectedItemView, status replication.Status) {
	st := &it.Properties
	p := &v.Properties
	a := &p.ProviderSpecificDetails
	p.ActiveLocation = orString(st.Failover.ActiveLocation, "Primary")
	fo := st.Failover.Failover
	if fo == nil {
		return
	}
	if fo.RecoveryVMID != "" {
		a.RecoveryAzureVMID = fo.RecoveryVMID
	}
	set := func(state, desc string, ops ...string) {
		p.ProtectionState, p.ProtectionStateDescription = state, desc
		p.AllowedOperations = append([]string{}, ops...)
	}
	switch fo.Phase {
	case fphaseFailingOver:
		if fo.Kind == opPlannedFailover {
			set(statePlannedFailoverInProgress, "Planned failover in progress")
		} else {
			set(stateUnplannedFailoverInProgress, "Unplanned failover in progress")
		}
	case fphaseFailedOver:
		set(stateFailedOver, "Failover completed: commit pending", opFailoverCommit)
	case fphaseCommitting:
		set(stateFailoverCommitInProgress, "Failover commit in progress")
	case fphaseCommitted:
		set(stateFailoverCommitted, "Failover committed: re-protect to replicate "+opposite(fo.Direction), opReprotect, opDisableProtection)
	case fphaseReprotecting:
		set(stateReprotectInProgress, "Re-protect in progress")
	}
	if fo.Phase != "" {
		p.ReplicationHealth = replication.HealthNormal
		a.RpoInSeconds, a.LastRpoCalculatedTime = nil, nil
	}
	if fo.Reversed {
		a.PrimaryFabricLocation, a.RecoveryFabricLocation = st.RecoveryLocation, st.PrimaryLocation
	}
}

// failoverBlocksDisable refuses disabling protection while a failover is
// under way or not committed.
func failoverBlocksDisable(it *protectedItemRecord) error {
	fo := it.Properties.Failover.Failover
	if fo == nil {
		return nil
	}
	switch fo.Phase {
	case "", fphaseCommitted:
		return nil
	}
	return arm.SiteRecoveryConflict("OperationNotAllowed",
		"Protection of '%s' cannot be disabled while it is failing over or failed over without commit (phase %s): commit the failover first.",
		it.Properties.VMName, fo.Phase)
}
