package siterecovery_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// The recovery plan operations A2A has, through the real
// ReplicationRecoveryPlansClient and its pollers, on a protected estate of
// two VMs in two Boot groups (web-1 first, with a post action).

type planOpsEnv struct {
	*tfoEnv
	plans *asr.ReplicationRecoveryPlansClient
}

const opsPlan = "rp-ops"

func startPlanOps(t *testing.T) *planOpsEnv {
	t.Helper()
	t.Parallel()
	e := &planOpsEnv{tfoEnv: startTFO(t, "", "vm-web-1", "vm-web-2")}
	opts := emulatortest.ClientOptions(e.srv.URL())
	opts.Retry.MaxRetries = -1
	var err error
	if e.plans, err = asr.NewReplicationRecoveryPlansClient(emulatortest.Subscription, emulatortest.Credential{}, opts); err != nil {
		t.Fatal(err)
	}
	web1, web2 := e.get(t, "vm-web-1"), e.get(t, "vm-web-2")
	in := asr.CreateRecoveryPlanInput{Properties: &asr.CreateRecoveryPlanInputProperties{
		PrimaryFabricID:  emulatortest.Ptr(vaultPrefix() + "/replicationFabrics/fabric-eastus"),
		RecoveryFabricID: emulatortest.Ptr(vaultPrefix() + "/replicationFabrics/fabric-westus2"),
		Groups: []*asr.RecoveryPlanGroup{
			bootGroup([]string{*web1.ID}, nil, []*asr.RecoveryPlanAction{scriptAction("warm-cache", "/opt/warm", "PT5M")}),
			bootGroup([]string{*web2.ID}, nil, nil),
		}}}
	p, err := e.plans.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", opsPlan, in, nil)
	if _, err := emulatortest.Done(t, p, err); err != nil {
		t.Fatalf("creating the plan: %v", err)
	}
	return e
}

func (e *planOpsEnv) plan(t *testing.T) asr.RecoveryPlan {
	t.Helper()
	r, err := e.plans.Get(emulatortest.Context(t), vaultName, "rg-dr", opsPlan, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r.RecoveryPlan
}

func planAllowed(p asr.RecoveryPlan) string {
	var out []string
	for _, o := range p.Properties.AllowedOperations {
		out = append(out, *o)
	}
	return strings.Join(out, ",")
}

func wantPlanAllowed(t *testing.T, p asr.RecoveryPlan, want string) {
	t.Helper()
	if got := planAllowed(p); got != want {
		t.Fatalf("plan allowedOperations = [%s], want [%s]", got, want)
	}
}

func a2aPlanDetails(pointType string) []asr.RecoveryPlanProviderSpecificFailoverInputClassification {
	return []asr.RecoveryPlanProviderSpecificFailoverInputClassification{&asr.RecoveryPlanA2AFailoverInput{
		InstanceType: emulatortest.Ptr("A2A"), RecoveryPointType: emulatortest.Ptr(asr.A2ARpRecoveryPointType(pointType))}}
}

func (e *planOpsEnv) tfoInput(direction, network, pointType string) asr.RecoveryPlanTestFailoverInput {
	return asr.RecoveryPlanTestFailoverInput{Properties: &asr.RecoveryPlanTestFailoverInputProperties{
		FailoverDirection: emulatortest.Ptr(asr.PossibleOperationsDirections(direction)),
		NetworkType:       emulatortest.Ptr("VmNetworkAsInput"), NetworkID: emulatortest.Ptr(network),
		ProviderSpecificDetails: a2aPlanDetails(pointType)}}
}

func (e *planOpsEnv) testFailover(t *testing.T, in asr.RecoveryPlanTestFailoverInput) (asr.RecoveryPlan, error) {
	t.Helper()
	p, err := e.plans.BeginTestFailover(emulatortest.Context(t), vaultName, "rg-dr", opsPlan, in, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.RecoveryPlan, err
}

func (e *planOpsEnv) cleanup(t *testing.T, comments string) (asr.RecoveryPlan, error) {
	t.Helper()
	p, err := e.plans.BeginTestFailoverCleanup(emulatortest.Context(t), vaultName, "rg-dr", opsPlan,
		asr.RecoveryPlanTestFailoverCleanupInput{Properties: &asr.RecoveryPlanTestFailoverCleanupInputProperties{Comments: &comments}}, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.RecoveryPlan, err
}

func unplannedInput(direction, ssops, pointType string) asr.RecoveryPlanUnplannedFailoverInput {
	in := asr.RecoveryPlanUnplannedFailoverInput{Properties: &asr.RecoveryPlanUnplannedFailoverInputProperties{
		FailoverDirection: emulatortest.Ptr(asr.PossibleOperationsDirections(direction)), ProviderSpecificDetails: a2aPlanDetails(pointType)}}
	if ssops != "" {
		in.Properties.SourceSiteOperations = emulatortest.Ptr(asr.SourceSiteOperations(ssops))
	}
	return in
}

func (e *planOpsEnv) unplanned(t *testing.T, in asr.RecoveryPlanUnplannedFailoverInput) (asr.RecoveryPlan, error) {
	t.Helper()
	p, err := e.plans.BeginUnplannedFailover(emulatortest.Context(t), vaultName, "rg-dr", opsPlan, in, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.RecoveryPlan, err
}

func (e *planOpsEnv) commit(t *testing.T) (asr.RecoveryPlan, error) {
	t.Helper()
	p, err := e.plans.BeginFailoverCommit(emulatortest.Context(t), vaultName, "rg-dr", opsPlan, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.RecoveryPlan, err
}

func (e *planOpsEnv) reprotect(t *testing.T) (asr.RecoveryPlan, error) {
	t.Helper()
	p, err := e.plans.BeginReprotect(emulatortest.Context(t), vaultName, "rg-dr", opsPlan, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.RecoveryPlan, err
}

// padTestFailover adds 40 runbooks (a simulated minute each) for test
// failovers after the plan's last group, so a test can look at the plan
// while its test failover runs whatever the machine's load.
func (e *planOpsEnv) padTestFailover(t *testing.T) {
	t.Helper()
	web1, web2 := e.get(t, "vm-web-1"), e.get(t, "vm-web-2")
	var runbooks []*asr.RecoveryPlanAction
	for i := range 40 {
		runbooks = append(runbooks, &asr.RecoveryPlanAction{ActionName: emulatortest.Ptr(fmt.Sprintf("smoke-%d", i)),
			FailoverTypes:      []*asr.ReplicationProtectedItemOperation{emulatortest.Ptr(asr.ReplicationProtectedItemOperationTestFailover)},
			FailoverDirections: []*asr.PossibleOperationsDirections{emulatortest.Ptr(asr.PossibleOperationsDirectionsPrimaryToRecovery)},
			CustomDetails: &asr.RecoveryPlanAutomationRunbookActionDetails{InstanceType: emulatortest.Ptr("AutomationRunbookActionDetails"),
				RunbookID:      emulatortest.Ptr(repGroupID("rg-dr") + "/providers/Microsoft.Automation/automationAccounts/aa-dr/runbooks/smoke"),
				FabricLocation: emulatortest.Ptr(asr.RecoveryPlanActionLocationRecovery)}})
	}
	up, err := e.plans.BeginUpdate(emulatortest.Context(t), vaultName, "rg-dr", opsPlan, asr.UpdateRecoveryPlanInput{Properties: &asr.UpdateRecoveryPlanInputProperties{
		Groups: []*asr.RecoveryPlanGroup{bootGroup([]string{*web1.ID}, nil, nil), bootGroup([]string{*web2.ID}, nil, runbooks)}}}, nil)
	if _, err := emulatortest.Done(t, up, err); err != nil {
		t.Fatalf("adding the runbooks: %v", err)
	}
}

func TestRecoveryPlanTestFailoverAndCleanup(t *testing.T) {
	e := startPlanOps(t)
	base := e.srv.URL()
	drill := repVNetID("rg-recovery", drillNet)
	wantPlanAllowed(t, e.plan(t), "UnplannedFailover,TestFailover")

	// Refusals, before anything starts.
	_, err := e.plans.BeginPlannedFailover(emulatortest.Context(t), vaultName, "rg-dr", opsPlan, asr.RecoveryPlanPlannedFailoverInput{
		Properties: &asr.RecoveryPlanPlannedFailoverInputProperties{FailoverDirection: emulatortest.Ptr(asr.PossibleOperationsDirectionsPrimaryToRecovery)}}, nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")
	_, err = e.testFailover(t, e.tfoInput("RecoveryToPrimary", drill, "LatestProcessed"))
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidFailoverDirection")
	_, err = e.testFailover(t, e.tfoInput("Sideways", drill, "LatestProcessed"))
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "BadRequest")
	_, err = e.testFailover(t, e.tfoInput("PrimaryToRecovery", drill, "Oldest"))
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "BadRequest")
	if !strings.Contains(err.Error(), "recoveryPointType") {
		t.Fatalf("the refusal does not name recoveryPointType: %v", err)
	}
	noType := e.tfoInput("PrimaryToRecovery", drill, "LatestProcessed")
	noType.Properties.NetworkType = nil
	_, err = e.testFailover(t, noType)
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "BadRequest")
	_, err = e.testFailover(t, e.tfoInput("PrimaryToRecovery", repVNetID("rg-recovery", "vnet-nowhere"), "LatestProcessed"))
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "TestFailoverNetworkNotFound")
	_, err = e.cleanup(t, "nothing yet")
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")
	_, err = e.commit(t)
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")
	for _, vm := range []string{"vm-web-1", "vm-web-2"} {
		if it := e.get(t, vm); tfoState(it) != "None" || *it.Properties.CurrentScenario.ScenarioName != "None" {
			t.Fatalf("a refused plan operation touched %s: %+v", vm, it.Properties)
		}
	}

	// The test failover runs; meanwhile the plan allows nothing and its
	// items refuse item-level operations.
	e.padTestFailover(t)
	poller, err := e.plans.BeginTestFailover(emulatortest.Context(t), vaultName, "rg-dr", opsPlan, e.tfoInput("PrimaryToRecovery", drill, "LatestProcessed"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if running := e.plan(t); planAllowed(running) != "" || *running.Properties.CurrentScenario.ScenarioName != "TestFailover" {
		t.Fatalf("while running: [%s] %+v", planAllowed(running), running.Properties.CurrentScenario)
	}
	if it := e.get(t, "vm-web-2"); tfoState(it) != "InProgress" {
		t.Fatalf("web-2 while the plan runs: %s", tfoState(it))
	}
	_, err = e.tfoEnv.testFailover(t, "vm-web-2", "")
	if err == nil || !strings.Contains(err.Error(), "TestFailoverAlreadyInProgress") && !strings.Contains(err.Error(), "AnotherOperationInProgress") {
		t.Fatalf("item-level test failover during the plan's: %v", err)
	}
	done, err := emulatortest.Done(t, poller, nil)
	if err != nil {
		t.Fatalf("plan test failover: %v", err)
	}
	p := done.RecoveryPlan.Properties
	if p.LastTestFailoverTime == nil || *p.CurrentScenario.ScenarioName != "TestFailover" || *p.CurrentScenarioStatus != "Suspended" ||
		!strings.Contains(*p.CurrentScenario.JobID, "/replicationJobs/") {
		t.Fatalf("after the test failover: %+v %+v", p, p.CurrentScenario)
	}
	wantPlanAllowed(t, done.RecoveryPlan, "UnplannedFailover,TestFailoverCleanup")
	sites := tfoSites(t, base)
	for _, vm := range []string{"vm-web-1", "vm-web-2"} {
		if it := e.get(t, vm); tfoState(it) != "MarkedForDeletion" {
			t.Fatalf("%s after the plan's test failover: %s", vm, tfoState(it))
		}
		if s, ok := sites[vm+"-test"]; !ok || s.Role != "test" || !s.Running {
			t.Fatalf("%s's test VM: %+v %v", vm, s, ok)
		}
	}
	_, err = e.testFailover(t, e.tfoInput("PrimaryToRecovery", drill, "LatestProcessed"))
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")

	// Cleanup removes every test VM.
	long := strings.Repeat("x", 1025)
	_, err = e.cleanup(t, long)
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "BadRequest")
	cleaned, err := e.cleanup(t, "drill done")
	if err != nil {
		t.Fatalf("plan cleanup: %v", err)
	}
	if *cleaned.Properties.CurrentScenario.ScenarioName != "TestFailoverCleanup" || *cleaned.Properties.CurrentScenarioStatus != "Succeeded" {
		t.Fatalf("after cleanup: %+v", cleaned.Properties.CurrentScenario)
	}
	wantPlanAllowed(t, cleaned, "UnplannedFailover,TestFailover")
	sites = tfoSites(t, base)
	for _, vm := range []string{"vm-web-1", "vm-web-2"} {
		if it := e.get(t, vm); tfoState(it) != "None" || it.Properties.LastSuccessfulTestFailoverTime == nil {
			t.Fatalf("%s after cleanup: %s %v", vm, tfoState(it), it.Properties.LastSuccessfulTestFailoverTime)
		}
		if _, ok := sites[vm+"-test"]; ok {
			t.Fatalf("%s's test VM survived the cleanup", vm)
		}
	}
}

func TestRecoveryPlanFailoverCommitAndReprotect(t *testing.T) {
	e := startPlanOps(t)
	// Refusals.
	_, err := e.unplanned(t, unplannedInput("PrimaryToRecovery", "", "Latest"))
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "BadRequest")
	if !strings.Contains(err.Error(), "sourceSiteOperations") {
		t.Fatalf("the refusal does not name sourceSiteOperations: %v", err)
	}
	_, err = e.unplanned(t, unplannedInput("PrimaryToRecovery", "Sometimes", "Latest"))
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "BadRequest")
	_, err = e.unplanned(t, unplannedInput("RecoveryToPrimary", "Required", "Latest"))
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidFailoverDirection")
	_, err = e.reprotect(t)
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")

	// Unplanned failover, the source VMs shut down: group by group.
	failed, err := e.unplanned(t, unplannedInput("PrimaryToRecovery", "Required", "LatestProcessed"))
	if err != nil {
		t.Fatalf("plan unplanned failover: %v", err)
	}
	if failed.Properties.LastUnplannedFailoverTime == nil || *failed.Properties.CurrentScenario.ScenarioName != "UnplannedFailover" {
		t.Fatalf("after the failover: %+v", failed.Properties)
	}
	wantPlanAllowed(t, failed, "Commit")
	// The plan's operation is a job on the plan; each item's, a job on it.
	jobs, err := asr.NewReplicationJobsClient(emulatortest.Subscription, emulatortest.Credential{}, emulatortest.ClientOptions(e.srv.URL()))
	if err != nil {
		t.Fatal(err)
	}
	jobID := *failed.Properties.CurrentScenario.JobID
	job, err := jobs.Get(emulatortest.Context(t), vaultName, "rg-dr", jobID[strings.LastIndex(jobID, "/")+1:], nil)
	if err != nil {
		t.Fatalf("the plan's job: %v", err)
	}
	if jp := job.Properties; *jp.ScenarioName != "UnplannedFailover" || *jp.State != "Succeeded" || *jp.TargetInstanceType != "RecoveryPlan" || *jp.TargetObjectName != opsPlan {
		t.Fatalf("the plan's job: %s %s %s %s", *jp.ScenarioName, *jp.State, *jp.TargetInstanceType, *jp.TargetObjectName)
	}
	itemJobs := map[string]string{}
	for pager := jobs.NewListPager(vaultName, "rg-dr", nil); pager.More(); {
		page, err := pager.NextPage(emulatortest.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range page.Value {
			if jp := j.Properties; *jp.ScenarioName == "UnplannedFailover" && *jp.TargetInstanceType == "ProtectionEntity" {
				itemJobs[*jp.TargetObjectName] = *jp.State
			}
		}
	}
	if itemJobs["vm-web-1"] != "Succeeded" || itemJobs["vm-web-2"] != "Succeeded" {
		t.Fatalf("the items' failover jobs: %v", itemJobs)
	}
	web1, web2 := e.get(t, "vm-web-1"), e.get(t, "vm-web-2")
	for _, it := range []asr.ReplicationProtectedItem{web1, web2} {
		if *it.Properties.ActiveLocation != "Recovery" || !has(allowed(it), "FailoverCommit") && !has(allowed(it), "Commit") {
			t.Fatalf("%s after the plan's failover: %s %s %v", *it.Name, *it.Properties.ProtectionState, *it.Properties.ActiveLocation, allowed(it))
		}
	}
	// Group 2 fails over after group 1 and its post action: its item's
	// operation is due one item failover and one action later (when an
	// operation settles depends on the machine's load, when it falls due
	// does not; the operations start one after the other in the same
	// transaction, so the second's clock is a little later).
	due := planItemDueTimes(t, e.srv.URL(), "unplannedFailover")
	if d := due["vm-web-2"].Sub(due["vm-web-1"]); d < 5*time.Minute || d > 6*time.Minute {
		t.Fatalf("web-2's failover is due %v after web-1's, want 5m (4m failover + 1m post action): the groups did not run one after the other", d)
	}
	if web1.Properties.LastSuccessfulFailoverTime == nil || web2.Properties.LastSuccessfulFailoverTime == nil {
		t.Fatal("no lastSuccessfulFailoverTime")
	}
	sites := tfoSites(t, e.srv.URL())
	if s := siteOfVM(t, e.srv.URL(), repVMID("rg-prod", "vm-web-1")); s.Running {
		t.Fatalf("sourceSiteOperations Required left the source VM running: %+v", s)
	}
	if s, ok := sites[strings.ToLower(repVMID("rg-recovery", "vm-web-2"))]; !ok || !s.Running {
		t.Fatalf("web-2's recovery VM: %+v %v", s, ok)
	}

	// Commit.
	committed, err := e.commit(t)
	if err != nil {
		t.Fatalf("plan commit: %v", err)
	}
	if *committed.Properties.CurrentScenario.ScenarioName != "CommitFailover" {
		t.Fatalf("scenario after commit: %+v", committed.Properties.CurrentScenario)
	}
	wantPlanAllowed(t, committed, "ReverseReplicate")
	for _, vm := range []string{"vm-web-1", "vm-web-2"} {
		if it := e.get(t, vm); has(allowed(it), "FailoverCommit") || *it.Properties.ActiveLocation != "Recovery" {
			t.Fatalf("%s after the plan's commit: %s %v", vm, *it.Properties.ProtectionState, allowed(it))
		}
	}

	// Re-protect needs the mapping back to the primary region, from which
	// Site Recovery fills each item's re-protect input.
	_, err = e.reprotect(t)
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "ProtectionContainerMappingNotFound")
	if !strings.Contains(err.Error(), "pc-westus2") || !strings.Contains(err.Error(), rpName) {
		t.Fatalf("the refusal does not name the container and the plan: %v", err)
	}
	emulatortest.Must[asr.ProtectionContainerMapping](t, "reverse mapping")(createMapping(t, e.c, "fabric-westus2", "pc-westus2", "map-west-east",
		*e.top.primaryContainer.ID, *e.top.policy.ID))
	reprotected, err := e.reprotect(t)
	if err != nil {
		t.Fatalf("plan re-protect: %v", err)
	}
	if *reprotected.Properties.CurrentScenario.ScenarioName != "ReverseReplication" {
		t.Fatalf("scenario after re-protect: %+v", reprotected.Properties.CurrentScenario)
	}
	for _, vm := range []string{"vm-web-1", "vm-web-2"} {
		it := e.get(t, vm)
		if d := a2a(t, it); *d.PrimaryFabricLocation != "westus2" || *d.RecoveryFabricLocation != "eastus" {
			t.Fatalf("%s after the plan's re-protect: %s -> %s", vm, *d.PrimaryFabricLocation, *d.RecoveryFabricLocation)
		}
	}
}

// planItemDueTimes are when the item operations a plan ran for op fell
// due, by VM name (from the admin API's operations).
func planItemDueTimes(t *testing.T, base, op string) map[string]time.Time {
	t.Helper()
	var out struct {
		Value []admin.Operation `json:"value"`
	}
	if resp := emulatortest.CallJSON(t, http.MethodGet, base+"/_emulator/operations", nil, &out); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /_emulator/operations: %d", resp.StatusCode)
	}
	due := map[string]time.Time{}
	for _, o := range out.Value {
		if strings.HasSuffix(o.Kind, "/replicationRecoveryPlans/item/"+op) {
			due[o.ResourceID[strings.LastIndex(o.ResourceID, "/")+1:]] = o.DueTime
		}
	}
	return due
}

// rpName is how the refusals name the plan.
const rpName = "Recovery plan '" + opsPlan + "'"

func TestRecoveryPlanFailureStopsTheLaterGroups(t *testing.T) {
	e := startPlanOps(t)
	base := e.srv.URL()
	rule := addRule(t, base, `{"kind":"outage","region":"westus2"}`)
	_, err := e.unplanned(t, unplannedInput("PrimaryToRecovery", "NotRequired", "LatestProcessed"))
	// The operation fails (azcore reports the failed poll's 200 with the
	// operation's error code) naming the item of the first group.
	if err == nil || !strings.Contains(err.Error(), "FailoverFailed") || !strings.Contains(err.Error(), "vm-web-1") {
		t.Fatalf("the failure does not name the item: %v", err)
	}
	emulatortest.Call(t, http.MethodDelete, base+"/_emulator/faults/"+rule, nil, nil)
	plan := e.plan(t)
	if *plan.Properties.CurrentScenarioStatus != "Failed" || plan.Properties.LastUnplannedFailoverTime != nil {
		t.Fatalf("plan after the failure: %+v", plan.Properties)
	}
	jobs, err := asr.NewReplicationJobsClient(emulatortest.Subscription, emulatortest.Credential{}, emulatortest.ClientOptions(base))
	if err != nil {
		t.Fatal(err)
	}
	jobID := *plan.Properties.CurrentScenario.JobID
	job, err := jobs.Get(emulatortest.Context(t), vaultName, "rg-dr", jobID[strings.LastIndex(jobID, "/")+1:], nil)
	if err != nil || *job.Properties.State != "Failed" || len(job.Properties.Errors) == 0 {
		t.Fatalf("the plan's job after the failure: %v %+v", err, job.Properties)
	}
	wantPlanAllowed(t, plan, "UnplannedFailover,TestFailover")
	for _, vm := range []string{"vm-web-1", "vm-web-2"} {
		if it := e.get(t, vm); *it.Properties.ProtectionState != "Protected" || *it.Properties.ActiveLocation != "Primary" {
			t.Fatalf("%s after the plan's failed failover: %s %s", vm, *it.Properties.ProtectionState, *it.Properties.ActiveLocation)
		}
	}
	if _, ok := tfoSites(t, base)[strings.ToLower(repVMID("rg-recovery", "vm-web-2"))]; ok {
		t.Fatal("the group after the failed one still failed over")
	}
}

func TestRecoveryPlanRefusesManualActionsAndBusyItems(t *testing.T) {
	e := startPlanOps(t)
	drill := repVNetID("rg-recovery", drillNet)
	web1 := e.get(t, "vm-web-1")
	// A second plan holding web-1, with a manual action before its group.
	in := asr.CreateRecoveryPlanInput{Properties: &asr.CreateRecoveryPlanInputProperties{
		PrimaryFabricID:  emulatortest.Ptr(vaultPrefix() + "/replicationFabrics/fabric-eastus"),
		RecoveryFabricID: emulatortest.Ptr(vaultPrefix() + "/replicationFabrics/fabric-westus2"),
		Groups:           []*asr.RecoveryPlanGroup{bootGroup([]string{*web1.ID}, []*asr.RecoveryPlanAction{manualAction("flip-dns", "flip the DNS")}, nil)}}}
	p, err := e.plans.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", "rp-manual", in, nil)
	if _, err := emulatortest.Done(t, p, err); err != nil {
		t.Fatal(err)
	}
	manualTFO := func() error {
		p, err := e.plans.BeginTestFailover(emulatortest.Context(t), vaultName, "rg-dr", "rp-manual", e.tfoInput("PrimaryToRecovery", drill, "LatestProcessed"), nil)
		_, err = emulatortest.Done(t, p, err)
		return err
	}
	emulatortest.WantARMError(t, manualTFO(), http.StatusConflict, "ManualActionNotSupported")

	// While the first plan runs, the second cannot take its item, and the
	// first refuses a second operation.
	in.Properties.Groups = []*asr.RecoveryPlanGroup{bootGroup([]string{*web1.ID}, nil, nil)}
	up, err := e.plans.BeginUpdate(emulatortest.Context(t), vaultName, "rg-dr", "rp-manual",
		asr.UpdateRecoveryPlanInput{Properties: &asr.UpdateRecoveryPlanInputProperties{Groups: in.Properties.Groups}}, nil)
	if _, err := emulatortest.Done(t, up, err); err != nil {
		t.Fatal(err)
	}
	e.padTestFailover(t)
	running, err := e.plans.BeginTestFailover(emulatortest.Context(t), vaultName, "rg-dr", opsPlan, e.tfoInput("PrimaryToRecovery", drill, "LatestCrashConsistent"), nil)
	if err != nil {
		t.Fatal(err)
	}
	err = manualTFO()
	if err == nil || !strings.Contains(err.Error(), "OperationNotAllowed") && !strings.Contains(err.Error(), "AnotherOperationInProgress") {
		t.Fatalf("second plan on a busy item: %v", err)
	}
	_, err = e.testFailover(t, e.tfoInput("PrimaryToRecovery", drill, "LatestProcessed"))
	emulatortest.WantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	if _, err := emulatortest.Done(t, running, nil); err != nil {
		t.Fatalf("the first plan's test failover: %v", err)
	}
	if it := e.get(t, "vm-web-2"); tfoState(it) != "MarkedForDeletion" {
		t.Fatalf("web-2 after the plan's test failover: %s", tfoState(it))
	}
}
