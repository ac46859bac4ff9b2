package siterecovery_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
)

// The failover state machine through the real SDK client: planned
// failover, commit, re-protect, failback, commit, re-protect again; and an
// unplanned failover to an older point.

func (e *tfoEnv) action(t *testing.T, name, item string, in any) (asr.ReplicationProtectedItem, error) {
	t.Helper()
	const rg, fabric, pc = "rg-dr", "fabric-eastus", "pc-eastus"
	switch name {
	case "planned":
		p, err := e.items.BeginPlannedFailover(emulatortest.Context(t), vaultName, rg, fabric, pc, item, in.(asr.PlannedFailoverInput), nil)
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

func planned(direction string) asr.PlannedFailoverInput {
	return asr.PlannedFailoverInput{Properties: &asr.PlannedFailoverInputProperties{FailoverDirection: emulatortest.Ptr(direction)}}
}

func reprotectInput(direction string) asr.ReverseReplicationInput {
	return asr.ReverseReplicationInput{Properties: &asr.ReverseReplicationInputProperties{
		FailoverDirection: emulatortest.Ptr(direction), ProviderSpecificDetails: &asr.A2AReprotectInput{InstanceType: emulatortest.Ptr("A2A")}}}
}

func wantState(t *testing.T, it asr.ReplicationProtectedItem, state, active string, ops ...string) {
	t.Helper()
	got := allowed(it)
	if *it.Properties.ProtectionState != state || *it.Properties.ActiveLocation != active || strings.Join(got, ",") != strings.Join(ops, ",") {
		t.Fatalf("want %s / %s / %v, got %s / %s / %v", state, active, ops, *it.Properties.ProtectionState, *it.Properties.ActiveLocation, got)
	}
}

func TestFailoverCommitReprotectAndFailback(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1")
	base := e.srv.URL()
	item := "vm-web-1"
	primary := tfoSites(t, base)["vm-web-1"]
	writeCanary(t, primary.URL) // version 2

	// Wrong-state actions name the allowed operations.
	_, err := e.action(t, "commit", item, nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")
	if !strings.Contains(err.Error(), "Allowed operations: TestFailover, PlannedFailover, UnplannedFailover, DisableProtection") {
		t.Fatalf("message: %v", err)
	}
	_, err = e.action(t, "reprotect", item, reprotectInput("RecoveryToPrimary"))
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")
	_, err = e.action(t, "planned", item, planned("RecoveryToPrimary"))
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidFailoverDirection")

	// Planned failover: final sync, the primary powered off.
	it, err := e.action(t, "planned", item, planned("PrimaryToRecovery"))
	if err != nil {
		t.Fatalf("planned failover: %v", err)
	}
	wantState(t, it, "FailedOver", "Recovery", "FailoverCommit")
	if it.Properties.LastSuccessfulFailoverTime == nil {
		t.Fatal("no lastSuccessfulFailoverTime")
	}
	recoveryID, originalID := repVMID("rg-recovery", "vm-web-1"), repVMID("rg-prod", "vm-web-1")
	recovery, original := siteOfVM(t, base, recoveryID), siteOfVM(t, base, originalID)
	if recovery.Role != "recovery" || recovery.DataVersion.Version != 2 || !recovery.Running {
		t.Fatalf("recovery VM: %+v", recovery)
	}
	if original.Running {
		t.Fatalf("the primary still runs after a planned failover: %+v", original)
	}
	if v, role, ok := siteVersion(t, recovery.Address, recovery.Port); !ok || v != 2 || role != "recovery" {
		t.Fatalf("recovery site: %d %q %v", v, role, ok)
	}
	_, err = e.testFailover(t, item, "")
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")

	// Commit: the recovery VM takes writes.
	it, err = e.action(t, "commit", item, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantState(t, it, "FailoverCommitted", "Recovery", "ReProtect", "DisableProtection")
	if w := writeCanary(t, recovery.URL); w.Version != 3 {
		t.Fatalf("canary on the committed recovery VM: %+v", w)
	}

	// Re-protect: replication runs back to the primary region, with its
	// own initial replication.
	_, err = e.action(t, "reprotect", item, reprotectInput("PrimaryToRecovery"))
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidFailoverDirection")
	it, err = e.action(t, "reprotect", item, reprotectInput("RecoveryToPrimary"))
	if err != nil {
		t.Fatal(err)
	}
	wantState(t, it, "InitialReplicationInProgress", "Recovery", "DisableProtection")
	if d := a2a(t, it); *d.PrimaryFabricLocation != "westus2" || *d.RecoveryFabricLocation != "eastus" {
		t.Fatalf("reversed locations: %s -> %s", *d.PrimaryFabricLocation, *d.RecoveryFabricLocation)
	}
	it = e.waitProtected(t, item)
	wantState(t, it, "Protected", "Recovery", "TestFailover", "PlannedFailover", "UnplannedFailover", "DisableProtection")

	// Failback refused while the (now source) recovery region is down.
	rule := addRule(t, base, `{"kind":"outage","region":"westus2"}`)
	_, err = e.action(t, "planned", item, planned("RecoveryToPrimary"))
	emulatortest.WantARMError(t, err, http.StatusConflict, "PlannedFailoverNotAllowedDuringOutage")
	emulatortest.Call(t, http.MethodDelete, base+"/_emulator/faults/"+rule, nil, nil)

	// Failback: the original VM comes back with the recovery VM's data.
	writeCanary(t, recovery.URL) // version 4
	it, err = e.action(t, "planned", item, planned("RecoveryToPrimary"))
	if err != nil {
		t.Fatalf("failback: %v", err)
	}
	wantState(t, it, "FailedOver", "Primary", "FailoverCommit")
	recovery, original = siteOfVM(t, base, recoveryID), siteOfVM(t, base, originalID)
	if !original.Running || original.DataVersion.Version != 4 || original.Role != "primary" || recovery.Running {
		t.Fatalf("after failback: original %+v, recovery %+v", original, recovery)
	}
	if _, err = e.action(t, "commit", item, nil); err != nil {
		t.Fatal(err)
	}
	it, err = e.action(t, "reprotect", item, reprotectInput("PrimaryToRecovery"))
	if err != nil {
		t.Fatal(err)
	}
	wantState(t, it, "InitialReplicationInProgress", "Primary", "DisableProtection")
	if s := siteOfVM(t, base, recoveryID); s.ID != "" {
		t.Fatalf("the old recovery VM is still there after re-protecting to the recovery region: %+v", s)
	}
	it = e.waitProtected(t, item)
	wantState(t, it, "Protected", "Primary", "TestFailover", "PlannedFailover", "UnplannedFailover", "DisableProtection")
	if w := writeCanary(t, original.URL); w.Version != 5 {
		t.Fatalf("canary on the primary after failback: %+v", w)
	}
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
	it, err := e.action(t, "unplanned", item, asr.UnplannedFailoverInput{Properties: &asr.UnplannedFailoverInputProperties{
		FailoverDirection:       emulatortest.Ptr("PrimaryToRecovery"),
		SourceSiteOperations:    emulatortest.Ptr("NotRequired"),
		ProviderSpecificDetails: &asr.A2AUnplannedFailoverInput{InstanceType: emulatortest.Ptr("A2A"), RecoveryPointID: emulatortest.Ptr(itemID + "/recoveryPoints/" + older)},
	}})
	if err != nil {
		t.Fatalf("unplanned failover: %v", err)
	}
	wantState(t, it, "FailedOver", "Recovery", "FailoverCommit")
	recovery, original := siteOfVM(t, base, repVMID("rg-recovery", "vm-web-1")), siteOfVM(t, base, repVMID("rg-prod", "vm-web-1"))
	if recovery.DataVersion.Version != 1 || recovery.Role != "recovery" || !original.Running {
		t.Fatalf("recovery %+v, original %+v", recovery, original)
	}
	// Disabling protection waits for the commit.
	pd, err := e.items.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", item, asr.DisableProtectionInput{
		Properties: &asr.DisableProtectionInputProperties{}}, nil)
	_, err = emulatortest.Done(t, pd, err)
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")
}
