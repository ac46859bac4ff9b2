package admin_test

import (
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

// Replication with no protected item still reports the pauses that fault
// rules record: opened when added, closed when removed.
func TestReplicationPauses(t *testing.T) {
	_, c := start(t)
	rep, err := c.Replication(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Now.IsZero() || len(rep.Items) != 0 || len(rep.Pauses) != 0 {
		t.Fatalf("report %+v, want a time and nothing else", rep)
	}
	f, err := c.AddFault(ctx(t), admin.FaultRule{Kind: admin.FaultReplicationPause, Region: "eastus"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = c.Replication(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Pauses) != 1 || rep.Pauses[0].RuleID != f.ID || rep.Pauses[0].Kind != admin.FaultReplicationPause ||
		rep.Pauses[0].Region != "eastus" || rep.Pauses[0].From.IsZero() || rep.Pauses[0].To != nil {
		t.Fatalf("pauses %+v, want %s open in eastus", rep.Pauses, f.ID)
	}
	if err := c.DeleteFault(ctx(t), f.ID); err != nil {
		t.Fatal(err)
	}
	rep, err = c.Replication(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Pauses) != 1 || rep.Pauses[0].To == nil || rep.Pauses[0].EndedBy != "removed" {
		t.Fatalf("pauses %+v, want %s closed, removed", rep.Pauses, f.ID)
	}
}
