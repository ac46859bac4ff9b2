package siterecovery_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// Recovery plans through the real ReplicationRecoveryPlansClient and its
// pollers.

type planEnv struct {
	*repEnv
	plans          *asr.ReplicationRecoveryPlansClient
	web1, web2     string // protected item ids
	primaryFabric  string
	recoveryFabric string
}

func startPlans(t *testing.T) *planEnv {
	t.Helper()
	t.Parallel()
	e := startRep(t, "", true)
	opts := emulatortest.ClientOptions(e.srv.URL())
	opts.Retry.MaxRetries = -1
	plans, err := asr.NewReplicationRecoveryPlansClient(emulatortest.Subscription, emulatortest.Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	p := &planEnv{repEnv: e, plans: plans,
		primaryFabric: vaultPrefix() + "/replicationFabrics/fabric-eastus", recoveryFabric: vaultPrefix() + "/replicationFabrics/fabric-westus2"}
	for _, vm := range []string{"vm-web-1", "vm-web-2"} {
		it, err := e.enable(t, vm, e.enableInput("rg-prod", vm, ""))
		if err != nil {
			t.Fatalf("enabling %s: %v", vm, err)
		}
		if vm == "vm-web-1" {
			p.web1 = *it.ID
		} else {
			p.web2 = *it.ID
		}
	}
	return p
}

func bootGroup(items []string, start, end []*asr.RecoveryPlanAction) *asr.RecoveryPlanGroup {
	g := &asr.RecoveryPlanGroup{GroupType: emulatortest.Ptr(asr.RecoveryPlanGroupTypeBoot),
		StartGroupActions: start, EndGroupActions: end}
	for _, id := range items {
		g.ReplicationProtectedItems = append(g.ReplicationProtectedItems, &asr.RecoveryPlanProtectedItem{ID: emulatortest.Ptr(id)})
	}
	return g
}

var allFailovers = []*asr.ReplicationProtectedItemOperation{
	emulatortest.Ptr(asr.ReplicationProtectedItemOperationTestFailover),
	emulatortest.Ptr(asr.ReplicationProtectedItemOperationPlannedFailover),
	emulatortest.Ptr(asr.ReplicationProtectedItemOperationUnplannedFailover)}

func scriptAction(name, path, timeout string) *asr.RecoveryPlanAction {
	return &asr.RecoveryPlanAction{ActionName: emulatortest.Ptr(name), FailoverTypes: allFailovers,
		FailoverDirections: []*asr.PossibleOperationsDirections{emulatortest.Ptr(asr.PossibleOperationsDirectionsPrimaryToRecovery)},
		CustomDetails: &asr.RecoveryPlanScriptActionDetails{InstanceType: emulatortest.Ptr("ScriptActionDetails"),
			Path: emulatortest.Ptr(path), Timeout: optional(timeout), FabricLocation: emulatortest.Ptr(asr.RecoveryPlanActionLocationPrimary)}}
}

func manualAction(name, description string) *asr.RecoveryPlanAction {
	return &asr.RecoveryPlanAction{ActionName: emulatortest.Ptr(name), FailoverTypes: allFailovers,
		FailoverDirections: []*asr.PossibleOperationsDirections{emulatortest.Ptr(asr.PossibleOperationsDirectionsPrimaryToRecovery)},
		CustomDetails:      &asr.RecoveryPlanManualActionDetails{InstanceType: emulatortest.Ptr("ManualActionDetails"), Description: emulatortest.Ptr(description)}}
}

func (p *planEnv) createInput(groups ...*asr.RecoveryPlanGroup) asr.CreateRecoveryPlanInput {
	return asr.CreateRecoveryPlanInput{Properties: &asr.CreateRecoveryPlanInputProperties{
		PrimaryFabricID: emulatortest.Ptr(p.primaryFabric), RecoveryFabricID: emulatortest.Ptr(p.recoveryFabric),
		FailoverDeploymentModel: emulatortest.Ptr(asr.FailoverDeploymentModelResourceManager), Groups: groups}}
}

func (p *planEnv) create(t *testing.T, name string, in asr.CreateRecoveryPlanInput) (asr.RecoveryPlan, error) {
	t.Helper()
	poller, err := p.plans.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", name, in, nil)
	r, err := emulatortest.Done(t, poller, err)
	return r.RecoveryPlan, err
}

// groupSummary is "Type[items](start|end)" per group, items by name.
func groupSummary(plan asr.RecoveryPlan) string {
	var parts []string
	for _, g := range plan.Properties.Groups {
		var items, start, end []string
		for _, it := range g.ReplicationProtectedItems {
			items = append(items, (*it.ID)[strings.LastIndex(*it.ID, "/")+1:])
		}
		for _, a := range g.StartGroupActions {
			start = append(start, *a.ActionName)
		}
		for _, a := range g.EndGroupActions {
			end = append(end, *a.ActionName)
		}
		parts = append(parts, fmt.Sprintf("%s[%s](%s|%s)", *g.GroupType, strings.Join(items, ","), strings.Join(start, ","), strings.Join(end, ",")))
	}
	return strings.Join(parts, " ")
}

func TestRecoveryPlanLifecycleWithTheSDK(t *testing.T) {
	p := startPlans(t)
	plan, err := p.create(t, "rp-cms", p.createInput(
		bootGroup([]string{p.web1}, nil, []*asr.RecoveryPlanAction{scriptAction("warm-cache", "/opt/dr/warm 'a b'", "PT10M")}),
		bootGroup([]string{p.web2}, []*asr.RecoveryPlanAction{manualAction("check-dns", "[required] flip the DNS")}, nil),
	))
	if err != nil {
		t.Fatalf("creating the plan: %v", err)
	}
	pr := plan.Properties
	if *plan.ID != vaultPrefix()+"/replicationRecoveryPlans/rp-cms" || *plan.Type != "Microsoft.RecoveryServices/vaults/replicationRecoveryPlans" ||
		*pr.FriendlyName != "rp-cms" || *pr.PrimaryFabricID != p.primaryFabric || *pr.RecoveryFabricID != p.recoveryFabric ||
		*pr.PrimaryFabricFriendlyName != "fabric-eastus" || *pr.RecoveryFabricFriendlyName != "fabric-westus2" ||
		*pr.FailoverDeploymentModel != "ResourceManager" || len(pr.ReplicationProviders) != 1 || *pr.ReplicationProviders[0] != "A2A" ||
		pr.CurrentScenario != nil || pr.CurrentScenarioStatus != nil || len(pr.ProviderSpecificDetails) != 0 || pr.LastTestFailoverTime != nil {
		t.Fatalf("plan = %+v", pr)
	}
	if got, want := groupSummary(plan), "Shutdown[](|) Failover[](|) Boot[vm-web-1](|warm-cache) Boot[vm-web-2](check-dns|)"; got != want {
		t.Fatalf("groups = %s, want %s", got, want)
	}
	if vm := pr.Groups[2].ReplicationProtectedItems[0].VirtualMachineID; vm == nil || !strings.EqualFold(*vm, repVMID("rg-prod", "vm-web-1")) {
		t.Fatalf("virtualMachineId = %v", vm)
	}
	script, ok := pr.Groups[2].EndGroupActions[0].CustomDetails.(*asr.RecoveryPlanScriptActionDetails)
	if !ok || *script.Path != "/opt/dr/warm 'a b'" || *script.Timeout != "PT10M" || *script.FabricLocation != asr.RecoveryPlanActionLocationPrimary {
		t.Fatalf("script action = %#v", pr.Groups[2].EndGroupActions[0].CustomDetails)
	}
	manual, ok := pr.Groups[3].StartGroupActions[0].CustomDetails.(*asr.RecoveryPlanManualActionDetails)
	if !ok || *manual.Description != "[required] flip the DNS" {
		t.Fatalf("manual action = %#v", pr.Groups[3].StartGroupActions[0].CustomDetails)
	}
	ops := map[string]bool{}
	for _, o := range pr.AllowedOperations {
		ops[*o] = true
	}
	// The plan allows what all its items allow (nothing while they are
	// in initial replication), and never PlannedFailover: A2A has none.
	for o := range ops {
		if o != "TestFailover" && o != "UnplannedFailover" {
			t.Fatalf("allowedOperations = %v", ops)
		}
	}

	// GET and list show the same plan.
	got, err := p.plans.Get(emulatortest.Context(t), vaultName, "rg-dr", "RP-CMS", nil)
	if err != nil || groupSummary(got.RecoveryPlan) != groupSummary(plan) || *got.ID != *plan.ID {
		t.Fatalf("GET = %v, %v", got.ID, err)
	}
	var listed []string
	pager := p.plans.NewListPager(vaultName, "rg-dr", nil)
	for pager.More() {
		page, err := pager.NextPage(emulatortest.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Value {
			listed = append(listed, *v.Name)
		}
	}
	if strings.Join(listed, ",") != "rp-cms" {
		t.Fatalf("list = %v", listed)
	}

	// Update: the groups change order and web-1's script moves; the
	// Shutdown and Failover groups may be sent as the update example does.
	up, err := p.plans.BeginUpdate(emulatortest.Context(t), vaultName, "rg-dr", "rp-cms", asr.UpdateRecoveryPlanInput{Properties: &asr.UpdateRecoveryPlanInputProperties{
		Groups: []*asr.RecoveryPlanGroup{
			{GroupType: emulatortest.Ptr(asr.RecoveryPlanGroupTypeShutdown)},
			{GroupType: emulatortest.Ptr(asr.RecoveryPlanGroupTypeFailover)},
			bootGroup([]string{p.web2, p.web1}, []*asr.RecoveryPlanAction{scriptAction("warm-cache", "/opt/dr/warm", "PT1H")}, nil),
		}}}, nil)
	updated, err := emulatortest.Done(t, up, err)
	if err != nil {
		t.Fatalf("updating: %v", err)
	}
	if got, want := groupSummary(updated.RecoveryPlan), "Shutdown[](|) Failover[](|) Boot[vm-web-2,vm-web-1](warm-cache|)"; got != want {
		t.Fatalf("groups after update = %s, want %s", got, want)
	}

	// A protected item in a plan cannot be removed: 409 naming the plan.
	_, err = p.items.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1",
		asr.DisableProtectionInput{Properties: &asr.DisableProtectionInputProperties{}}, nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "ReplicationProtectedItemPartOfRecoveryPlan")
	if !strings.Contains(err.Error(), "replicationRecoveryPlans/rp-cms") {
		t.Fatalf("the error does not name the plan: %v", err)
	}
	_, err = p.items.BeginPurge(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-2", nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "ReplicationProtectedItemPartOfRecoveryPlan")

	// A plan test failover needs the test network (plans_ops_test.go
	// drives the operations).
	_, err = p.plans.BeginTestFailover(emulatortest.Context(t), vaultName, "rg-dr", "rp-cms", asr.RecoveryPlanTestFailoverInput{Properties: &asr.RecoveryPlanTestFailoverInputProperties{
		FailoverDirection: emulatortest.Ptr(asr.PossibleOperationsDirectionsPrimaryToRecovery), NetworkType: emulatortest.Ptr("VmNetworkAsInput")}}, nil)
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "BadRequest")
	if !strings.Contains(err.Error(), "properties.networkId") {
		t.Fatalf("the refusal does not name networkId: %v", err)
	}

	// Deleting the plan frees its items.
	del, err := p.plans.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "rp-cms", nil)
	if _, err = emulatortest.Done(t, del, err); err != nil {
		t.Fatalf("deleting the plan: %v", err)
	}
	_, err = p.plans.Get(emulatortest.Context(t), vaultName, "rg-dr", "rp-cms", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	rm, err := p.items.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1",
		asr.DisableProtectionInput{Properties: &asr.DisableProtectionInputProperties{}}, nil)
	if _, err = emulatortest.Done(t, rm, err); err != nil {
		t.Fatalf("disabling protection after the plan is gone: %v", err)
	}
}

func TestRecoveryPlanValidation(t *testing.T) {
	p := startPlans(t)
	// 101 stand-in items for the item limit.
	var many []string
	for i := 0; i < 101; i++ {
		id := vaultPrefix() + fmt.Sprintf("/replicationFabrics/fabric-eastus/replicationProtectionContainers/pc-eastus/replicationProtectedItems/fake-%03d", i)
		body := fmt.Sprintf(`{"id":%q,"name":"fake-%03d","type":"Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems","properties":{"phase":"Replicating","fabricObjectId":"vm-%d"}}`, id, i, i)
		if err := p.srv.PutRecordForTest(id, body); err != nil {
			t.Fatal(err)
		}
		many = append(many, id)
	}
	eightGroups := make([]*asr.RecoveryPlanGroup, 8)
	for i := range eightGroups {
		eightGroups[i] = bootGroup([]string{many[i]}, nil, nil)
	}
	otherVault := strings.Replace(p.web1, "/vaults/"+vaultName+"/", "/vaults/other-vault/", 1)
	missing := strings.Replace(p.web1, "vm-web-1", "vm-nope", 1)
	swapped := p.createInput(bootGroup([]string{p.web1}, nil, nil))
	swapped.Properties.PrimaryFabricID, swapped.Properties.RecoveryFabricID = emulatortest.Ptr(p.recoveryFabric), emulatortest.Ptr(p.primaryFabric)
	noFabric := p.createInput(bootGroup([]string{p.web1}, nil, nil))
	noFabric.Properties.RecoveryFabricID = emulatortest.Ptr(vaultPrefix() + "/replicationFabrics/fabric-mars")
	shutdownItems := p.createInput(&asr.RecoveryPlanGroup{GroupType: emulatortest.Ptr(asr.RecoveryPlanGroupTypeShutdown),
		ReplicationProtectedItems: []*asr.RecoveryPlanProtectedItem{{ID: emulatortest.Ptr(p.web1)}}})

	cases := []struct {
		name   string
		in     asr.CreateRecoveryPlanInput
		status int
		code   string
		target string // in the message
	}{
		{"unknown recovery fabric", noFabric, 400, "FabricNotFound", "properties.recoveryFabricId"},
		{"item of another vault", p.createInput(bootGroup([]string{otherVault}, nil, nil)), 400, "ProtectedItemNotFound", "groups[0].replicationProtectedItems[0].id"},
		{"missing item", p.createInput(bootGroup([]string{missing}, nil, nil)), 400, "ProtectedItemNotFound", "vm-nope"},
		{"item not in the primary fabric", swapped, 400, "ProtectedItemNotInPrimaryFabric", "replicationProtectedItems[0].id"},
		{"item twice", p.createInput(bootGroup([]string{p.web1}, nil, nil), bootGroup([]string{p.web2, p.web1}, nil, nil)), 400, "BadRequest", "groups[1].replicationProtectedItems[1].id"},
		{"eight boot groups", p.createInput(eightGroups...), 400, "RecoveryPlanGroupLimitExceeded", "at most 7"},
		{"101 items", p.createInput(bootGroup(many, nil, nil)), 400, "RecoveryPlanProtectedItemLimitExceeded", "100"},
		{"items in the shutdown group", shutdownItems, 400, "BadRequest", "groups[0].replicationProtectedItems"},
		{"duplicate action names", p.createInput(
			bootGroup([]string{p.web1}, []*asr.RecoveryPlanAction{manualAction("step", "a")}, nil),
			bootGroup([]string{p.web2}, nil, []*asr.RecoveryPlanAction{scriptAction("STEP", "/x", "PT1M")})), 400, "BadRequest", "groups[1].endGroupActions[0].actionName"},
		{"script without path", p.createInput(bootGroup([]string{p.web1}, []*asr.RecoveryPlanAction{scriptAction("s", "", "PT1M")}, nil)), 400, "BadRequest", "customDetails.path"},
		{"script without timeout", p.createInput(bootGroup([]string{p.web1}, []*asr.RecoveryPlanAction{scriptAction("s", "/x", "")}, nil)), 400, "BadRequest", "customDetails.timeout"},
		{"script with a bad timeout", p.createInput(bootGroup([]string{p.web1}, []*asr.RecoveryPlanAction{scriptAction("s", "/x", "10 minutes")}, nil)), 400, "BadRequest", "customDetails.timeout"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := p.create(t, "rp-bad", c.in)
			emulatortest.WantARMError(t, err, c.status, c.code)
			var re *azcore.ResponseError
			if errors.As(err, &re) && !strings.Contains(err.Error(), c.target) {
				t.Fatalf("the error does not name %q: %v", c.target, err)
			}
		})
	}
	if _, err := p.plans.Get(emulatortest.Context(t), vaultName, "rg-dr", "rp-bad", nil); err == nil {
		t.Fatal("a refused plan was stored")
	}
	// Seven groups and 100 items are within the limits.
	seven := make([]*asr.RecoveryPlanGroup, 7)
	for i := range seven {
		seven[i] = bootGroup(many[i*14:(i+1)*14], nil, nil)
	}
	seven[6] = bootGroup(many[84:100], nil, nil)
	if _, err := p.create(t, "rp-max", p.createInput(seven...)); err != nil {
		t.Fatalf("7 groups, 100 items: %v", err)
	}
	// An update is validated the same way.
	up, err := p.plans.BeginUpdate(emulatortest.Context(t), vaultName, "rg-dr", "rp-max", asr.UpdateRecoveryPlanInput{Properties: &asr.UpdateRecoveryPlanInputProperties{
		Groups: append(seven, bootGroup([]string{p.web1}, nil, nil))}}, nil)
	_, err = emulatortest.Done(t, up, err)
	emulatortest.WantARMError(t, err, 400, "RecoveryPlanGroupLimitExceeded")
}
