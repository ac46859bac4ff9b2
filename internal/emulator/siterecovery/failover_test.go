package siterecovery_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
)

// The failover state machine through the real SDK client: unplanned
// failover (shutting the source down), commit, re-protect with a complete
// A2AReprotectInput, failback, commit, re-protect again; an unplanned
// failover to an older point; and the refusals (planned failover,
// incomplete re-protect inputs).

func (e *tfoEnv) action(t *testing.T, name, item string, in any) (asr.ReplicationProtectedItem, error) {
	t.Helper()
	const rg, fabric, pc = "rg-dr", "fabric-eastus", "pc-eastus"
	switch name {
	case "planned":
		p, err := e.items.BeginPlannedFailover(emulatortest.Context(t), vaultName, rg, fabric, pc, item, asr.PlannedFailoverInput{
			Properties: &asr.PlannedFailoverInputProperties{FailoverDirection: emulatortest.Ptr("PrimaryToRecovery")}}, nil)
		r, err := emulatortest.Done(t, p, err)
		return r.ReplicationProtectedItem, err
	case "unplanned":
		p, err := e.items.BeginUnplannedFailover(emulatortest.Context(t), vaultName, rg, fabric, pc, item, in.(asr.UnplannedFailoverInput), nil)
		r, err := emulatortest.Done(t, p, err)
		return r.ReplicationProtectedItem, err
	case "commit":
		p, err := e.items.BeginFailoverCommit(emulatortest.Context(t), vaultName, rg, fabric, pc, item, nil)
		r, err := emulatortest.Done(t, p, err)
		return r.ReplicationProtectedItem, err
	case "reprotect":
		p, err := e.items.BeginReprotect(emulatortest.Context(t), vaultName, rg, fabric, pc, item, in.(asr.ReverseReplicationInput), nil)
		r, err := emulatortest.Done(t, p, err)
		return r.ReplicationProtectedItem, err
	}
	t.Fatalf("unknown action %s", name)
	return asr.ReplicationProtectedItem{}, nil
}

// unplanned is an A2A unplanned failover input at Site Recovery's latest
// point; shutdown sets sourceSiteOperations Required.
func unplanned(direction string, shutdown bool) asr.UnplannedFailoverInput {
	ops := "NotRequired"
	if shutdown {
		ops = "Required"
	}
	return asr.UnplannedFailoverInput{Properties: &asr.UnplannedFailoverInputProperties{
		FailoverDirection: emulatortest.Ptr(direction), SourceSiteOperations: emulatortest.Ptr(ops),
		ProviderSpecificDetails: &asr.A2AUnplannedFailoverInput{InstanceType: emulatortest.Ptr("A2A")}}}
}

func wantState(t *testing.T, it asr.ReplicationProtectedItem, state, active string, ops ...string) {
	t.Helper()
	got := allowed(it)
	if *it.Properties.ProtectionState != state || *it.Properties.ActiveLocation != active || strings.Join(got, ",") != strings.Join(ops, ",") {
		t.Fatalf("want %s / %s / %v, got %s / %s / %v", state, active, ops, *it.Properties.ProtectionState, *it.Properties.ActiveLocation, got)
	}
}

// Azure's allowed operations after an A2A unplanned failover (the SDK's
// example) and after its commit (recorded A2A sessions).
var (
	opsFailedOver = []string{"CompleteMigration", "Commit", "DisableProtection", "ChangePit"}
	opsCommitted  = []string{"CompleteMigration", "DisableProtection", "SwitchProtection"}
	opsProtected  = []string{"TestFailover", "UnplannedFailover", "DisableProtection"}
)

// wantKeptAfterFailover checks what Azure keeps showing once replication
// stopped: the recovery point the failover used and the last RPO.
func wantKeptAfterFailover(t *testing.T, it asr.ReplicationProtectedItem) {
	t.Helper()
	if p := it.Properties.FailoverRecoveryPointID; p == nil || !strings.Contains(*p, "/recoveryPoints/") {
		t.Fatalf("failoverRecoveryPointId = %v", p)
	}
	if d := a2a(t, it); d.RpoInSeconds == nil || d.LastRpoCalculatedTime == nil {
		t.Fatalf("rpoInSeconds/lastRpoCalculatedTime not kept: %v %v", d.RpoInSeconds, d.LastRpoCalculatedTime)
	}
}

func TestA2AHasNoPlannedFailover(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1")
	_, err := e.action(t, "planned", "vm-web-1", nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")
	if !strings.Contains(err.Error(), "no planned failover") || !strings.Contains(err.Error(), "sourceSiteOperations 'Required'") {
		t.Fatalf("message: %v", err)
	}
	wantState(t, e.get(t, "vm-web-1"), "Protected", "Primary", opsProtected...)
	_, err = e.action(t, "planned", "vm-missing", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
}

func TestFailoverCommitReprotectAndFailback(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1")
	base := e.srv.URL()
	item := "vm-web-1"
	primary := tfoSites(t, base)["vm-web-1"]
	writeCanary(t, primary.URL) // version 2
	emulatortest.Eventually(t, "the newest point carries the canary", func() bool {
		pts := pointsWithVersions(t, base, item)
		return len(pts) > 0 && pts[0].Version == 2
	})

	// Wrong-state actions name the allowed operations.
	_, err := e.action(t, "commit", item, nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")
	if !strings.Contains(err.Error(), "Allowed operations: TestFailover, UnplannedFailover, DisableProtection") {
		t.Fatalf("message: %v", err)
	}
	_, err = e.action(t, "reprotect", item, e.reprotect(t, item, "RecoveryToPrimary"))
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")
	_, err = e.action(t, "unplanned", item, unplanned("RecoveryToPrimary", true))
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidFailoverDirection")

	// Unplanned failover shutting the source down first.
	it, err := e.action(t, "unplanned", item, unplanned("PrimaryToRecovery", true))
	if err != nil {
		t.Fatalf("unplanned failover: %v", err)
	}
	wantState(t, it, "UnplannedFailoverCommitPendingStatesBegin", "Recovery", opsFailedOver...)
	if *it.Properties.ProtectionStateDescription != "Failover completed" || it.Properties.LastSuccessfulFailoverTime == nil {
		t.Fatalf("description %q, lastSuccessfulFailoverTime %v", *it.Properties.ProtectionStateDescription, it.Properties.LastSuccessfulFailoverTime)
	}
	wantKeptAfterFailover(t, it)
	recoveryID, originalID := repVMID("rg-recovery", "vm-web-1"), repVMID("rg-prod", "vm-web-1")
	recovery, original := siteOfVM(t, base, recoveryID), siteOfVM(t, base, originalID)
	if recovery.Role != "recovery" || recovery.DataVersion.Version != 2 || !recovery.Running {
		t.Fatalf("recovery VM: %+v", recovery)
	}
	if original.Running {
		t.Fatalf("the source still runs after a failover with sourceSiteOperations Required: %+v", original)
	}
	_, err = e.testFailover(t, item, "")
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")

	// Commit: the recovery VM takes writes; Azure keeps the point and RPO.
	it, err = e.action(t, "commit", item, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantState(t, it, "UnplannedFailoverCommitted", "Recovery", opsCommitted...)
	wantKeptAfterFailover(t, it)
	if w := writeCanary(t, recovery.URL); w.Version != 3 {
		t.Fatalf("canary on the committed recovery VM: %+v", w)
	}

	// Re-protect: every incomplete A2AReprotectInput is refused with what
	// it lacks, then the complete one starts replication back.
	e.wantReprotectRefusals(t, item)
	it, err = e.action(t, "reprotect", item, e.reprotect(t, item, "RecoveryToPrimary"))
	if err != nil {
		t.Fatal(err)
	}
	wantState(t, it, "InitialReplicationInProgress", "Recovery", "DisableProtection")
	if d := a2a(t, it); *d.PrimaryFabricLocation != "westus2" || *d.RecoveryFabricLocation != "eastus" {
		t.Fatalf("reversed locations: %s -> %s", *d.PrimaryFabricLocation, *d.RecoveryFabricLocation)
	}
	it = e.waitProtected(t, item)
	wantState(t, it, "Protected", "Recovery", opsProtected...)

	// Failback: an unplanned failover back; the original VM comes back
	// with the recovery VM's data. Its source region (westus2) is down, so
	// sourceSiteOperations Required cannot shut the recovery VM down, and
	// the failover goes on (Azure: "failover continues even if shutdown
	// fails").
	writeCanary(t, recovery.URL) // version 4
	emulatortest.Eventually(t, "the newest reverse point carries version 4", func() bool {
		pts := pointsWithVersions(t, base, item)
		return len(pts) > 0 && pts[0].Version == 4
	})
	rule := addRule(t, base, `{"kind":"outage","region":"westus2"}`)
	it, err = e.action(t, "unplanned", item, unplanned("RecoveryToPrimary", true))
	emulatortest.Call(t, http.MethodDelete, base+"/_emulator/faults/"+rule, nil, nil)
	if err != nil {
		t.Fatalf("failback: %v", err)
	}
	wantState(t, it, "UnplannedFailoverCommitPendingStatesBegin", "Primary", opsFailedOver...)
	recovery, original = siteOfVM(t, base, recoveryID), siteOfVM(t, base, originalID)
	if !original.Running || original.DataVersion.Version != 4 || original.Role != "primary" || !recovery.Running {
		t.Fatalf("after failback with its source region down: original %+v, recovery %+v (still running: nothing could shut it down)", original, recovery)
	}
	it, err = e.action(t, "commit", item, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantState(t, it, "UnplannedFailoverCommitted", "Primary", opsCommitted...)
	it, err = e.action(t, "reprotect", item, e.reprotect(t, item, "PrimaryToRecovery"))
	if err != nil {
		t.Fatal(err)
	}
	wantState(t, it, "InitialReplicationInProgress", "Primary", "DisableProtection")
	if s := siteOfVM(t, base, recoveryID); s.ID != "" {
		t.Fatalf("the old recovery VM is still there after re-protecting to the recovery region: %+v", s)
	}
	it = e.waitProtected(t, item)
	wantState(t, it, "Protected", "Primary", opsProtected...)
	if w := writeCanary(t, original.URL); w.Version != 5 {
		t.Fatalf("canary on the primary after failback: %+v", w)
	}
}

// wantReprotectRefusals sends re-protect inputs each missing or getting one
// thing wrong, and checks Azure's code and the property named; the item
// stays committed.
func (e *tfoEnv) wantReprotectRefusals(t *testing.T, item string) {
	t.Helper()
	full := func() asr.ReverseReplicationInput { return e.reprotect(t, item, "RecoveryToPrimary") }
	details := func(in asr.ReverseReplicationInput) *asr.A2AReprotectInput {
		return in.Properties.ProviderSpecificDetails.(*asr.A2AReprotectInput)
	}
	_, err := e.action(t, "reprotect", item, full())
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "ProtectionContainerMappingNotFound")
	e.reverseMapping(t)
	other := emulatortest.Must[asr.Policy](t, "other policy")(createPolicy(t, e.c, "policy-other", a2aPolicy(60, 60, 5)))
	eastAcct := e.storageAccount(t, "rg-prod", "cacheeastother", "eastus")
	for _, tc := range []struct {
		name, code, property string
		status               int
		change               func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput
	}{
		{"no provider details", "BadRequest", "properties.providerSpecificDetails", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			in.Properties.ProviderSpecificDetails = nil
			return in
		}},
		{"direction", "InvalidFailoverDirection", "properties.failoverDirection", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			in.Properties.FailoverDirection = emulatortest.Ptr("PrimaryToRecovery")
			return in
		}},
		{"no container", "BadRequest", "recoveryContainerId", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			details(in).RecoveryContainerID = nil
			return in
		}},
		{"wrong container", "InvalidRecoveryContainer", "recoveryContainerId", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			details(in).RecoveryContainerID = e.top.recoveryContainer.ID
			return in
		}},
		{"no policy", "BadRequest", "policyId", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			details(in).PolicyID = nil
			return in
		}},
		{"not the mapping's policy", "InvalidPolicyId", "policyId", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			details(in).PolicyID = other.ID
			return in
		}},
		{"no group", "BadRequest", "recoveryResourceGroupId", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			details(in).RecoveryResourceGroupID = nil
			return in
		}},
		{"missing group", "RecoveryResourceGroupNotFound", "recoveryResourceGroupId", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			details(in).RecoveryResourceGroupID = emulatortest.Ptr("/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-nowhere")
			return in
		}},
		{"no disks", "VMDisksMissing", "vmDisks", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			details(in).VMDisks = nil
			return in
		}},
		{"one disk missing", "VMDisksMissing", "vmDisks", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			details(in).VMDisks = details(in).VMDisks[:1]
			return in
		}},
		{"not its disk", "InvalidDiskUri", "vmDisks[0].diskUri", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			details(in).VMDisks[0].DiskURI = emulatortest.Ptr(repVMID("rg-prod", "vm-web-1") + "-nodisk")
			return in
		}},
		{"no staging account", "BadRequest", "vmDisks[0].primaryStagingAzureStorageAccountId", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			details(in).VMDisks[0].PrimaryStagingAzureStorageAccountID = nil
			return in
		}},
		{"staging account missing", "StorageAccountNotFound", "vmDisks[0].primaryStagingAzureStorageAccountId", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			details(in).VMDisks[0].PrimaryStagingAzureStorageAccountID = emulatortest.Ptr(storageAccountID("rg-recovery", "cachenowhere"))
			return in
		}},
		{"staging account in the old source region", "InvalidStorageAccountLocation", "vmDisks[1].primaryStagingAzureStorageAccountId", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			details(in).VMDisks[1].PrimaryStagingAzureStorageAccountID = &eastAcct
			return in
		}},
		{"recovery account in the wrong region", "InvalidStorageAccountLocation", "vmDisks[0].recoveryAzureStorageAccountId", http.StatusBadRequest, func(in asr.ReverseReplicationInput) asr.ReverseReplicationInput {
			details(in).VMDisks[0].RecoveryAzureStorageAccountID = details(in).VMDisks[0].PrimaryStagingAzureStorageAccountID
			return in
		}},
	} {
		_, err = e.action(t, "reprotect", item, tc.change(full()))
		emulatortest.WantARMError(t, err, tc.status, tc.code)
		if !strings.Contains(err.Error(), tc.property) {
			t.Fatalf("%s: the error does not name %s: %v", tc.name, tc.property, err)
		}
	}
	wantState(t, e.get(t, item), "UnplannedFailoverCommitted", "Recovery", opsCommitted...)
}

func TestUnplannedFailoverToAnOlderPoint(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1")
	base := e.srv.URL()
	item := "vm-web-1"
	itemID := *e.get(t, item).ID
	primary := tfoSites(t, base)["vm-web-1"]
	writeCanary(t, primary.URL)
	var older string
	emulatortest.Eventually(t, "a point with version 1 and the newest with 2", func() bool {
		pts := pointsWithVersions(t, base, item)
		if len(pts) == 0 || pts[0].Version != 2 {
			return false
		}
		for _, p := range pts {
			if p.Version == 1 {
				older = p.Name
				return true
			}
		}
		return false
	})
	rule := addRule(t, base, `{"kind":"replicationPause","vmId":"`+repVMID("rg-prod", "vm-web-1")+`"}`)
	defer emulatortest.Call(t, http.MethodDelete, base+"/_emulator/faults/"+rule, nil, nil)
	in := unplanned("PrimaryToRecovery", false)
	in.Properties.ProviderSpecificDetails.(*asr.A2AUnplannedFailoverInput).RecoveryPointID = emulatortest.Ptr(itemID + "/recoveryPoints/" + older)
	it, err := e.action(t, "unplanned", item, in)
	if err != nil {
		t.Fatalf("unplanned failover: %v", err)
	}
	wantState(t, it, "UnplannedFailoverCommitPendingStatesBegin", "Recovery", opsFailedOver...)
	if !strings.HasSuffix(*it.Properties.FailoverRecoveryPointID, "/recoveryPoints/"+older) {
		t.Fatalf("failoverRecoveryPointId %s, want the older point %s", *it.Properties.FailoverRecoveryPointID, older)
	}
	// sourceSiteOperations NotRequired leaves the source running.
	recovery, original := siteOfVM(t, base, repVMID("rg-recovery", "vm-web-1")), siteOfVM(t, base, repVMID("rg-prod", "vm-web-1"))
	if recovery.DataVersion.Version != 1 || recovery.Role != "recovery" || !original.Running {
		t.Fatalf("recovery %+v, original %+v", recovery, original)
	}
}
