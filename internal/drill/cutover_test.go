package drill

import (
	"context"
	"strings"
	"testing"
)

func TestFailoverSpecValidate(t *testing.T) {
	item := "/subscriptions/s/resourceGroups/g/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/f/replicationProtectionContainers/c/replicationProtectedItems/i"
	ok := FailoverSpec{Name: "x", Type: FailoverPlanned, Reprotect: true, Failback: true, Groups: []Group{{Items: []Item{{ID: item}}}}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid spec refused: %v", err)
	}
	for name, tc := range map[string]struct {
		spec FailoverSpec
		want string
	}{
		"no name":           {FailoverSpec{Type: FailoverPlanned, Groups: ok.Groups}, "Name"},
		"no groups":         {FailoverSpec{Name: "x", Type: FailoverPlanned}, "Groups"},
		"bad type":          {FailoverSpec{Name: "x", Type: "test", Groups: ok.Groups}, "Type"},
		"point on planned":  {FailoverSpec{Name: "x", Type: FailoverPlanned, RecoveryPoint: Selector{Kind: PointLatestProcessed}, Groups: ok.Groups}, "RecoveryPoint"},
		"before":            {FailoverSpec{Name: "x", Type: FailoverUnplanned, RecoveryPoint: Selector{Kind: PointBefore}, Groups: ok.Groups}, "RecoveryPoint.Kind"},
		"failback no repro": {FailoverSpec{Name: "x", Type: FailoverPlanned, Failback: true, Groups: ok.Groups}, "Failback"},
		"duplicate":         {FailoverSpec{Name: "x", Type: FailoverPlanned, Groups: []Group{{Items: []Item{{ID: item}}}, {Items: []Item{{ID: item}}}}}, "twice"},
		"bad item":          {FailoverSpec{Name: "x", Type: FailoverPlanned, Groups: []Group{{Items: []Item{{ID: "nope"}}}}}, "Items[0].ID"},
		"required manual":   {FailoverSpec{Name: "x", Type: FailoverPlanned, Groups: []Group{{Items: []Item{{ID: item}}, Pre: []Action{{Name: "call-bank", Type: ActionManual, Description: "call the bank", Required: true}}}}}, "Groups[0].Pre[0]: the required manual step"},
		"script no command": {FailoverSpec{Name: "x", Type: FailoverPlanned, Groups: []Group{{Items: []Item{{ID: item}}, Post: []Action{{Name: "s", Type: ActionScript}}}}}, "Groups[0].Post[0]"},
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
	res, err := RunFailover(context.Background(), nil, FailoverSpec{Name: "x"})
	if err == nil || res == nil || len(res.Events) == 0 || res.Events[len(res.Events)-1].Phase != PhaseVerdict {
		t.Fatalf("got %v, %+v", err, res)
	}
}
