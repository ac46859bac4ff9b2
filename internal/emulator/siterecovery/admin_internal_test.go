package siterecovery

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/faults"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

// The admin API's replication view showed the stored failover side and
// pause records as they are; now it shows admin types built from them. A
// record with every field set and its view must marshal to the same bytes.

func sameJSON(t *testing.T, what string, record, view any) {
	t.Helper()
	r, err := json.Marshal(record)
	if err != nil {
		t.Fatal(err)
	}
	v, err := json.Marshal(view)
	if err != nil {
		t.Fatal(err)
	}
	if string(r) != string(v) {
		t.Errorf("%s: the view's JSON is not the record's\nrecord %s\n  view %s", what, r, v)
	}
}

func TestAdminViewsMarshalAsTheirRecords(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC)
	later := at.Add(time.Minute)
	data := web.DataVersion{Version: 3, WrittenAt: at, Label: "canary"}
	full := itemFailoverState{
		ActiveLocation: "Recovery", Scenario: "PlannedFailover", JobID: "job-1", ScenarioStart: &at,
		TestFailoverState: "MarkedForDeletion", LastSuccessfulTestFailoverTime: &at, LastSuccessfulFailoverTime: &later,
		TestFailover: &itemTestFailover{NetworkID: "net", SubnetName: "web", VMName: "vm-test", VMID: "vm", NICID: "nic", PublicIPID: "pip",
			RecoveryPointID: "rp", RecoveryPointTime: at, Data: data, StartedAt: at, CompletedAt: &later, FailedAt: &later, Comments: "c"},
		Failover: &itemFailover{Phase: "FailedOver", PreviousPhase: "FailingOver", Kind: "Planned", Direction: "PrimaryToRecovery", Reversed: true,
			RecoveryVMID: "rvm", RecoveryNICID: "rnic", RecoveryPointID: "rp", Data: data, FailedOverAt: &at,
			Timeline: &itemTimeline{CreatedAt: at, EnabledAt: at, ProtectedAt: later, LagSeconds: 30}},
	}
	sameJSON(t, "every field", full, full.view())
	sameJSON(t, "idle", itemFailoverState{ActiveLocation: "Primary", Scenario: "None", TestFailoverState: "None"},
		itemFailoverState{ActiveLocation: "Primary", Scenario: "None", TestFailoverState: "None"}.view())
	bare := itemFailoverState{TestFailover: &itemTestFailover{}, Failover: &itemFailover{}}
	sameJSON(t, "zero sub-records", bare, bare.view())

	closed := &replicationPauseRecord{RuleID: "r-1", Kind: faults.ReplicationPause, Region: "eastus", VMID: "vm", From: at, To: &later, EndedBy: "removed"}
	sameJSON(t, "closed pause", closed, closed.view())
	open := &replicationPauseRecord{RuleID: "r-2", Kind: faults.Outage, From: at}
	sameJSON(t, "open pause", open, open.view())
}
