package azure

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Run undoes last first, on a context that outlives the create's, and
// names what it could not remove with the way to remove it.
func TestUndoRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the create ran out of time
	var order []string
	var u Undo
	add := func(name string, fail bool) {
		u.Add("NSG "+name, "az network nsg delete --ids "+name, func(ctx context.Context) error {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			order = append(order, name)
			if fail {
				return errors.New("refused")
			}
			return nil
		})
	}
	add("a", false)
	add("b", true)
	add("c", false)
	err := u.Run(ctx)
	if strings.Join(order, ",") != "c,b,a" {
		t.Fatalf("undone %v, want c,b,a on a fresh context", order)
	}
	if !IsUndoError(err) {
		t.Fatalf("err = %v, want an *UndoError", err)
	}
	msg := err.Error()
	for _, want := range []string{"1 thing(s)", "- NSG b", "remove with: az network nsg delete --ids b", "removal failed: refused"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "NSG a") || strings.Contains(msg, "NSG c") {
		t.Errorf("error %q names what was removed", msg)
	}
	if !u.Empty() || u.Run(ctx) != nil {
		t.Error("Run must forget the steps it ran")
	}
}
