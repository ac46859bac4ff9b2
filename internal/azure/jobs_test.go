package azure_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/cacheaccount"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// A failed Site Recovery operation's diagnostic carries its job: the test
// failover fails (a fault: an outage of the recovery region while it runs),
// and azure.Describe, with no help from the caller, shows the job's
// scenario, failed task, code, message, possible causes, recommended action
// and id; StartJob named the same job when the operation started.

const jobsSeed = `{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[
	{"name":"rg-prod","location":"eastus",
	 "virtualNetworks":[{"name":"vnet-prod","addressSpace":["10.1.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.1.1.0/24"}]}],
	 "virtualMachines":[{"name":"vm-web-1","subnet":"vnet-prod/web"}]},
	{"name":"rg-recovery","location":"westus2",
	 "virtualNetworks":[{"name":"vnet-recovery","addressSpace":["10.2.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.2.1.0/24"}]}]},
	{"name":"rg-dr","location":"eastus"}
]}]}`

func groupID(name string) string {
	return "/subscriptions/" + emulatortest.Subscription + "/resourceGroups/" + name
}

func must[T any](t *testing.T, what string) func(p *runtime.Poller[T], err error) T {
	return func(p *runtime.Poller[T], err error) T {
		t.Helper()
		if err == nil {
			var v T
			v, err = azure.Wait(emulatortest.Context(t), p)
			if err == nil {
				return v
			}
		}
		t.Fatalf("%s: %s", what, azure.Describe(err))
		var zero T
		return zero
	}
}

func TestAFailedSiteRecoveryOperationShowsItsJob(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{TimeScale: 1200, SeedFile: emulatortest.WriteSeed(t, jobsSeed)})
	c, err := azure.NewClient(azure.Config{SubscriptionID: emulatortest.Subscription, ResourceManagerEndpoint: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := emulatortest.Context(t)
	const vault, rg = "vault-jobs", "rg-dr"
	must[armrecoveryservices.VaultsClientCreateOrUpdateResponse](t, "vault")(c.Vaults().BeginCreateOrUpdate(ctx, rg, vault, armrecoveryservices.Vault{
		Location: emulatortest.Ptr("eastus"), SKU: &armrecoveryservices.SKU{Name: emulatortest.Ptr(armrecoveryservices.SKUNameStandard)},
		Properties: &armrecoveryservices.VaultProperties{}}, nil))
	for _, region := range []string{"eastus", "westus2"} {
		must[asr.ReplicationFabricsClientCreateResponse](t, "fabric")(c.ReplicationFabrics().BeginCreate(ctx, vault, rg, "fabric-"+region, asr.FabricCreationInput{
			Properties: &asr.FabricCreationInputProperties{CustomDetails: &asr.AzureFabricCreationInput{InstanceType: emulatortest.Ptr("Azure"), Location: emulatortest.Ptr(region)}}}, nil))
		must[asr.ReplicationProtectionContainersClientCreateResponse](t, "container")(c.ProtectionContainers().BeginCreate(ctx, vault, rg, "fabric-"+region, "pc-"+region,
			asr.CreateProtectionContainerInput{Properties: &asr.CreateProtectionContainerInputProperties{}}, nil))
	}
	pol := must[asr.ReplicationPoliciesClientCreateResponse](t, "policy")(c.ReplicationPolicies().BeginCreate(ctx, vault, rg, "policy-1h", asr.CreatePolicyInput{
		Properties: &asr.CreatePolicyInputProperties{ProviderSpecificInput: &asr.A2APolicyCreationInput{InstanceType: emulatortest.Ptr("A2A"),
			MultiVMSyncStatus: emulatortest.Ptr(asr.SetMultiVMSyncStatusEnable), RecoveryPointHistory: emulatortest.Ptr[int32](120),
			AppConsistentFrequencyInMinutes: emulatortest.Ptr[int32](60), CrashConsistentFrequencyInMinutes: emulatortest.Ptr[int32](5)}}}, nil))
	vaultID := groupID(rg) + "/providers/Microsoft.RecoveryServices/vaults/" + vault
	recoveryContainer := vaultID + "/replicationFabrics/fabric-westus2/replicationProtectionContainers/pc-westus2"
	must[asr.ReplicationProtectionContainerMappingsClientCreateResponse](t, "mapping")(c.ContainerMappings().BeginCreate(ctx, vault, rg, "fabric-eastus", "pc-eastus", "map",
		asr.CreateProtectionContainerMappingInput{Properties: &asr.CreateProtectionContainerMappingInputProperties{
			PolicyID: pol.ID, TargetProtectionContainerID: &recoveryContainer,
			ProviderSpecificInput: &asr.A2AContainerMappingInput{InstanceType: emulatortest.Ptr("A2A")}}}, nil))
	recoveryNet := groupID("rg-recovery") + "/providers/Microsoft.Network/virtualNetworks/vnet-recovery"
	// Azure requires a cache (staging) account in the source region on
	// every managed disk: the site's, made as the provider makes it.
	vmID := groupID("rg-prod") + "/providers/Microsoft.Compute/virtualMachines/vm-web-1"
	cache, err := cacheaccount.Ensure(ctx, c, cacheaccount.Site{SubscriptionID: emulatortest.Subscription, ResourceGroup: rg, Name: "jobs"}, "eastus")
	if err != nil {
		t.Fatalf("cache account: %s", azure.Describe(err))
	}
	vm, err := c.VirtualMachines().Get(ctx, "rg-prod", "vm-web-1", nil)
	if err != nil {
		t.Fatalf("reading the VM: %s", azure.Describe(err))
	}
	disks := []*asr.A2AVMManagedDiskInputDetails{{DiskID: vm.Properties.StorageProfile.OSDisk.ManagedDisk.ID,
		RecoveryResourceGroupID: emulatortest.Ptr(groupID("rg-recovery")), PrimaryStagingAzureStorageAccountID: &cache}}
	for _, d := range vm.Properties.StorageProfile.DataDisks {
		disks = append(disks, &asr.A2AVMManagedDiskInputDetails{DiskID: d.ManagedDisk.ID,
			RecoveryResourceGroupID: emulatortest.Ptr(groupID("rg-recovery")), PrimaryStagingAzureStorageAccountID: &cache})
	}
	must[asr.ReplicationProtectedItemsClientCreateResponse](t, "enable")(c.ProtectedItems().BeginCreate(ctx, vault, rg, "fabric-eastus", "pc-eastus", "vm-web-1",
		asr.EnableProtectionInput{Properties: &asr.EnableProtectionInputProperties{PolicyID: pol.ID, ProviderSpecificDetails: &asr.A2AEnableProtectionInput{
			InstanceType:            emulatortest.Ptr("A2A"),
			FabricObjectID:          &vmID,
			RecoveryContainerID:     &recoveryContainer,
			VMManagedDisks:          disks,
			RecoveryResourceGroupID: emulatortest.Ptr(groupID("rg-recovery")),
			RecoveryAzureNetworkID:  &recoveryNet,
			RecoverySubnetName:      emulatortest.Ptr("web"),
		}}}, nil))
	emulatortest.Eventually(t, "the item to be protected with a recovery point", func() bool {
		it, err := c.ProtectedItems().Get(ctx, vault, rg, "fabric-eastus", "pc-eastus", "vm-web-1", nil)
		if err != nil || *it.Properties.ProtectionState != "Protected" {
			return false
		}
		pager := c.RecoveryPoints().NewListByReplicationProtectedItemsPager(vault, rg, "fabric-eastus", "pc-eastus", "vm-web-1", nil)
		page, err := pager.NextPage(ctx)
		return err == nil && len(page.Value) > 0
	})

	emulatortest.AddFault(t, srv.URL(), `{"kind":"outage","region":"westus2"}`)
	in := asr.TestFailoverInput{Properties: &asr.TestFailoverInputProperties{
		FailoverDirection: emulatortest.Ptr("PrimaryToRecovery"), NetworkType: emulatortest.Ptr("VmNetworkAsInput"), NetworkID: &recoveryNet,
		ProviderSpecificDetails: &asr.A2ATestFailoverInput{InstanceType: emulatortest.Ptr("A2A")}}}
	poller, started, err := azure.StartJob(ctx, func(ctx context.Context) (*runtime.Poller[asr.ReplicationProtectedItemsClientTestFailoverResponse], error) {
		return c.ProtectedItems().BeginTestFailover(ctx, vault, rg, "fabric-eastus", "pc-eastus", "vm-web-1", in, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if started.Name == "" || started.ID != vaultID+"/replicationJobs/"+started.Name {
		t.Fatalf("StartJob named %+v", started)
	}
	waitCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	_, err = azure.Wait(waitCtx, poller)
	if err == nil {
		t.Fatal("the test failover succeeded during an outage of the recovery region")
	}
	job, ok := azure.JobOf(err)
	if !ok {
		t.Fatalf("no job attached to %s", azure.Describe(err))
	}
	if job.Name != started.Name || !strings.EqualFold(job.ID, started.ID) || job.Scenario != "TestFailover" || job.State != "Failed" ||
		job.Code != "TestFailoverFailed" || !strings.Contains(job.Message, "westus2") || job.PossibleCauses == "" ||
		job.RecommendedAction == "" || job.Task == "" || job.Target != "vm-web-1" {
		t.Fatalf("job = %+v", job)
	}
	text := azure.Describe(err)
	t.Logf("the diagnostic:\n%s", text)
	for _, want := range []string{"Site Recovery job " + job.Name, "TestFailover", "TestFailoverFailed", "Possible causes: " + job.PossibleCauses,
		"Recommended action: " + job.RecommendedAction, "Job ID: " + job.ID, job.Task} {
		if !strings.Contains(text, want) {
			t.Fatalf("the diagnostic lacks %q:\n%s", want, text)
		}
	}

	// A refusal (409 before any work) has no job.
	_, refusedJob, err := azure.StartJob(ctx, func(ctx context.Context) (*runtime.Poller[asr.ReplicationProtectedItemsClientTestFailoverResponse], error) {
		return c.ProtectedItems().BeginTestFailover(ctx, vault, rg, "fabric-eastus", "pc-eastus", "vm-web-1", in, nil)
	})
	if e, ok := azure.ParseError(err); !ok || e.StatusCode != http.StatusConflict || e.Job != nil || refusedJob.Name != "" {
		t.Fatalf("a refused test failover: %v, job %+v", err, refusedJob)
	}
}
