package failover

import (
	"context"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

func TestFailoverSpecValidate(t *testing.T) {
	item := "/subscriptions/s/resourceGroups/g/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/f/replicationProtectionContainers/c/replicationProtectedItems/i"
	st := &Site{PrimaryContainerID: "pc-p", RecoveryContainerID: "pc-r"}
	ok := Spec{Name: "x", Type: Unplanned, ShutdownSourceVMs: true, Reprotect: true, Failback: true, Site: st, Groups: []drill.Group{{Items: []drill.Item{{ID: item}}}}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid spec refused: %v", err)
	}
	for name, tc := range map[string]struct {
		spec Spec
		want string
	}{
		"no name":           {Spec{Type: Unplanned, Groups: ok.Groups}, "Name"},
		"no groups":         {Spec{Name: "x", Type: Unplanned}, "Groups"},
		"bad type":          {Spec{Name: "x", Type: "test", Groups: ok.Groups}, "Type"},
		"planned":           {Spec{Name: "x", Type: Planned, Groups: ok.Groups}, "Type: Azure to Azure replication has no planned failover; use \"unplanned\" with ShutdownSourceVMs"},
		"before":            {Spec{Name: "x", Type: Unplanned, RecoveryPoint: drill.Selector{Kind: drill.PointBefore}, Groups: ok.Groups}, "RecoveryPoint.Kind"},
		"failback no repro": {Spec{Name: "x", Type: Unplanned, Failback: true, Groups: ok.Groups}, "Failback"},
		"reprotect no site": {Spec{Name: "x", Type: Unplanned, Reprotect: true, Groups: ok.Groups}, "Site"},
		"duplicate":         {Spec{Name: "x", Type: Unplanned, Groups: []drill.Group{{Items: []drill.Item{{ID: item}}}, {Items: []drill.Item{{ID: item}}}}}, "twice"},
		"bad item":          {Spec{Name: "x", Type: Unplanned, Groups: []drill.Group{{Items: []drill.Item{{ID: "nope"}}}}}, "Items[0].ID"},
		"required manual":   {Spec{Name: "x", Type: Unplanned, Groups: []drill.Group{{Items: []drill.Item{{ID: item}}, Pre: []drill.Action{{Name: "call-bank", Type: drill.ActionManual, Description: "call the bank", Required: true}}}}}, "Groups[0].Pre[0]: the required manual step"},
		"script no command": {Spec{Name: "x", Type: Unplanned, Groups: []drill.Group{{Items: []drill.Item{{ID: item}}, Post: []drill.Action{{Name: "s", Type: drill.ActionScript}}}}}, "Groups[0].Post[0]"},
	} {
		err := tc.spec.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error naming %s", name, err, tc.want)
		}
	}
}

// An invalid spec or a missing client starts nothing and still returns a
// result with the verdict.
func TestRunFailoverRefusesBeforeStarting(t *testing.T) {
	res, err := Run(context.Background(), nil, Spec{Name: "x"})
	if err == nil || res == nil || len(res.Events) == 0 || res.Events[len(res.Events)-1].Phase != drill.PhaseVerdict {
		t.Fatalf("got %v, %+v", err, res)
	}
}
