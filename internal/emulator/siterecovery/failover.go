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

// The failover state machine of a protected item (A2A), as Azure serves it
// to armrecoveryservicessiterecovery/v2 v2.2.0; every action is a POST
// answering 202 whose Location returns the item:
//
//	POST {item}/unplannedFailover  UnplannedFailoverInput (A2A recoveryPointId,
//	                               sourceSiteOperations), ~4 min
//	POST {item}/failoverCommit     ~1 min
//	POST {item}/reProtect          ReverseReplicationInput with A2AReprotectInput
//	                               (failover_reprotect.go), ~3 min, then initial
//	                               replication
//	POST {item}/plannedFailover    refused: A2A has no planned failover (the SDK
//	                               has no A2A planned-failover input and Azure
//	                               never lists PlannedFailover for A2A items)
//
//	Protected (active Primary, replicating PrimaryToRecovery)
//	   | unplannedFailover (PrimaryToRecovery); sourceSiteOperations Required
//	   | shuts the source VM down first (when its region answers)
//	   v
//	UnplannedFailoverCommitPendingStatesBegin (active Recovery) --failoverCommit-->
//	UnplannedFailoverCommitted [CompleteMigration, DisableProtection, SwitchProtection]
//	   | reProtect (RecoveryToPrimary): "SwitchProtection" is A2A's name for it
//	   v
//	InitialReplicationInProgress, then Protected (active Recovery, replicating RecoveryToPrimary)
//	   | unplannedFailover (RecoveryToPrimary) = failback
//	   v
//	UnplannedFailoverCommitPendingStatesBegin (active Primary) --failoverCommit--> UnplannedFailoverCommitted
//	   | reProtect (PrimaryToRecovery)
//	   v
//	InitialReplicationInProgress, then Protected (active Primary) ...
//
// States and allowed operations after a failover are Azure's: the SDK's
// ReplicationProtectedItems example (UnplannedFailoverCommitPendingStatesBegin,
// "Failover completed", [CompleteMigration, Commit, DisableProtection,
// ChangePit]) and Azure PowerShell's recorded A2A sessions
// (UnplannedFailoverCommitted with [CompleteMigration, DisableProtection,
// SwitchProtection], rpoInSeconds and failoverRecoveryPointId kept).
//
// The VM a failover to the recovery region makes is "<recovery VM name>"
// in the recovery group and network (role "recovery" until committed, then
// "primary": it takes the application's writes). A failback brings the
// original VM back (powered on, holding the data it is failed back with).

const (
	kindItemUnplannedFailover = protectedItemType + "/unplannedFailover"
	kindItemFailoverCommit    = protectedItemType + "/failoverCommit"
	kindItemReprotect         = protectedItemType + "/reProtect"

	itemUnplannedFailoverDuration = 4 * time.Minute
	itemFailoverCommitDuration    = time.Minute
	itemReprotectDuration         = 3 * time.Minute

	// Scenario names (currentScenario) of the actions.
	opPlannedFailover   = "PlannedFailover"
	opUnplannedFailover = "UnplannedFailover"
	opFailoverCommit    = "FailoverCommit"
	opReprotect         = "ReProtect"
	opDisableProtection = "DisableProtection"

	// Allowed-operation names Azure lists for the actions: commit is
	// "Commit", re-protect of an A2A item "SwitchProtection".
	allowCommit            = "Commit"
	allowSwitchProtection  = "SwitchProtection"
	allowCompleteMigration = "CompleteMigration"
	allowChangePit         = "ChangePit"

	// Failover phases (itemFailover.Phase); "" when replicating.
	fphaseFailingOver  = "FailingOver"
	fphaseFailedOver   = "FailedOver"
	fphaseCommitting   = "Committing"
	fphaseCommitted    = "Committed"
	fphaseReprotecting = "Reprotecting"

	// Protection states the failover state machine shows.
	stateUnplannedFailoverInProgress = "UnplannedFailoverInProgress"
	stateFailedOver                  = "UnplannedFailoverCommitPendingStatesBegin"
	stateFailoverCommitInProgress    = "FailoverCommitInProgress"
	stateFailoverCommitted           = "UnplannedFailoverCommitted"
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
	// Kind and Direction of the last failover.
	Kind      string `json:"kind,omitempty"`
	Direction string `json:"direction,omitempty"`
	// Reversed: replication runs from the recovery region back to the
	// primary (after a re-protect following a failover to recovery).
	Reversed bool `json:"reversed,omitempty"`
	// RecoveryVMID and RecoveryNICID: the VM a failover to the recovery
	// region made.
	RecoveryVMID  string `json:"recoveryVmId,omitempty"`
	RecoveryNICID string `json:"recoveryNicId,omitempty"`
	// The recovery point a failover used (failoverRecoveryPointId) and
	// the data version the failed-over VM got.
	RecoveryPointID string `json:"recoveryPointId,omitempty"`
	// RPOSeconds and RPOCalculatedAt: the item's RPO when the failover
	// started, which Azure keeps showing once replication has stopped.
	RPOSeconds      *int64          `json:"rpoSeconds,omitempty"`
	RPOCalculatedAt *time.Time      `json:"rpoCalculatedAt,omitempty"`
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

// failoverInput is UnplannedFailoverInput: the direction, A2A details
// and sourceSiteOperations.
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
	PreviousPhase string `json:"previousPhase,omitempty"`
}

// plannedFailover is POST {item}/plannedFailover, which A2A does not have:
// the item is looked up (404 as for any action on a missing item), then
// refused the way Azure refuses an operation its allowedOperations do not
// list, with what to do instead.
func (f *itemFailovers) plannedFailover(req *service.Request) (arm.Response, error) {
	err := f.s.Store.Update(func(tx *store.Tx) error {
		_, it, err := f.items.findItem(tx, req, false)
		if err != nil {
			return err
		}
		return arm.SiteRecoveryConflict("OperationNotAllowed",
			"The operation '%s' is not supported for replication protected item '%s': Azure to Azure (A2A) replication has no planned failover. "+
				"Use unplannedFailover with sourceSiteOperations 'Required' to shut the source virtual machine down before the failover.",
			opPlannedFailover, it.Properties.VMName)
	})
	return arm.Response{}, err
}

// unplannedFailover is POST {item}/unplannedFailover, in the direction the
// item replicates. sourceSiteOperations Required shuts the source VM down
// as the failover starts (Azure: "Site Recovery attempts to shut down the
// source VMs before starting the failover; failover continues even if
// shutdown fails": with its region down it stays as it is).
func (f *itemFailovers) unplannedFailover(req *service.Request) (arm.Response, error) {
	var in failoverInput
	if len(strings.TrimSpace(string(req.Body))) > 0 {
		if err := req.Decode(&in); err != nil {
			return arm.Response{}, err
		}
	}
	return f.startAction(req, f.unplannedFailoverAction(in))
}

// unplannedFailoverAction is an item's unplanned failover with input in
// (also what a recovery plan's unplanned failover starts per item).
func (f *itemFailovers) unplannedFailoverAction(in failoverInput) itemAction {
	return itemAction{op: opUnplannedFailover, allowed: opUnplannedFailover, kind: kindItemUnplannedFailover, duration: itemUnplannedFailoverDuration,
		prepare: func(tx *store.Tx, it *protectedItemRecord, v *protectedItemView, now time.Time) (any, error) {
			st := &it.Properties
			direction := directionOf(it)
			p := in.Properties
			if p != nil && p.FailoverDirection != nil && *p.FailoverDirection != "" && *p.FailoverDirection != direction {
				return nil, arm.SiteRecoveryInvalidReference("InvalidFailoverDirection", "properties.failoverDirection",
					"'%s' is not possible: '%s' replicates %s, so a failover goes %s", *p.FailoverDirection, st.VMName, direction, direction)
			}
			source, target := f.s.failoverSides(it)
			pointID, shutdown := "", false
			if p != nil {
				if d := p.ProviderSpecificDetails; d != nil {
					if d.InstanceType != instanceA2A {
						return nil, arm.InvalidProperty("properties.providerSpecificDetails.instanceType", "'%s' is not supported: the item replicates with A2A", d.InstanceType)
					}
					if d.RecoveryPointID != nil {
						pointID = strings.TrimSpace(*d.RecoveryPointID)
					}
				}
				if p.SourceSiteOperations != nil {
					switch *p.SourceSiteOperations {
					case "Required":
						shutdown = true
					case "NotRequired", "":
					default:
						return nil, arm.InvalidProperty("properties.sourceSiteOperations", "'%s' is not one of Required, NotRequired", *p.SourceSiteOperations)
					}
				}
			}
			m, err := f.s.itemModel(tx, it)
			if err != nil {
				return nil, err
			}
			point, err := pickPoint(it, m, pointID, now)
			if err != nil {
				return nil, err
			}
			if _, err := requireRecoveryGroup(tx, target.groupID, "recoveryAzureResourceGroupId"); err != nil {
				return nil, err
			}
			fo := st.Failover.Failover
			if fo == nil {
				fo = &itemFailover{}
				st.Failover.Failover = fo
			}
			fo.RecoveryPointID = it.ID + "/recoveryPoints/" + point.Name
			fo.Data = web.DataVersion{Version: point.Data.Version, WrittenAt: point.Data.WrittenAt, Label: f.s.labelOf(tx, source.vmID, point.Data.Version)}
			a := &v.Properties.ProviderSpecificDetails
			fo.RPOSeconds, fo.RPOCalculatedAt = a.RpoInSeconds, a.LastRpoCalculatedTime
			if shutdown && !f.s.Faults.RegionDown(source.location) {
				if err := f.s.shutDownSource(tx, source.vmID); err != nil {
					return nil, err
				}
			}
			input := actionInput{PreviousPhase: fo.Phase}
			fo.Phase, fo.Kind, fo.Direction = fphaseFailingOver, opUnplannedFailover, direction
			st.Failover.Scenario = opUnplannedFailover
			return input, nil
		}}
}

// shutDownSource powers the failover's source VM off (deallocated, as a
// shut-down Azure VM shows) and stops it serving.
func (s *Service) shutDownSource(tx *store.Tx, vmID string) error {
	vs, ok, err := service.GetJSON[compute.VMState](tx, compute.StateKey(vmID))
	if err != nil || !ok {
		return err
	}
	vs.PowerState = powerDeallocated
	if err := service.PutJSON(tx, compute.StateKey(vmID), vs); err != nil {
		return err
	}
	s.compute.StopInTx(vmID)
	return nil
}

// itemAction is one failover action of an item: its scenario name, the
// allowed-operation name Azure lists for it, its operation kind and
// duration, and prepare, which validates the input and changes the item
// (returning what the operation remembers).
type itemAction struct {
	op, allowed, kind string
	duration          time.Duration
	prepare           func(tx *store.Tx, it *protectedItemRecord, v *protectedItemView, now time.Time) (any, error)
}

// startAction finds the request's item, starts a on it and answers 202.
func (f *itemFailovers) startAction(req *service.Request, a itemAction) (arm.Response, error) {
	var resp arm.Response
	err := f.s.Store.Update(func(tx *store.Tx) error {
		loc, it, err := f.items.findItem(tx, req, true)
		if err != nil {
			return err
		}
		o, err := f.startItemAction(tx, it, loc.vault.Location, req.APIVersion, a)
		if err != nil {
			return err
		}
		resp = f.s.Ops.Accepted(req.Base, o)
		return nil
	})
	return resp, err
}

// startItemAction starts a on the item in tx: it checks the item's
// allowedOperations list a.allowed, lets a.prepare validate and change the
// item, starts the operation (in the vault's region) and records it as the
// item's current scenario. Recovery plan operations call it per item.
func (f *itemFailovers) startItemAction(tx *store.Tx, it *protectedItemRecord, vaultLocation, apiVersion string, a itemAction) (*lro.Operation, error) {
	now := f.s.Clock.Now()
	v, err := f.s.itemView(tx, it, now)
	if err != nil {
		return nil, err
	}
	if err := requireAllowed(v, a.allowed); err != nil {
		return nil, err
	}
	input, err := a.prepare(tx, it, v, now)
	if err != nil {
		return nil, err
	}
	o, err := f.s.Ops.Start(tx, lro.Spec{Kind: a.kind, ResourceID: it.ID, Location: vaultLocation,
		Method: http.MethodPost, APIVersion: apiVersion, Duration: a.duration, Input: input})
	if err != nil {
		return nil, err
	}
	start := o.StartTime
	it.Properties.Failover.JobID, it.Properties.Failover.ScenarioStart = o.ID, &start
	if err := service.PutJSON(tx, it.ID, it); err != nil {
		return nil, err
	}
	return o, nil
}

// completeFailover brings the VM up on the target side with the recovery
// point's data: the recovery VM (made) for a failover to the recovery
// region, the original VM (powered on again) for a failback.
func (f *itemFailovers) completeFailover(tx *store.Tx, op *lro.Operation) error {
	it, ok, err := service.GetJSON[protectedItemRecord](tx, op.ResourceID)
	if err != nil || !ok {
		return service.NotFoundByID(op.ResourceID, err)
	}
	st := &it.Properties
	fo := st.Failover.Failover
	source, target := f.s.failoverSides(it)
	if f.s.Faults.RegionDown(target.location) {
		return arm.SiteRecoveryConflict("FailoverFailed", "Failover of '%s' failed: the target region %s is unavailable (outage).", st.VMName, target.location)
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
		set(stateUnplannedFailoverInProgress, "Unplanned failover in progress")
	case fphaseFailedOver:
		set(stateFailedOver, "Failover completed", allowCompleteMigration, allowCommit, opDisableProtection, allowChangePit)
	case fphaseCommitting:
		set(stateFailoverCommitInProgress, "Failover commit in progress")
	case fphaseCommitted:
		set(stateFailoverCommitted, "Failover committed", allowCompleteMigration, opDisableProtection, allowSwitchProtection)
	case fphaseReprotecting:
		set(stateReprotectInProgress, "Re-protect in progress")
	}
	if fo.RecoveryPointID != "" {
		p.FailoverRecoveryPointID = fo.RecoveryPointID
	}
	if fo.Phase != "" {
		// Replication has stopped: health stays Normal and the RPO is the
		// one measured when the failover started.
		p.ReplicationHealth = replication.HealthNormal
		a.RpoInSeconds, a.LastRpoCalculatedTime = fo.RPOSeconds, fo.RPOCalculatedAt
	}
	if fo.Reversed {
		a.PrimaryFabricLocation, a.RecoveryFabricLocation = st.RecoveryLocation, st.PrimaryLocation
	}
}

// failoverBlocksDisable refuses disabling protection while a failover,
// commit or re-protect is under way (Azure lists DisableProtection once a
// failover has completed, committed or not).
func failoverBlocksDisable(it *protectedItemRecord) error {
	fo := it.Properties.Failover.Failover
	if fo == nil {
		return nil
	}
	switch fo.Phase {
	case "", fphaseFailedOver, fphaseCommitted:
		return nil
	}
	return arm.SiteRecoveryConflict("OperationNotAllowed",
		"Protection of '%s' cannot be disabled while a failover, commit or re-protect is running (phase %s): wait for it to finish.",
		it.Properties.VMName, fo.Phase)
}
