package specexamples_test

import (
	"go/ast"
	"go/parser"
	"reflect"
	"strings"
	"testing"
	"time"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// The harness's own parts, on inputs whose answers are known.

func siteRecoveryRegistry(t *testing.T) *registry {
	t.Helper()
	for i := range modules {
		if modules[i].pkg == "armrecoveryservicessiterecovery" {
			return newRegistry(t, &modules[i], moduleDirs(t)[modules[i].path])
		}
	}
	t.Fatal("no Site Recovery module")
	return nil
}

func TestEvalTurnsTheExamplesIdiomsIntoSDKValues(t *testing.T) {
	r := siteRecoveryRegistry(t)
	expr, err := parser.ParseExpr(`armrecoveryservicessiterecovery.ReplicationProtectedItem{
		Name: to.Ptr("item"),
		Properties: &armrecoveryservicessiterecovery.ReplicationProtectedItemProperties{
			AllowedOperations: []*string{to.Ptr("TestFailover"), to.Ptr("UnplannedFailover")},
			CurrentScenario: &armrecoveryservicessiterecovery.CurrentScenarioDetails{
				StartTime: to.Ptr(func() time.Time { t, _ := time.Parse(time.RFC3339Nano, "2026-01-02T03:04:05.5Z"); return t}()),
			},
			ProviderSpecificDetails: &armrecoveryservicessiterecovery.A2AReplicationDetails{
				InstanceType: to.Ptr("A2A"),
				RpoInSeconds: to.Ptr[int64](42),
				ProtectedManagedDisks: []*armrecoveryservicessiterecovery.A2AProtectedManagedDiskDetails{{DiskName: to.Ptr("os")}},
				VMSyncedConfigDetails: &armrecoveryservicessiterecovery.AzureToAzureVMSyncedConfigDetails{Tags: map[string]*string{"k": to.Ptr("v")}},
				MultiVMGroupCreateOption: to.Ptr(armrecoveryservicessiterecovery.MultiVMGroupCreateOptionUserSpecified),
			},
		},
	}`)
	if err != nil {
		t.Fatal(err)
	}
	v, err := r.eval(expr, nil)
	if err != nil {
		t.Fatalf("eval: %v", err)
	}
	it, ok := v.Interface().(asr.ReplicationProtectedItem)
	if !ok {
		t.Fatalf("got a %s", v.Type())
	}
	p := it.Properties
	d, ok := p.ProviderSpecificDetails.(*asr.A2AReplicationDetails)
	switch {
	case *it.Name != "item" || len(p.AllowedOperations) != 2 || *p.AllowedOperations[1] != "UnplannedFailover":
		t.Errorf("name or allowed operations: %+v", it)
	case !p.CurrentScenario.StartTime.Equal(time.Date(2026, 1, 2, 3, 4, 5, 5e8, time.UTC)):
		t.Errorf("start time %v", p.CurrentScenario.StartTime)
	case !ok || *d.RpoInSeconds != 42 || *d.ProtectedManagedDisks[0].DiskName != "os" || *d.VMSyncedConfigDetails.Tags["k"] != "v":
		t.Errorf("provider-specific details %#v", p.ProviderSpecificDetails)
	case *d.MultiVMGroupCreateOption != asr.MultiVMGroupCreateOptionUserSpecified:
		t.Errorf("constant %v", *d.MultiVMGroupCreateOption)
	}
	if _, err := r.eval(mustExpr(t, `armrecoveryservicessiterecovery.NoSuchType{}`), nil); err == nil {
		t.Error("an unknown type evaluated")
	}
}

func mustExpr(t *testing.T, s string) ast.Expr {
	t.Helper()
	e, err := parser.ParseExpr(s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestDiffValuesReportsWhatTheAnswerLacks(t *testing.T) {
	r := siteRecoveryRegistry(t)
	p := emulatortest.Ptr[string]
	want := asr.ReplicationProtectedItem{Properties: &asr.ReplicationProtectedItemProperties{
		ProtectionState: p("Protected"), FriendlyName: p("vm"),
		ProviderSpecificDetails: &asr.HyperVReplicaAzureReplicationDetails{InstanceType: p("HyperVReplicaAzure")}}}
	got := asr.ReplicationProtectedItem{Properties: &asr.ReplicationProtectedItemProperties{
		FriendlyName:            p("other"),
		ProviderSpecificDetails: &asr.A2AReplicationDetails{InstanceType: p("A2A")}}}
	var gaps []gap
	var notes []string
	r.diffValues("", reflect.ValueOf(want), reflect.ValueOf(got), &gaps, &notes)
	if len(gaps) != 1 || gaps[0].path != "properties.protectionState" || !gaps[0].computed {
		t.Errorf("gaps %+v, want properties.protectionState (computed)", gaps)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "HyperVReplicaAzureReplicationDetails") {
		t.Errorf("notes %q, want the provider-specific details noted as not compared", notes)
	}
}

func TestIDMapperMapsExampleIDsOntoTheEstate(t *testing.T) {
	m := newIDMapper()
	base := "/Subscriptions/c183865e-6077-46f2-a3b1-deb0f4f4650a/resourceGroups/resourceGroupPS1/providers/Microsoft.RecoveryServices/vaults/vault1/replicationFabrics/"
	primary := m.mapID(base + "cloud1/replicationProtectionContainers/c1")
	recovery := m.mapID(base + "azure2/replicationProtectionContainers/c2")
	if want := vaultID() + "/replicationFabrics/" + exFabric + "/replicationProtectionContainers/" + exContainer; !strings.EqualFold(primary, want) {
		t.Errorf("primary %s, want %s", primary, want)
	}
	if want := vaultID() + "/replicationFabrics/" + exRecFabric + "/replicationProtectionContainers/" + exRecCont; !strings.EqualFold(recovery, want) {
		t.Errorf("recovery %s, want %s", recovery, want)
	}
	if s := m.mapID("Microsoft Azure"); s != "Microsoft Azure" {
		t.Errorf("a name that is no id changed: %s", s)
	}
}

func TestSamePathMatchesTemplatesAndPatterns(t *testing.T) {
	for _, c := range []struct {
		sdk, route string
		want       bool
	}{
		{"/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}", "/subscriptions/{subscriptionId}/resourceGroups/{name}", true},
		{"/subscriptions/{s}/resourcegroups/{g}/remove", "/subscriptions/{s}/resourceGroups/{g}", false},
		{"/subscriptions/{s}/providers/x/{y}", "/subscriptions/{s}/providers/x/y", false},
	} {
		if got := samePath(c.sdk, c.route); got != c.want {
			t.Errorf("samePath(%s, %s) = %v", c.sdk, c.route, got)
		}
	}
}
