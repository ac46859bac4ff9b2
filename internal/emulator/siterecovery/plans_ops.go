package siterecovery

import (
	"net/http"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// The recovery plan operations A2A has (armrecoveryservicessiterecovery/v2
// v2.2.0, api-version 2023-06-01), each a POST answering 202 with polling
// URLs whose result is the plan:
//
//	POST {plan}/testFailover         RecoveryPlanTestFailoverInput
//	POST {plan}/testFailoverCleanup  RecoveryPlanTestFailoverCleanupInput
//	POST {plan}/unplannedFailover    RecoveryPlanUnplannedFailoverInput
//	POST {plan}/failoverCommit       no body
//	POST {plan}/reProtect            no body: Site Recovery derives each item's
//	                                 A2A re-protect input from the mappings
//	POST {plan}/plannedFailover      refused: A2A has no planned failover
//
// Everything is checked before anything starts: the input, then every item
// of the plan (its allowedOperations, its direction, what the operation
// needs of it), in one transaction, so a refusal leaves the plan and its
// items as they were. Then the plan's operation and one operation per item
// start together; the items' operations complete group by group
// (plans_run.go) and the plan's completes after the last group.

// planOpDef is one plan operation: its route, its names in Azure's
// vocabularies, and what it does to each item.
type planOpDef struct {
	segment   string // the URL's last segment
	operation string // the REST spec's operation id
	// planOp is the plan's allowedOperations entry, also the action
	// failoverType that selects the plan's pre and post actions.
	planOp string
	// scenario is the plan's currentScenario.scenarioName while and after
	// it runs.
	scenario string
	// itemOps: an item allows the operation when its allowedOperations
	// list one of these (the first is the name refusals use).
	itemOps []string
	kind    string // the plan's operation kind
	// item is what the operation does to each item.
	item planItemOp
	// parse validates the request body.
	parse func(req *service.Request) (planOpInput, error)
}

// planOpInput is a plan operation's input, validated.
type planOpInput struct {
	Direction            string `json:"direction,omitempty"`
	NetworkID            string `json:"networkId,omitempty"`
	PointType            string `json:"recoveryPointType,omitempty"`
	SourceSiteOperations bool   `json:"sourceSiteOperations,omitempty"`
	Comments             string `json:"comments,omitempty"`
}

const (
	planOpTestFailover        = "TestFailover"
	planOpTestFailoverCleanup = "TestFailoverCleanup"
	planOpUnplannedFailover   = "UnplannedFailover"
	planOpCommit              = "Commit"
	planOpReverseReplicate    = "ReverseReplicate"

	// A2ARpRecoveryPointType values.
	pointLatest                = "Latest"
	pointLatestAppConsistent   = "LatestApplicationConsistent"
	pointLatestCrashConsistent = "LatestCrashConsistent"
	pointLatestProcessed       = "LatestProcessed"
)

// planOps are the plan operations served, in the order the plan's
// allowedOperations list them (Azure lists UnplannedFailover, then
// TestFailover).
func (s *Service) planOps() []*planOpDef {
	f := newItemFailovers(s)
	return []*planOpDef{
		{segment: "unplannedFailover", operation: "ReplicationRecoveryPlans_UnplannedFailover", planOp: planOpUnplannedFailover,
			scenario: "UnplannedFailover", itemOps: []string{opUnplannedFailover}, kind: recoveryPlanType + "/unplannedFailover",
			item: planItemOp{kind: recoveryPlanType + "/item/unplannedFailover", duration: itemUnplannedFailoverDuration,
				begin: f.planBeginUnplannedFailover, complete: f.completeFailover, fail: f.failAction},
			parse: parsePlanUnplannedFailover},
		{segment: "testFailover", operation: "ReplicationRecoveryPlans_TestFailover", planOp: planOpTestFailover,
			scenario: "TestFailover", itemOps: []string{opTestFailover}, kind: recoveryPlanType + "/testFailover",
			item: planItemOp{kind: recoveryPlanType + "/item/testFailover", duration: itemTestFailoverDuration,
				begin: f.planBeginTestFailover, complete: f.completeTestFailover, fail: f.failTestFailover},
			parse: parsePlanTestFailover},
		{segment: "testFailoverCleanup", operation: "ReplicationRecoveryPlans_TestFailoverCleanup", planOp: planOpTestFailoverCleanup,
			scenario: "TestFailoverCleanup", itemOps: []string{opTestFailoverCleanup}, kind: recoveryPlanType + "/testFailoverCleanup",
			item: planItemOp{kind: recoveryPlanType + "/item/testFailoverCleanup", duration: itemTestFailoverCleanupDuration,
				begin: f.planBeginCleanup, complete: f.completeTestFailoverCleanup, fail: f.failTestFailoverCleanup},
			parse: parsePlanCleanup},
		{segment: "failoverCommit", operation: "ReplicationRecoveryPlans_FailoverCommit", planOp: planOpCommit,
			scenario: "CommitFailover", itemOps: []string{opFailoverCommit, "Commit"}, kind: recoveryPlanType + "/failoverCommit",
			item: planItemOp{kind: recoveryPlanType + "/item/failoverCommit", duration: itemFailoverCommitDuration,
				begin: f.planBeginCommit, complete: f.completeCommit, fail: f.failAction},
			parse: parseNoBody},
		{segment: "reProtect", operation: "ReplicationRecoveryPlans_Reprotect", planOp: planOpReverseReplicate,
			scenario: "ReverseReplication", itemOps: []string{opReprotect, "SwitchProtection", "ReverseReplicate"}, kind: recoveryPlanType + "/reProtect",
			item: planItemOp{kind: recoveryPlanType + "/item/reProtect", duration: itemReprotectDuration,
				begin: f.planBeginReprotect, complete: f.completeReprotect, fail: f.failAction},
			parse: parseNoBody},
	}
}

// planOpRoutes are the POST actions on a plan.
func (s *Service) planOpRoutes(planPattern string) []service.Route {
	var rs []service.Route
	for _, d := range s.planOps() {
		rs = append(rs, service.Route{Method: http.MethodPost, Pattern: planPattern + "/" + d.segment, Operation: d.operation, Handle: s.planAction(d)})
	}
	return append(rs, service.Route{Method: http.MethodPost, Pattern: planPattern + "/plannedFailover",
		Operation: "ReplicationRecoveryPlans_PlannedFailover", Handle: s.planPlannedFailover})
}

// planAction starts a plan operation: the checks, then the plan's and
// its items' operations, in one transaction.
func (s *Service) planAction(d *planOpDef) service.Handler {
	return func(req *service.Request) (arm.Response, error) {
		in, err := d.parse(req)
		if err != nil {
			return arm.Response{}, err
		}
		var resp arm.Response
		err = s.Store.Update(func(tx *store.Tx) error {
			at, plan, err := s.recoveryPlans().locate(tx, req, true)
			if err != nil {
				return err
			}
			if plan == nil {
				return s.recoveryPlans().notFound(at)
			}
			items, err := planItems(tx, plan)
			if err != nil {
				return err
			}
			if len(items) == 0 {
				return arm.SiteRecoveryConflict("OperationNotAllowed",
					"The recovery plan '%s' holds no protected items: add items to a Boot group before running %s.", plan.Name, d.planOp)
			}
			now := s.Clock.Now()
			// The direction: as asked (checked against every item
			// below), or the one the items' state implies.
			if in.Direction == "" {
				in.Direction = planImpliedDirection(d, items[0].it)
			}
			sched, err := planSchedule(plan, d.planOp, in.Direction, d.item.duration)
			if err != nil {
				return err
			}
			if cur, busy, err := s.Ops.InFlight(tx, plan.ID); err != nil {
				return err
			} else if busy {
				return arm.AnotherOperationInProgress(plan.ID, cur.ID)
			}
			run := &planRun{ID: arm.NewGUID(), Op: d.planOp, Direction: in.Direction}
			for _, x := range items {
				it := x.it
				v, err := s.itemView(tx, it, now)
				if err != nil {
					return err
				}
				if !allowsAny(v.Properties.AllowedOperations, d.itemOps) {
					return planItemRefusal(plan, requireAllowed(v, d.itemOps[0]))
				}
				if d.planOp == planOpTestFailover || d.planOp == planOpUnplannedFailover {
					if dir := directionOf(it); dir != in.Direction {
						return arm.SiteRecoveryInvalidReference("InvalidFailoverDirection", "properties.failoverDirection",
							"'%s' is not possible: the protected item '%s' of recovery plan '%s' replicates %s, so a %s goes %s",
							in.Direction, it.Properties.VMName, plan.Name, dir, d.planOp, dir)
					}
				}
				inner, extra, err := d.item.begin(tx, it, v, in, now)
				if err != nil {
					return planItemRefusal(plan, err)
				}
				o, err := s.Ops.Start(tx, lro.Spec{Kind: d.item.kind, ResourceID: it.ID, Location: at.vault.Location,
					Method: http.MethodPost, APIVersion: req.APIVersion, Duration: sched.itemsDone[x.group],
					Input: planItemInput{PlanID: plan.ID, RunID: run.ID, Group: x.group, Inner: mustJSON(inner), Derived: extra}})
				if err != nil {
					return planItemRefusal(plan, err)
				}
				start := o.StartTime
				it.Properties.Failover.JobID, it.Properties.Failover.ScenarioStart = o.ID, &start
				if err := service.PutJSON(tx, it.ID, it); err != nil {
					return err
				}
				run.Items = append(run.Items, planRunItem{ID: it.ID, Group: x.group, OpID: o.ID})
			}
			// The plan's operation starts last, so it falls due after the
			// last group's items even though the clock moved on while the
			// items' operations started.
			pop, err := s.Ops.Start(tx, lro.Spec{Kind: d.kind, ResourceID: plan.ID, Location: at.vault.Location,
				Method: http.MethodPost, APIVersion: req.APIVersion, Duration: sched.total + planSettle, Input: in})
			if err != nil {
				return err
			}
			run.OpID, run.StartedAt = pop.ID, pop.StartTime
			start := pop.StartTime
			p := &plan.Properties
			p.Run = run
			p.CurrentScenario = &planScenario{ScenarioName: d.scenario, JobID: vaultIDOf(plan.ID) + "/replicationJobs/" + pop.ID, StartTime: &start}
			p.setStatus("InProgress", "InProgress")
			if err := service.PutJSON(tx, plan.ID, plan); err != nil {
				return err
			}
			resp = s.Ops.Accepted(req.Base, pop)
			return nil
		})
		return resp, err
	}
}

// planImpliedDirection is the direction of an operation that takes none:
// a commit or cleanup follows the last failover's; a re-protect reverses
// it.
func planImpliedDirection(d *planOpDef, it *protectedItemRecord) string {
	last := directionOf(it)
	if fo := it.Properties.Failover.Failover; fo != nil && fo.Direction != "" {
		last = fo.Direction
	}
	if d.planOp == planOpReverseReplicate {
		return opposite(last)
	}
	return last
}

// planItemRefusal says which plan an item's refusal comes from, keeping
// the item's code and status.
func planItemRefusal(plan *recoveryPlan, err error) error {
	e := arm.AsError(err)
	out := *e
	out.Message = "Recovery plan '" + plan.Name + "': " + e.Message
	return &out
}

func allowsAny(allowed, ops []string) bool {
	for _, op := range ops {
		if containsFold(allowed, op) {
			return true
		}
	}
	return false
}

// planPlannedFailover refuses POST {plan}/plannedFailover: Azure-to-Azure
// replication has no planned failover (the SDK has no A2A planned failover
// input, and Azure never lists PlannedFailover for A2A plans or items).
func (s *Service) planPlannedFailover(req *service.Request) (arm.Response, error) {
	at, plan, err := s.recoveryPlans().locate(s.Store, req, true)
	if err != nil {
		return arm.Response{}, err
	}
	if plan == nil {
		return arm.Response{}, s.recoveryPlans().notFound(at)
	}
	// The same refusal as an item's planned failover (failover.go).
	return arm.Response{}, arm.SiteRecoveryConflict("OperationNotAllowed",
		"The operation '%s' is not supported for recovery plan '%s': its items replicate Azure to Azure (A2A), which has no planned failover. "+
			"Run an unplanned failover (POST .../unplannedFailover) with sourceSiteOperations \"Required\" to shut the source VMs down first.", opPlannedFailover, plan.Name)
}

// ---- the inputs ----

// planFailoverProps covers RecoveryPlanTestFailoverInput and
// RecoveryPlanUnplannedFailoverInput properties.
type planFailoverProps struct {
	FailoverDirection       *string                 `json:"failoverDirection"`
	NetworkType             *string                 `json:"networkType"`
	NetworkID               *string                 `json:"networkId"`
	SourceSiteOperations    *string                 `json:"sourceSiteOperations"`
	ProviderSpecificDetails []planA2AFailoverDetail `json:"providerSpecificDetails"`
}

// planA2AFailoverDetail is RecoveryPlanA2AFailoverInput (and the
// instanceType of the other providers' inputs, which are refused).
type planA2AFailoverDetail struct {
	InstanceType               string  `json:"instanceType"`
	RecoveryPointType          *string `json:"recoveryPointType"`
	CloudServiceCreationOption *string `json:"cloudServiceCreationOption"`
	MultiVMSyncPointOption     *string `json:"multiVmSyncPointOption"`
}

func decodePlanFailover(req *service.Request) (*planFailoverProps, error) {
	var in struct {
		Properties *planFailoverProps `json:"properties"`
	}
	if err := req.Decode(&in); err != nil {
		return nil, err
	}
	if in.Properties == nil {
		return nil, arm.InvalidProperty("properties", "required: the failover input's properties (failoverDirection, providerSpecificDetails...)")
	}
	p := in.Properties
	if p.FailoverDirection == nil || *p.FailoverDirection == "" {
		return nil, arm.InvalidProperty("properties.failoverDirection", "required: %s or %s", directionPrimaryToRecovery, directionRecoveryToPrimary)
	}
	if !planDirections[*p.FailoverDirection] {
		return nil, arm.InvalidProperty("properties.failoverDirection", "'%s' is not one of %s, %s", *p.FailoverDirection, directionPrimaryToRecovery, directionRecoveryToPrimary)
	}
	return p, nil
}

// planPointType validates providerSpecificDetails: A2A only, with a
// recovery point type (required by the SDK model); none at all means the
// latest processed point, as for an item failover without a point id.
func planPointType(details []planA2AFailoverDetail) (string, error) {
	pt := pointLatestProcessed
	for i, d := range details {
		path := "properties.providerSpecificDetails[" + itoa(i) + "]"
		if d.InstanceType != instanceA2A {
			return "", arm.InvalidProperty(path+".instanceType", "'%s' is not supported: the recovery plan's items replicate with A2A (instanceType \"A2A\")", d.InstanceType)
		}
		if d.RecoveryPointType == nil || *d.RecoveryPointType == "" {
			return "", arm.InvalidProperty(path+".recoveryPointType", "required: one of %s, %s, %s, %s",
				pointLatest, pointLatestAppConsistent, pointLatestCrashConsistent, pointLatestProcessed)
		}
		switch *d.RecoveryPointType {
		case pointLatest, pointLatestAppConsistent, pointLatestCrashConsistent, pointLatestProcessed:
			pt = *d.RecoveryPointType
		default:
			return "", arm.InvalidProperty(path+".recoveryPointType", "'%s' is not one of %s, %s, %s, %s", *d.RecoveryPointType,
				pointLatest, pointLatestAppConsistent, pointLatestCrashConsistent, pointLatestProcessed)
		}
		if o := d.MultiVMSyncPointOption; o != nil && *o != "" && *o != "UseMultiVmSyncRecoveryPoint" && *o != "UsePerVmRecoveryPoint" {
			return "", arm.InvalidProperty(path+".multiVmSyncPointOption", "'%s' is not one of UseMultiVmSyncRecoveryPoint, UsePerVmRecoveryPoint", *o)
		}
	}
	return pt, nil
}

func parsePlanTestFailover(req *service.Request) (planOpInput, error) {
	p, err := decodePlanFailover(req)
	if err != nil {
		return planOpInput{}, err
	}
	if p.NetworkType == nil || *p.NetworkType == "" {
		return planOpInput{}, arm.InvalidProperty("properties.networkType", "required: %s, with the isolated test network's id as networkId", networkTypeVMNetwork)
	}
	if !strings.EqualFold(*p.NetworkType, networkTypeVMNetwork) {
		return planOpInput{}, arm.InvalidProperty("properties.networkType",
			"'%s' is not supported: give %s with the id of the isolated test network as networkId", *p.NetworkType, networkTypeVMNetwork)
	}
	if p.NetworkID == nil || strings.TrimSpace(*p.NetworkID) == "" {
		return planOpInput{}, arm.InvalidProperty("properties.networkId",
			"required with networkType %s: the id of the virtual network to test fail over into (an isolated network in the recovery region)", networkTypeVMNetwork)
	}
	pt, err := planPointType(p.ProviderSpecificDetails)
	if err != nil {
		return planOpInput{}, err
	}
	return planOpInput{Direction: *p.FailoverDirection, NetworkID: strings.TrimSpace(*p.NetworkID), PointType: pt}, nil
}

func parsePlanUnplannedFailover(req *service.Request) (planOpInput, error) {
	p, err := decodePlanFailover(req)
	if err != nil {
		return planOpInput{}, err
	}
	in := planOpInput{Direction: *p.FailoverDirection}
	switch {
	case p.SourceSiteOperations == nil || *p.SourceSiteOperations == "":
		return planOpInput{}, arm.InvalidProperty("properties.sourceSiteOperations",
			"required: \"Required\" to shut the source VMs down before failing over, or \"NotRequired\"")
	case *p.SourceSiteOperations == "Required":
		in.SourceSiteOperations = true
	case *p.SourceSiteOperations != "NotRequired":
		return planOpInput{}, arm.InvalidProperty("properties.sourceSiteOperations", "'%s' is not one of Required, NotRequired", *p.SourceSiteOperations)
	}
	if in.PointType, err = planPointType(p.ProviderSpecificDetails); err != nil {
		return planOpInput{}, err
	}
	return in, nil
}

func parsePlanCleanup(req *service.Request) (planOpInput, error) {
	var in struct {
		Properties *struct {
			Comments *string `json:"comments"`
		} `json:"properties"`
	}
	if err := req.Decode(&in); err != nil {
		return planOpInput{}, err
	}
	if in.Properties == nil {
		return planOpInput{}, arm.InvalidProperty("properties", "required: the cleanup input's properties (comments)")
	}
	out := planOpInput{}
	if c := in.Properties.Comments; c != nil {
		if len(*c) > 1024 {
			return planOpInput{}, arm.InvalidProperty("properties.comments", "the comments are %d characters long: at most 1024", len(*c))
		}
		out.Comments = *c
	}
	return out, nil
}

// parseNoBody: failoverCommit and reProtect take no body (the SDK sends
// none).
func parseNoBody(*service.Request) (planOpInput, error) { return planOpInput{}, nil }

// planSettle is how long after its last group a plan operation completes:
// the items' operations, due at the group's end, settle first.
const planSettle = time.Second

// Routes are the shared handler's routes plus the plan operations.
func (t recoveryPlanResource) Routes() []service.Route {
	return append(t.srObjects.Routes(), t.s.planOpRoutes(t.itemPattern())...)
}

// OperationKinds are the shared handler's kinds plus the plan operations'
// and the item operations they run.
func (t recoveryPlanResource) OperationKinds() []lro.Kind {
	return append(t.srObjects.OperationKinds(), t.s.planKinds()...)
}
