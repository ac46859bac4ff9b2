package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

func TestOperations(t *testing.T) {
	srv, c := start(t)
	if _, err := c.AddEstate(ctx(t), estate); err != nil {
		t.Fatal(err)
	}
	// A group's deletion takes 30 simulated seconds: at time scale 1 it is
	// still running when listed.
	if code := arm(t, srv, http.MethodDelete, armGroups+"rg-prod"); code != http.StatusAccepted {
		t.Fatalf("DELETE rg-prod: %d", code)
	}
	running, err := c.Operations(ctx(t), admin.OperationInProgress)
	if err != nil {
		t.Fatal(err)
	}
	if len(running) != 1 || running[0].Kind != "Microsoft.Resources/resourceGroups/delete" || running[0].Method != http.MethodDelete ||
		!strings.HasSuffix(running[0].ResourceID, "/resourceGroups/rg-prod") || running[0].Status != admin.OperationInProgress ||
		running[0].ID == "" || running[0].DueTime.Before(running[0].StartTime) || running[0].EndTime != nil {
		t.Fatalf("in progress %+v, want rg-prod's deletion", running)
	}
	all, err := c.Operations(ctx(t), "")
	if err != nil || len(all) != 1 || all[0].ID != running[0].ID {
		t.Fatalf("all operations %+v (%v), want the deletion", all, err)
	}
	done, err := c.Operations(ctx(t), admin.OperationSucceeded)
	if err != nil || len(done) != 0 {
		t.Fatalf("succeeded %+v (%v), want none yet", done, err)
	}
	_, err = c.Operations(ctx(t), "Sleeping")
	wantError(t, err, http.StatusBadRequest, "InvalidQueryParameterValue")
}
