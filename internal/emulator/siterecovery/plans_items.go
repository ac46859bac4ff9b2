package siterecovery

import (
	"encoding/json"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/replication"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

// What a plan operation checks of each item and changes on it when it
// starts: the item-level handlers' checks and state changes (tfo.go,
// tfo_cleanup.go, failover*.go), with the plan's input in place of the
// item's (a recovery point type instead of a point id; no re-protect
// input). The item-level completions then do the work.

// planBeginTestFailover: the item's test failover subnet (its recovery
// subnet when its NIC settings name none) in the test network, a recovery
// point of the asked type, the recovery group, a free test VM name; then
// the item's test failover is in progress.
func (f *itemFailovers) planBeginTestFailover(tx *store.Tx, it *protectedItemRecord, _ *protectedItemView, in planOpInput, now time.Time) (any, any, error) {
	st := &it.Properties
	_, target := f.s.failoverSides(it)
	network, subnet, err := testNetwork(tx, in.NetworkID, tfoSubnet(it, target.subnetName), target.location)
	if err != nil {
		return nil, nil, err
	}
	point, data, err := f.planPoint(tx, it, in.PointType, now)
	if err != nil {
		return nil, nil, err
	}
	group, err := requireRecoveryGroup(tx, target.groupID, "providerSpecificDetails.recoveryAzureResourceGroupId")
	if err != nil {
		return nil, nil, err
	}
	name := target.vmName + tfoVMSuffix
	if err := compute.ValidateVMName(name); err != nil {
		return nil, nil, arm.SiteRecoveryInvalidReference("InvalidTestFailoverVmName", "recoveryAzureVMName",
			"the test failover VM of '%s' would be named '%s', which is not a valid VM name: shorten the recovery VM name", st.VMName, name)
	}
	sub, gname, _ := arm.SplitGroupID(group)
	if _, exists := tx.Get(compute.VMID(sub, gname, name)); exists {
		return nil, nil, arm.SiteRecoveryConflict("TestFailoverVmAlreadyExists",
			"A virtual machine named '%s' already exists in resource group '%s': the test failover VM of '%s' cannot be created. Delete it or rename the recovery VM first.",
			name, gname, st.VMName)
	}
	st.Failover.TestFailoverState = tfoInProgress
	st.Failover.Scenario = scenarioTestFailover
	st.Failover.TestFailover = &itemTestFailover{
		NetworkID: network, SubnetName: subnet, VMName: name,
		RecoveryPointID: it.ID + "/recoveryPoints/" + point.Name, RecoveryPointTime: point.Time,
		Data: data, StartedAt: now,
	}
	return nil, nil, nil
}

// planBeginCleanup: the item's test failover cleanup is in progress.
func (f *itemFailovers) planBeginCleanup(_ *store.Tx, it *protectedItemRecord, _ *protectedItemView, in planOpInput, _ time.Time) (any, any, error) {
	st := &it.Properties
	prev := orString(st.Failover.TestFailoverState, tfoNone)
	st.Failover.TestFailoverState = tfoCleanupInProgress
	st.Failover.Scenario = scenarioTestFailoverCleanup
	if st.Failover.TestFailover != nil {
		st.Failover.TestFailover.Comments = in.Comments
	}
	return cleanupInput{PreviousState: prev}, nil, nil
}

// planBeginUnplannedFailover: the item's own unplanned failover
// (hfail's unplannedFailoverAction: point, recovery group, the source VM
// shut down first when sourceSiteOperations is Required, the RPO kept),
// with the point of the asked type as its recoveryPointId.
func (f *itemFailovers) planBeginUnplannedFailover(tx *store.Tx, it *protectedItemRecord, v *protectedItemView, in planOpInput, now time.Time) (any, any, error) {
	m, err := f.s.itemModel(tx, it)
	if err != nil {
		return nil, nil, err
	}
	point, err := pointOfType(it, m, in.PointType, now)
	if err != nil {
		return nil, nil, err
	}
	ssops := "NotRequired"
	if in.SourceSiteOperations {
		ssops = "Required"
	}
	raw, err := json.Marshal(map[string]any{"properties": map[string]any{
		"failoverDirection": in.Direction, "sourceSiteOperations": ssops,
		"providerSpecificDetails": map[string]any{"instanceType": instanceA2A, "recoveryPointId": it.ID + "/recoveryPoints/" + point.Name}}})
	if err != nil {
		return nil, nil, err
	}
	var fin failoverInput
	if err := json.Unmarshal(raw, &fin); err != nil {
		return nil, nil, err
	}
	inner, err := f.unplannedFailoverAction(fin).prepare(tx, it, v, now)
	return inner, nil, err
}

// planBeginCommit: the item's own commit (commitAction).
func (f *itemFailovers) planBeginCommit(tx *store.Tx, it *protectedItemRecord, v *protectedItemView, _ planOpInput, now time.Time) (any, any, error) {
	inner, err := f.commitAction().prepare(tx, it, v, now)
	return inner, nil, err
}

// planReprotectDerived is the A2A re-protect input Site Recovery fills in
// for each item of a plan (RecoveryPlans_Reprotect takes no body): the
// container mapping from the container the item now runs in back to the
// other one, its policy, and the resource group the VM replicates into
// (the original VM's group when re-protecting back to the primary region).
// The per-disk cache accounts in the new source region Site Recovery picks
// (or creates) itself; the emulator does not model them for a plan's
// re-protect, where an item's own re-protect (failover_reprotect.go)
// checks every disk's.
type planReprotectDerived struct {
	ContainerMappingID      string `json:"containerMappingId"`
	RecoveryContainerID     string `json:"recoveryContainerId"`
	PolicyID                string `json:"policyId"`
	RecoveryResourceGroupID string `json:"recoveryResourceGroupId"`
}

// planBeginReprotect: the container mapping the reversed replication
// follows must exist; then the item is being re-protected.
func (f *itemFailovers) planBeginReprotect(tx *store.Tx, it *protectedItemRecord, _ *protectedItemView, _ planOpInput, _ time.Time) (any, any, error) {
	st := &it.Properties
	fo := st.Failover.Failover
	if fo == nil {
		return nil, nil, arm.SiteRecoveryConflict("OperationNotAllowed", "'%s' has not failed over: there is nothing to re-protect.", st.VMName)
	}
	sides := sidesForReprotect(it)
	from, to := sides.sourceContainerID, sides.targetContainerID
	group, _ := groupIDOf(st.VMID)
	if fo.Direction == directionRecoveryToPrimary {
		group = st.Recovery.ResourceGroupID
	}
	m, ok, err := containerMappingBetween(tx, from, to)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, arm.BadRequest("ProtectionContainerMappingNotFound",
			"'%s' cannot be re-protected: there is no protection container mapping from '%s' to '%s' for the reversed replication. "+
				"Create one (PUT %s/%s/{name} with targetProtectionContainerId '%s' and an A2A policy), then retry.",
			st.VMName, lastSegment(from), lastSegment(to), from, containerMappingsColl, to)
	}
	input := actionInput{PreviousPhase: fo.Phase}
	fo.Phase = fphaseReprotecting
	st.Failover.Scenario = opReprotect
	return input, planReprotectDerived{ContainerMappingID: m.ID, RecoveryContainerID: to, PolicyID: m.Properties.PolicyID, RecoveryResourceGroupID: group}, nil
}

// planPoint is the recovery point of the asked type a plan failover uses
// for the item, and the data version it gives the VM.
func (f *itemFailovers) planPoint(tx *store.Tx, it *protectedItemRecord, pointType string, now time.Time) (replication.Point, web.DataVersion, error) {
	source, _ := f.s.failoverSides(it)
	m, err := f.s.itemModel(tx, it)
	if err != nil {
		return replication.Point{}, web.DataVersion{}, err
	}
	point, err := pointOfType(it, m, pointType, now)
	if err != nil {
		return replication.Point{}, web.DataVersion{}, err
	}
	return point, web.DataVersion{Version: point.Data.Version, WrittenAt: point.Data.WrittenAt, Label: f.s.labelOf(tx, source.vmID, point.Data.Version)}, nil
}

// pointOfType picks the point an A2A recovery point type names:
// LatestProcessed the newest point; LatestCrashConsistent and
// LatestApplicationConsistent the newest of that kind. Latest is the
// newest point too: Azure first processes the data it has received into a
// new point, which the emulator's points (one per crash-consistent
// interval, carrying what had replicated by then) do not model.
func pointOfType(it *protectedItemRecord, m *replication.Item, pointType string, now time.Time) (replication.Point, error) {
	latest, err := pickPoint(it, m, "", now)
	if err != nil {
		return replication.Point{}, err
	}
	switch pointType {
	case pointLatestCrashConsistent, pointLatestAppConsistent:
		want := replication.PointCrashConsistent
		if pointType == pointLatestAppConsistent {
			want = replication.PointAppConsistent
		}
		pts := m.Points(now)
		for i := len(pts) - 1; i >= 0; i-- {
			if pts[i].HasData && (pts[i].Type == want || want == replication.PointCrashConsistent) {
				return pts[i], nil
			}
		}
		return replication.Point{}, arm.SiteRecoveryConflict("NoRecoveryPointAvailable",
			"'%s' has no %s recovery point: its policy makes one every %d minutes (0: never). Use another recovery point type.",
			it.Properties.VMName, want, appOrCrashFrequency(it, want))
	}
	return latest, nil
}

func appOrCrashFrequency(it *protectedItemRecord, kind string) int32 {
	if kind == replication.PointAppConsistent {
		return it.Properties.Policy.AppConsistentFrequencyInMinutes
	}
	return it.Properties.Policy.CrashConsistentFrequencyInMinutes
}
