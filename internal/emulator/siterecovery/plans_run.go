package siterecovery

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Running a plan operation group by group. When it starts, every item of
// the plan gets its own operation (so the one-operation-per-item rule and
// the item's allowedOperations hold it for the plan), due when the item's
// group finishes: the groups run one after the other in the plan's order
// (Shutdown, Failover, then the Boot groups), each as its pre actions,
// then its items side by side, then its post actions. The item operations
// complete with the item-level completions (tfo.go, tfo_cleanup.go,
// failover*.go), so a plan's test failover makes the same test VMs an
// item's does. When an item fails (an outage of the target region, say),
// the groups after it do not run: their items go back to where they were,
// and the plan's operation fails naming the item and its error.
//
// Azure's plan job (the recorded A2A session of Azure PowerShell's
// A2ARecoveryPlanReplication test) runs a prerequisites check, "All groups
// shutdown", "Recovery plan failover" (every VM), then "Group N: Start"
// for each Boot group and "Finalizing the recovery plan"; each VM's task
// names a job of its own, as each item's operation here is one. The
// emulator shows an item in progress from the plan's start (the plan holds
// it) and brings its VM up when its group's turn comes.
//
// Actions: automation runbooks (and scripts) take planActionDuration each;
// the emulator has no Azure Automation, so they run no code. A manual
// action makes Azure suspend the plan's job (state Suspended,
// WaitingForManualAction) until someone resumes it
// (ReplicationJobs_Resume); the emulator cannot hold an operation for an
// unbounded time, so it refuses, before anything starts, a plan operation
// one of whose manual actions applies to it (planSchedule).

const planActionDuration = time.Minute

// planRun is the operation running on a plan (nil when none), kept in the
// plan's record and never shown.
type planRun struct {
	// ID names the run in its items' operations; OpID is the plan's
	// operation.
	ID        string        `json:"id"`
	OpID      string        `json:"opId"`
	Op        string        `json:"op"`
	Direction string        `json:"direction"`
	StartedAt time.Time     `json:"startedAt"`
	Items     []planRunItem `json:"items"`
	// FailedOpID is the first item operation that failed; the groups
	// after its group are skipped.
	FailedOpID string `json:"failedOpId,omitempty"`
	FailedItem string `json:"failedItem,omitempty"`
	FailedGrp  int    `json:"failedGroup,omitempty"`
}

type planRunItem struct {
	ID    string `json:"id"`
	Group int    `json:"group"`
	OpID  string `json:"opId"`
}

// planItemOp is what a plan operation does to one item: begin checks the
// item and changes its state (in the handler's transaction) and returns the
// input the item-level completion reads (inner) and, optionally, what Site
// Recovery derived for the item (recorded with the operation);
// complete and fail are the item-level operation's.
type planItemOp struct {
	kind     string
	duration time.Duration
	begin    func(tx *store.Tx, it *protectedItemRecord, v *protectedItemView, in planOpInput, now time.Time) (inner, derived any, err error)
	complete func(tx *store.Tx, op *lro.Operation) error
	fail     func(tx *store.Tx, op *lro.Operation) error
}

// planItemInput is an item operation's input when a plan runs it.
type planItemInput struct {
	PlanID  string          `json:"planId"`
	RunID   string          `json:"runId"`
	Group   int             `json:"group"`
	Inner   json.RawMessage `json:"inner,omitempty"`
	Derived any             `json:"derived,omitempty"`
}

// planItemAt is a plan's item with the index of its group.
type planItemAt struct {
	it    *protectedItemRecord
	group int
}

// planItems are the plan's items, group by group in the plan's order.
func planItems(r store.Reader, plan *recoveryPlan) ([]planItemAt, error) {
	var out []planItemAt
	for gi, g := range plan.Properties.Groups {
		for _, ref := range g.ReplicationProtectedItems {
			it, ok, err := service.GetJSON[protectedItemRecord](r, ref.ID)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, arm.SiteRecoveryConflict("ProtectedItemNotFound",
					"The protected item '%s' of recovery plan '%s' no longer exists: update the plan's groups.", ref.ID, plan.Name)
			}
			out = append(out, planItemAt{it: it, group: gi})
		}
	}
	return out, nil
}

// planTimes is a plan operation's schedule: when each group's items are
// done (from the start) and when the last group ends.
type planTimes struct {
	itemsDone map[int]time.Duration
	total     time.Duration
}

// planSchedule lays the groups out one after the other: the pre actions
// that apply to the operation and direction, the items (itemDuration when
// the group has any), the post actions. A manual action that applies is
// refused (see above).
func planSchedule(plan *recoveryPlan, op, direction string, itemDuration time.Duration) (planTimes, error) {
	out := planTimes{itemsDone: map[int]time.Duration{}}
	at := time.Duration(0)
	actions := func(list []planAction) error {
		for _, a := range list {
			if !containsFold(a.FailoverTypes, op) || !containsFold(a.FailoverDirections, direction) {
				continue
			}
			if a.CustomDetails.InstanceType == planActionManual {
				return arm.SiteRecoveryConflict("ManualActionNotSupported",
					"The recovery plan '%s' has the manual action '%s' for %s %s. Azure suspends the plan's job at a manual action (WaitingForManualAction) "+
						"until it is resumed (POST .../replicationJobs/{job}/resume); the emulator cannot suspend a job. "+
						"Remove the action, or take %s out of its failoverTypes, then retry.",
					plan.Name, a.ActionName, op, direction, op)
			}
			at += planActionDuration
		}
		return nil
	}
	for gi, g := range plan.Properties.Groups {
		if err := actions(g.StartGroupActions); err != nil {
			return planTimes{}, err
		}
		if len(g.ReplicationProtectedItems) > 0 {
			at += itemDuration
		}
		out.itemsDone[gi] = at
		if err := actions(g.EndGroupActions); err != nil {
			return planTimes{}, err
		}
	}
	out.total = at
	return out, nil
}

// planKinds are the plan operations' kinds and the kinds of the item
// operations they run.
func (s *Service) planKinds() []lro.Kind {
	var out []lro.Kind
	for _, d := range s.planOps() {
		out = append(out,
			lro.Kind{Name: d.kind, Namespace: recoveryServicesNamespace, Duration: d.item.duration,
				Complete: s.completePlanOp(d), Fail: s.failPlanOp, Result: s.planResult},
			lro.Kind{Name: d.item.kind, Namespace: recoveryServicesNamespace, Duration: d.item.duration,
				Complete: s.completePlanItem(d.item), Fail: s.failPlanItem(d.item), Result: newItemFailovers(s).itemResult})
	}
	return out
}

// runOf loads the plan an item operation belongs to and its run (nil when
// the plan or the run is gone, or another run replaced it).
func runOf(r store.Reader, in planItemInput) (*recoveryPlan, *planRun, error) {
	plan, ok, err := service.GetJSON[recoveryPlan](r, in.PlanID)
	if err != nil || !ok {
		return nil, nil, err
	}
	run := plan.Properties.Run
	if run == nil || run.ID != in.RunID {
		return plan, nil, nil
	}
	return plan, run, nil
}

// innerOp is op as the item-level completion expects it: with its own
// input.
func innerOp(op *lro.Operation) (*lro.Operation, planItemInput) {
	var in planItemInput
	_ = jsonUnmarshal(op.Input, &in)
	inner := *op
	inner.Input = in.Inner
	return &inner, in
}

// completePlanItem completes an item's operation, unless an earlier group
// of its plan failed: then the item is not touched and its operation fails.
func (s *Service) completePlanItem(d planItemOp) func(*store.Tx, *lro.Operation) error {
	return func(tx *store.Tx, op *lro.Operation) error {
		inner, in := innerOp(op)
		plan, run, err := runOf(tx, in)
		if err != nil {
			return err
		}
		if run != nil && run.FailedOpID != "" && run.FailedGrp < in.Group {
			return arm.SiteRecoveryConflict("RecoveryPlanGroupNotRun",
				"Not run: group %d of recovery plan '%s' failed at protected item '%s', so the groups after it did not run.",
				run.FailedGrp, plan.Name, lastSegment(run.FailedItem))
		}
		return d.complete(tx, inner)
	}
}

// failPlanItem puts the item back as the item-level failure does and, for
// the first failure, records it on the plan's run.
func (s *Service) failPlanItem(d planItemOp) func(*store.Tx, *lro.Operation) error {
	return func(tx *store.Tx, op *lro.Operation) error {
		inner, in := innerOp(op)
		if err := d.fail(tx, inner); err != nil {
			return err
		}
		plan, run, err := runOf(tx, in)
		if err != nil || run == nil || run.FailedOpID != "" {
			return err
		}
		run.FailedOpID, run.FailedItem, run.FailedGrp = op.ID, op.ResourceID, in.Group
		return service.PutJSON(tx, plan.ID, plan)
	}
}

// completePlanOp ends a plan operation once its groups have run: the
// plan's scenario and last failover times, or the first item failure.
func (s *Service) completePlanOp(d *planOpDef) func(*store.Tx, *lro.Operation) error {
	return func(tx *store.Tx, op *lro.Operation) error {
		plan, ok, err := service.GetJSON[recoveryPlan](tx, op.ResourceID)
		if err != nil || !ok {
			return service.NotFoundByID(op.ResourceID, err)
		}
		p := &plan.Properties
		if run := p.Run; run != nil && run.FailedOpID != "" {
			cause := "the operation failed"
			code := "RecoveryPlanOperationFailed"
			if failed, ok, _ := s.Ops.Get(run.FailedOpID); ok && failed.Error != nil {
				cause, code = failed.Error.Message, failed.Error.Code
			}
			return arm.SiteRecoveryConflict(code, "The %s of recovery plan '%s' failed in group %d at protected item '%s': %s",
				d.planOp, plan.Name, run.FailedGrp, lastSegment(run.FailedItem), cause)
		}
		now := s.Clock.Now()
		switch d.planOp {
		case planOpTestFailover:
			p.LastTestFailoverTime = &now
			// As Azure shows it: the test failover's job waits for the
			// cleanup.
			p.setStatus("Suspended", "WaitingForStopTestFailover")
		case planOpUnplannedFailover:
			p.LastUnplannedFailoverTime = &now
			p.setStatus("Succeeded", "Completed")
		default:
			p.setStatus("Succeeded", "Completed")
		}
		p.Run = nil
		return service.PutJSON(tx, plan.ID, plan)
	}
}

// failPlanOp records a failed (or canceled) plan operation.
func (s *Service) failPlanOp(tx *store.Tx, op *lro.Operation) error {
	plan, ok, err := service.GetJSON[recoveryPlan](tx, op.ResourceID)
	if err != nil || !ok {
		return err
	}
	p := &plan.Properties
	p.Run = nil
	p.setStatus("Failed", "Failed")
	return service.PutJSON(tx, plan.ID, plan)
}

// planResult is what a plan operation's Location URL returns: the plan.
func (s *Service) planResult(r store.Reader, op *lro.Operation) (arm.Response, error) {
	plan, ok, err := service.GetJSON[recoveryPlan](r, op.ResourceID)
	if !ok {
		return arm.Response{}, service.NotFoundByID(op.ResourceID, err)
	}
	return arm.JSON(http.StatusOK, s.recoveryPlans().shown(r, plan)), nil
}

// setStatus sets currentScenarioStatus and its description.
func (p *recoveryPlanProperties) setStatus(status, description string) {
	p.CurrentScenarioStatus, p.CurrentScenarioStatusDescription = &status, &description
}

func mustJSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err) // only the package's own input structs get here
	}
	return raw
}

func itoa(i int) string { return strconv.Itoa(i) }
