package siterecovery

import (
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
)

// planSchedule lays the groups out one after the other, counting only the
// actions that apply to the operation and direction, and refuses an
// applicable manual action.
func TestPlanScheduleCountsTheActionsThatApply(t *testing.T) {
	runbook := func(name string, types ...string) planAction {
		return planAction{ActionName: name, FailoverTypes: types, FailoverDirections: []string{directionPrimaryToRecovery},
			CustomDetails: planActionDetails{InstanceType: planActionRunbook}}
	}
	item := []planItem{{ID: "x"}}
	plan := &recoveryPlan{Properties: recoveryPlanProperties{Groups: []planGroup{
		{GroupType: planGroupShutdown, StartGroupActions: []planAction{runbook("pre-shutdown", planOpUnplannedFailover)}},
		{GroupType: planGroupFailover},
		{GroupType: planGroupBoot, ReplicationProtectedItems: item, EndGroupActions: []planAction{runbook("warm", planOpUnplannedFailover, planOpTestFailover)}},
		{GroupType: planGroupBoot, ReplicationProtectedItems: item, StartGroupActions: []planAction{runbook("tfo-only", planOpTestFailover)}},
	}}}
	const d = 4 * time.Minute
	got, err := planSchedule(plan, planOpUnplannedFailover, directionPrimaryToRecovery, d)
	if err != nil {
		t.Fatal(err)
	}
	// 1 min pre-shutdown; group 2 items at 1+4; warm 1; group 3 items at 6+4.
	if got.itemsDone[2] != 5*time.Minute || got.itemsDone[3] != 10*time.Minute || got.total != 10*time.Minute {
		t.Fatalf("unplanned failover schedule: %+v", got)
	}
	got, err = planSchedule(plan, planOpTestFailover, directionPrimaryToRecovery, d)
	if err != nil || got.itemsDone[2] != 4*time.Minute || got.itemsDone[3] != 10*time.Minute {
		t.Fatalf("test failover schedule: %+v %v", got, err)
	}
	// The other direction runs none of them.
	got, err = planSchedule(plan, planOpUnplannedFailover, directionRecoveryToPrimary, d)
	if err != nil || got.total != 8*time.Minute {
		t.Fatalf("failback schedule: %+v %v", got, err)
	}
	plan.Properties.Groups[1].EndGroupActions = []planAction{{ActionName: "call-dba", FailoverTypes: []string{planOpTestFailover},
		FailoverDirections: []string{directionPrimaryToRecovery}, CustomDetails: planActionDetails{InstanceType: planActionManual}}}
	if _, err := planSchedule(plan, planOpUnplannedFailover, directionPrimaryToRecovery, d); err != nil {
		t.Fatalf("a manual action for another failover type: %v", err)
	}
	_, err = planSchedule(plan, planOpTestFailover, directionPrimaryToRecovery, d)
	if e := arm.AsError(err); err == nil || e.Code != "ManualActionNotSupported" {
		t.Fatalf("manual action: %v", err)
	}
}
