package siterecovery

import (
	"net/http"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Test failover cleanup: deleting the test VM (and its NIC and public IP) and
// ending the item's test failover.

// testFailoverCleanupInput is TestFailoverCleanupInput.
type testFailoverCleanupInput struct {
	Properties *struct {
		Comments *string `json:"comments"`
	} `json:"properties"`
}

// cleanupInput is what the cleanup operation remembers: the state to go
// back to should it fail.
type cleanupInput struct {
	PreviousState string `json:"previousState"`
}

// testFailoverCleanup is POST {item}/testFailoverCleanup.
func (f *itemFailovers) testFailoverCleanup(req *service.Request) (arm.Response, error) {
	var in testFailoverCleanupInput
	if len(strings.TrimSpace(string(req.Body))) > 0 {
		if err := req.Decode(&in); err != nil {
			return arm.Response{}, err
		}
	}
	comments := ""
	if in.Properties != nil && in.Properties.Comments != nil {
		comments = *in.Properties.Comments
		if len(comments) > 1024 {
			return arm.Response{}, arm.InvalidProperty("properties.comments", "the comments are %d characters long: at most 1024", len(comments))
		}
	}
	var resp arm.Response
	err := f.s.Store.Update(func(tx *store.Tx) error {
		loc, it, err := f.items.findItem(tx, req, true)
		if err != nil {
			return err
		}
		st := &it.Properties
		state := orString(st.Failover.TestFailoverState, tfoNone)
		switch state {
		case tfoMarkedForDeletion, tfoFailed:
		case tfoInProgress:
			return arm.SiteRecoveryConflict("TestFailoverInProgress",
				"The test failover of '%s' is still in progress: run test failover cleanup once it has finished.", st.VMName)
		case tfoCleanupInProgress:
			return arm.SiteRecoveryConflict("TestFailoverCleanupInProgress",
				"The cleanup of the test failover of '%s' is already in progress.", st.VMName)
		default:
			v, err := f.s.itemView(tx, it, f.s.Clock.Now())
			if err != nil {
				return err
			}
			return arm.SiteRecoveryConflict("NoTestFailoverToCleanup",
				"There is no test failover of '%s' to clean up (test failover state %s): cleanup follows a test failover. Allowed operations: %s.",
				st.VMName, state, strings.Join(v.Properties.AllowedOperations, ", "))
		}
		op, err := f.s.Ops.Start(tx, lro.Spec{Kind: kindItemTestFailoverCleanup, ResourceID: it.ID, Location: loc.vault.Location,
			Method: http.MethodPost, APIVersion: req.APIVersion, Input: cleanupInput{PreviousState: state}})
		if err != nil {
			return err
		}
		start := op.StartTime
		st.Failover.TestFailoverState = tfoCleanupInProgress
		st.Failover.Scenario, st.Failover.JobID, st.Failover.ScenarioStart = scenarioTestFailoverCleanup, op.ID, &start
		if st.Failover.TestFailover != nil {
			st.Failover.TestFailover.Comments = comments
		}
		if err := service.PutJSON(tx, it.ID, it); err != nil {
			return err
		}
		resp = f.s.Ops.Accepted(req.Base, op)
		return nil
	})
	return resp, err
}

// completeTestFailoverCleanup deletes the test VM, its NIC and public IP
// and stops its site; a test failover that had succeeded becomes the
// item's lastSuccessfulTestFailoverTime (when it completed).
func (f *itemFailovers) completeTestFailoverCleanup(tx *store.Tx, op *lro.Operation) error {
	it, ok, err := service.GetJSON[protectedItemRecord](tx, op.ResourceID)
	if err != nil || !ok {
		return service.NotFoundByID(op.ResourceID, err)
	}
	st := &it.Properties
	if t := st.Failover.TestFailover; t != nil {
		if t.VMID != "" {
			if _, target := f.s.failoverSides(it); f.s.Faults.RegionDown(target.location) {
				if _, exists := tx.Get(t.VMID); exists {
					return arm.SiteRecoveryConflict("TestFailoverCleanupFailed",
						"Test failover cleanup of '%s' failed: the region %s is unavailable (outage), the test VM could not be deleted. Try again later.",
						st.VMName, target.location)
				}
			}
		}
		f.s.deleteFailoverVM(tx, it.ID, t.VMID, t.NICID, t.PublicIPID)
		if t.CompletedAt != nil {
			done := *t.CompletedAt
			st.Failover.LastSuccessfulTestFailoverTime = &done
		}
	}
	st.Failover.TestFailover = nil
	st.Failover.TestFailoverState = tfoNone
	st.Failover.Scenario, st.Failover.JobID, st.Failover.ScenarioStart = scenarioNone, "", nil
	return service.PutJSON(tx, it.ID, it)
}

// failTestFailoverCleanup goes back to the state before the cleanup.
func (f *itemFailovers) failTestFailoverCleanup(tx *store.Tx, op *lro.Operation) error {
	it, ok, err := service.GetJSON[protectedItemRecord](tx, op.ResourceID)
	if err != nil || !ok {
		return err
	}
	var in cleanupInput
	_ = jsonUnmarshal(op.Input, &in)
	st := &it.Properties
	st.Failover.TestFailoverState = orString(in.PreviousState, tfoMarkedForDeletion)
	st.Failover.Scenario, st.Failover.JobID, st.Failover.ScenarioStart = scenarioNone, "", nil
	return service.PutJSON(tx, it.ID, it)
}
