package siterecovery_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// The Recovery Services vault and the Site Recovery configuration objects,
// through the real armrecoveryservices and armrecoveryservicessiterecovery/v2
// clients and their pollers.

// srTimeScale runs the one-minute Site Recovery operations in 200 ms.
const srTimeScale = 300

type srClients struct {
	vaults     *armrecoveryservices.VaultsClient
	fabrics    *asr.ReplicationFabricsClient
	containers *asr.ReplicationProtectionContainersClient
	mappings   *asr.ReplicationProtectionContainerMappingsClient
	policies   *asr.ReplicationPoliciesClient
	netMaps    *asr.ReplicationNetworkMappingsClient
	net        emulatortest.NetClients
}

// srEnv is an emulator with group rg-dr (eastus) and the clients.
func srEnv(t *testing.T) (*emulator.Server, srClients) {
	t.Helper()
	t.Parallel()
	srv := emulatortest.Start(t, emulator.Options{TimeScale: srTimeScale})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-dr", "eastus", nil)
	opts := emulatortest.ClientOptions(srv.URL())
	opts.Retry.MaxRetries = -1
	vf, err := armrecoveryservices.NewClientFactory(emulatortest.Subscription, emulatortest.Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	f, err := asr.NewClientFactory(emulatortest.Subscription, emulatortest.Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return srv, srClients{vaults: vf.NewVaultsClient(), fabrics: f.NewReplicationFabricsClient(),
		containers: f.NewReplicationProtectionContainersClient(), mappings: f.NewReplicationProtectionContainerMappingsClient(),
		policies: f.NewReplicationPoliciesClient(), netMaps: f.NewReplicationNetworkMappingsClient(), net: emulatortest.NetworkClients(t, srv.URL())}
}

const vaultName = "vault-dr"

func vaultPrefix() string {
	return "/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/" + vaultName
}

func mustVault(t *testing.T, c srClients) armrecoveryservices.Vault {
	t.Helper()
	p, err := c.vaults.BeginCreateOrUpdate(emulatortest.Context(t), "rg-dr", vaultName, armrecoveryservices.Vault{
		Location: emulatortest.Ptr("eastus"), SKU: &armrecoveryservices.SKU{Name: emulatortest.Ptr(armrecoveryservices.SKUNameStandard)},
		Properties: &armrecoveryservices.VaultProperties{}}, nil)
	r, err := emulatortest.Done(t, p, err)
	if err != nil {
		t.Fatalf("creating the vault: %v", err)
	}
	return r.Vault
}

func createFabric(t *testing.T, c srClients, name, location string) (asr.Fabric, error) {
	t.Helper()
	p, err := c.fabrics.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", name, asr.FabricCreationInput{Properties: &asr.FabricCreationInputProperties{
		CustomDetails: &asr.AzureFabricCreationInput{InstanceType: emulatortest.Ptr("Azure"), Location: emulatortest.Ptr(location)}}}, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.Fabric, err
}

func createContainer(t *testing.T, c srClients, fabric, name string) (asr.ProtectionContainer, error) {
	t.Helper()
	p, err := c.containers.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", fabric, name, asr.CreateProtectionContainerInput{
		Properties: &asr.CreateProtectionContainerInputProperties{ProviderSpecificInput: []asr.ReplicationProviderSpecificContainerCreationInputClassification{
			&asr.A2AContainerCreationInput{InstanceType: emulatortest.Ptr("A2A")}}}}, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.ProtectionContainer, err
}

func a2aPolicy(history, app, crash int32) asr.CreatePolicyInput {
	return asr.CreatePolicyInput{Properties: &asr.CreatePolicyInputProperties{ProviderSpecificInput: &asr.A2APolicyCreationInput{
		InstanceType: emulatortest.Ptr("A2A"), RecoveryPointHistory: emulatortest.Ptr(history), AppConsistentFrequencyInMinutes: emulatortest.Ptr(app),
		CrashConsistentFrequencyInMinutes: emulatortest.Ptr(crash), MultiVMSyncStatus: emulatortest.Ptr(asr.SetMultiVMSyncStatusEnable)}}}
}

func createPolicy(t *testing.T, c srClients, name string, in asr.CreatePolicyInput) (asr.Policy, error) {
	t.Helper()
	p, err := c.policies.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", name, in, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.Policy, err
}

func createMapping(t *testing.T, c srClients, fabric, container, name, target, policy string) (asr.ProtectionContainerMapping, error) {
	t.Helper()
	p, err := c.mappings.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", fabric, container, name, asr.CreateProtectionContainerMappingInput{
		Properties: &asr.CreateProtectionContainerMappingInputProperties{TargetProtectionContainerID: emulatortest.Ptr(target), PolicyID: emulatortest.Ptr(policy),
			ProviderSpecificInput: &asr.A2AContainerMappingInput{InstanceType: emulatortest.Ptr("A2A")}}}, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.ProtectionContainerMapping, err
}

func createNetworkMapping(t *testing.T, c srClients, fabric, name, recoveryFabric, primaryNet, recoveryNet string) (asr.NetworkMapping, error) {
	t.Helper()
	p, err := c.netMaps.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", fabric, "azureNetwork", name, asr.CreateNetworkMappingInput{
		Properties: &asr.CreateNetworkMappingInputProperties{RecoveryFabricName: emulatortest.Ptr(recoveryFabric), RecoveryNetworkID: emulatortest.Ptr(recoveryNet),
			FabricSpecificDetails: &asr.AzureToAzureCreateNetworkMappingInput{InstanceType: emulatortest.Ptr("AzureToAzure"), PrimaryNetworkID: emulatortest.Ptr(primaryNet)}}}, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.NetworkMapping, err
}

// srTopology is the A2A configuration of two regions, mapped both ways.
type srTopology struct {
	primaryContainer, recoveryContainer asr.ProtectionContainer
	policy                              asr.Policy
	forward, back                       asr.ProtectionContainerMapping
}

func buildTopology(t *testing.T, c srClients) srTopology {
	t.Helper()
	mustVault(t, c)
	emulatortest.Must[asr.Fabric](t, "primary fabric")(createFabric(t, c, "fabric-eastus", "East US"))
	emulatortest.Must[asr.Fabric](t, "recovery fabric")(createFabric(t, c, "fabric-westus2", "westus2"))
	var top srTopology
	top.primaryContainer = emulatortest.Must[asr.ProtectionContainer](t, "primary container")(createContainer(t, c, "fabric-eastus", "pc-eastus"))
	top.recoveryContainer = emulatortest.Must[asr.ProtectionContainer](t, "recovery container")(createContainer(t, c, "fabric-westus2", "pc-westus2"))
	top.policy = emulatortest.Must[asr.Policy](t, "policy")(createPolicy(t, c, "policy-24h", a2aPolicy(1440, 240, 5)))
	top.forward = emulatortest.Must[asr.ProtectionContainerMapping](t, "forward mapping")(createMapping(t, c, "fabric-eastus", "pc-eastus", "map-east-west",
		*top.recoveryContainer.ID, *top.policy.ID))
	top.back = emulatortest.Must[asr.ProtectionContainerMapping](t, "back mapping")(createMapping(t, c, "fabric-westus2", "pc-westus2", "map-west-east",
		*top.primaryContainer.ID, *top.policy.ID))
	return top
}

func TestSiteRecoveryConfigurationWithTheSDK(t *testing.T) {
	_, c := srEnv(t)
	vault := mustVault(t, c)
	if *vault.ID != vaultPrefix() || *vault.Type != "Microsoft.RecoveryServices/vaults" || *vault.Location != "eastus" ||
		*vault.SKU.Name != armrecoveryservices.SKUNameStandard || *vault.Properties.ProvisioningState != "Succeeded" {
		t.Fatalf("vault = %+v", vault)
	}
	top := buildTopology(t, c)

	f, err := c.fabrics.Get(emulatortest.Context(t), vaultName, "rg-dr", "FABRIC-EASTUS", nil)
	if err != nil {
		t.Fatal(err)
	}
	details, ok := f.Properties.CustomDetails.(*asr.AzureFabricSpecificDetails)
	if !ok || *f.ID != vaultPrefix()+"/replicationFabrics/fabric-eastus" || *details.Location != "eastus" ||
		len(details.ContainerIDs) != 1 || *details.ContainerIDs[0] != *top.primaryContainer.ID ||
		*f.Properties.Health != "Normal" || f.Properties.HealthErrorDetails == nil || *f.Properties.FriendlyName != "fabric-eastus" {
		t.Fatalf("fabric = %+v, details %+v", f.Properties, details)
	}

	pc, err := c.containers.Get(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := pc.Properties; *p.PairingStatus != "Paired" || *p.ProtectedItemCount != 0 || *p.FabricFriendlyName != "fabric-eastus" ||
		*p.FabricType != "Azure" || *p.FriendlyName != "pc-eastus" {
		t.Fatalf("container = %+v", p)
	}

	m, err := c.mappings.Get(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "map-east-west", nil)
	if err != nil {
		t.Fatal(err)
	}
	mp := m.Properties
	if *mp.State != "Paired" || *mp.Health != "Normal" || *mp.TargetProtectionContainerID != *top.recoveryContainer.ID ||
		*mp.PolicyID != *top.policy.ID || *mp.PolicyFriendlyName != "policy-24h" || *mp.SourceFabricFriendlyName != "fabric-eastus" ||
		*mp.TargetFabricFriendlyName != "fabric-westus2" || *mp.SourceProtectionContainerFriendlyName != "pc-eastus" ||
		*mp.TargetProtectionContainerFriendlyName != "pc-westus2" {
		t.Fatalf("mapping = %+v", mp)
	}
	if d, ok := mp.ProviderSpecificDetails.(*asr.A2AProtectionContainerMappingDetails); !ok || *d.InstanceType != "A2A" {
		t.Fatalf("mapping details = %#v", mp.ProviderSpecificDetails)
	}

	pol, err := c.policies.Get(emulatortest.Context(t), vaultName, "rg-dr", "policy-24h", nil)
	if err != nil {
		t.Fatal(err)
	}
	pd, ok := pol.Properties.ProviderSpecificDetails.(*asr.A2APolicyDetails)
	if !ok || *pd.RecoveryPointHistory != 1440 || *pd.AppConsistentFrequencyInMinutes != 240 || *pd.CrashConsistentFrequencyInMinutes != 5 ||
		*pd.MultiVMSyncStatus != "Enable" || *pd.RecoveryPointThresholdInMinutes <= 0 {
		t.Fatalf("policy = %#v", pol.Properties.ProviderSpecificDetails)
	}

	// PATCH changes only what it names.
	up, err := c.policies.BeginUpdate(emulatortest.Context(t), vaultName, "rg-dr", "policy-24h", asr.UpdatePolicyInput{Properties: &asr.UpdatePolicyInputProperties{
		ReplicationProviderSettings: &asr.A2APolicyCreationInput{InstanceType: emulatortest.Ptr("A2A"), CrashConsistentFrequencyInMinutes: emulatortest.Ptr[int32](10),
			MultiVMSyncStatus: emulatortest.Ptr(asr.SetMultiVMSyncStatusDisable)}}}, nil)
	upd, err := emulatortest.Done(t, up, err)
	if err != nil {
		t.Fatal(err)
	}
	if pd := upd.Properties.ProviderSpecificDetails.(*asr.A2APolicyDetails); *pd.CrashConsistentFrequencyInMinutes != 10 ||
		*pd.RecoveryPointHistory != 1440 || *pd.MultiVMSyncStatus != "Disable" {
		t.Fatalf("updated policy = %+v", pd)
	}

	// Lists: by parent and by vault.
	names := func(ids []string) string { sort.Strings(ids); return strings.Join(ids, ",") }
	var got []string
	for p := c.fabrics.NewListPager(vaultName, "rg-dr", nil); p.More(); {
		page, err := p.NextPage(emulatortest.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range page.Value {
			got = append(got, *f.Name)
		}
	}
	if names(got) != "fabric-eastus,fabric-westus2" {
		t.Fatalf("fabrics = %v", got)
	}
	got = nil
	for p := c.mappings.NewListPager(vaultName, "rg-dr", nil); p.More(); {
		page, err := p.NextPage(emulatortest.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page.Value {
			got = append(got, *m.Name)
		}
	}
	if names(got) != "map-east-west,map-west-east" {
		t.Fatalf("mappings by vault = %v", got)
	}
	got = nil
	for p := c.containers.NewListPager(vaultName, "rg-dr", nil); p.More(); {
		page, err := p.NextPage(emulatortest.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, pc := range page.Value {
			got = append(got, *pc.Name)
		}
	}
	if names(got) != "pc-eastus,pc-westus2" {
		t.Fatalf("containers by vault = %v", got)
	}
	page, err := c.containers.NewListByReplicationFabricsPager(vaultName, "rg-dr", "fabric-westus2", nil).NextPage(emulatortest.Context(t))
	if err != nil || len(page.Value) != 1 || *page.Value[0].Name != "pc-westus2" {
		t.Fatalf("containers of fabric-westus2 = %v, %v", page.Value, err)
	}
	vaults, err := c.vaults.NewListBySubscriptionIDPager(nil).NextPage(emulatortest.Context(t))
	if err != nil || len(vaults.Value) != 1 || *vaults.Value[0].Name != vaultName {
		t.Fatalf("vaults = %v, %v", vaults.Value, err)
	}
}

func TestSiteRecoveryNetworkMappings(t *testing.T) {
	_, c := srEnv(t)
	buildTopology(t, c)
	east := emulatortest.VNetBody("10.1.0.0/16", [2]string{"app", "10.1.1.0/24"})
	east.Location = emulatortest.Ptr("eastus")
	west := emulatortest.VNetBody("10.2.0.0/16", [2]string{"app", "10.2.1.0/24"})
	west.Location = emulatortest.Ptr("westus2")
	eastNet := emulatortest.MustVNet(t, c.net, "rg-dr", "vnet-east", east)
	westNet := emulatortest.MustVNet(t, c.net, "rg-dr", "vnet-west", west)

	nm := emulatortest.Must[asr.NetworkMapping](t, "network mapping")(createNetworkMapping(t, c, "fabric-eastus", "nm-east-west", "fabric-westus2", *eastNet.ID, *westNet.ID))
	p := nm.Properties
	s, ok := p.FabricSpecificSettings.(*asr.AzureToAzureNetworkMappingSettings)
	if *p.State != "Paired" || *p.PrimaryNetworkID != *eastNet.ID || *p.RecoveryNetworkID != *westNet.ID ||
		*p.PrimaryNetworkFriendlyName != "vnet-east" || *p.RecoveryNetworkFriendlyName != "vnet-west" ||
		*p.RecoveryFabricArmID != vaultPrefix()+"/replicationFabrics/fabric-westus2" || *p.RecoveryFabricFriendlyName != "fabric-westus2" ||
		*p.PrimaryFabricFriendlyName != "fabric-eastus" || !ok || *s.PrimaryFabricLocation != "eastus" || *s.RecoveryFabricLocation != "westus2" {
		t.Fatalf("network mapping = %+v, settings %+v", p, s)
	}
	emulatortest.Must[asr.NetworkMapping](t, "back network mapping")(createNetworkMapping(t, c, "fabric-westus2", "nm-west-east", "fabric-eastus", *westNet.ID, *eastNet.ID))

	page, err := c.netMaps.NewListPager(vaultName, "rg-dr", nil).NextPage(emulatortest.Context(t))
	if err != nil || len(page.Value) != 2 {
		t.Fatalf("network mappings by vault = %v, %v", page.Value, err)
	}

	t.Run("validation", func(t *testing.T) {
		_, err := createNetworkMapping(t, c, "fabric-eastus", "nm-x", "fabric-nowhere", *eastNet.ID, *westNet.ID)
		emulatortest.WantARMError(t, err, http.StatusBadRequest, "FabricNotFound")
		_, err = createNetworkMapping(t, c, "fabric-eastus", "nm-x", "fabric-westus2", *eastNet.ID, *westNet.ID+"-missing")
		emulatortest.WantARMError(t, err, http.StatusBadRequest, "NetworkNotFound")
		_, err = createNetworkMapping(t, c, "fabric-eastus", "nm-x", "fabric-westus2", *westNet.ID, *westNet.ID)
		emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidNetworkLocation")
		_, err = createNetworkMapping(t, c, "fabric-eastus", "nm-dup", "fabric-westus2", *eastNet.ID, *westNet.ID)
		emulatortest.WantARMError(t, err, http.StatusConflict, "NetworkMappingAlreadyExists")
	})

	// A fabric that mappings replicate into cannot be removed.
	_, err = c.fabrics.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "fabric-westus2", nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "FabricInUse")

	dp, err := c.netMaps.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "azureNetwork", "nm-east-west", nil)
	if _, err := emulatortest.Done(t, dp, err); err != nil {
		t.Fatal(err)
	}
	_, err = c.netMaps.Get(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "azureNetwork", "nm-east-west", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
}

func TestSiteRecoveryRemovalAndConflicts(t *testing.T) {
	srv, c := srEnv(t)
	top := buildTopology(t, c)

	// A protected item (written here as the item type would) pins the
	// mapping it replicates through, its container, its fabric and the vault.
	item := *top.primaryContainer.ID + "/replicationProtectedItems/vm-web-1"
	if err := srv.PutRecordForTest(item, `{"id":"`+item+`","name":"vm-web-1","properties":{"recoveryContainerId":"`+*top.recoveryContainer.ID+`"}}`); err != nil {
		t.Fatal(err)
	}
	pc, err := c.containers.Get(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", nil)
	if err != nil || *pc.Properties.ProtectedItemCount != 1 {
		t.Fatalf("protectedItemCount = %v, %v", pc.Properties, err)
	}
	_, err = c.mappings.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "map-east-west", asr.RemoveProtectionContainerMappingInput{}, nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "ProtectionContainerMappingInUse")
	_, err = c.vaults.Delete(emulatortest.Context(t), "rg-dr", vaultName, nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "ServiceResourceNotEmpty")
	_, err = c.fabrics.BeginPurge(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "FabricHasProtectedItems")

	// The back mapping carries no item: it goes, through the SDK's poller.
	rp, err := c.mappings.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "fabric-westus2", "pc-westus2", "map-west-east", asr.RemoveProtectionContainerMappingInput{}, nil)
	if _, err := emulatortest.Done(t, rp, err); err != nil {
		t.Fatalf("removing the back mapping: %v", err)
	}
	_, err = c.mappings.Get(emulatortest.Context(t), vaultName, "rg-dr", "fabric-westus2", "pc-westus2", "map-west-east", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")

	// The policy is still used by the forward mapping; the container is paired.
	_, err = c.policies.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "policy-24h", nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "PolicyInUse")
	_, err = c.containers.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "fabric-westus2", "pc-westus2", nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "ProtectionContainerPaired")

	// A group holding the vault with a protected item cannot be deleted.
	gc := emulatortest.GroupsClient(t, srv.URL())
	gp, err := gc.BeginDelete(emulatortest.Context(t), "rg-dr", nil)
	if _, err := emulatortest.Done(t, gp, err); err == nil {
		t.Fatal("deleting the group with a protected item succeeded")
	}
	if _, err := c.vaults.Get(emulatortest.Context(t), "rg-dr", vaultName, nil); err != nil {
		t.Fatalf("the vault is gone after a refused group deletion: %v", err)
	}
}

func TestSiteRecoveryTeardownInOrder(t *testing.T) {
	_, c := srEnv(t)
	buildTopology(t, c)
	steps := []struct {
		what string
		run  func() error
	}{
		{"forward mapping", func() error {
			p, err := c.mappings.BeginPurge(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "map-east-west", nil)
			_, err = emulatortest.Done(t, p, err)
			return err
		}},
		{"back mapping", func() error {
			p, err := c.mappings.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "fabric-westus2", "pc-westus2", "map-west-east", asr.RemoveProtectionContainerMappingInput{}, nil)
			_, err = emulatortest.Done(t, p, err)
			return err
		}},
		{"policy", func() error {
			p, err := c.policies.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "policy-24h", nil)
			_, err = emulatortest.Done(t, p, err)
			return err
		}},
		{"container", func() error {
			p, err := c.containers.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "fabric-westus2", "pc-westus2", nil)
			_, err = emulatortest.Done(t, p, err)
			return err
		}},
		{"fabric with its container", func() error {
			p, err := c.fabrics.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", nil)
			_, err = emulatortest.Done(t, p, err)
			return err
		}},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			t.Fatalf("removing the %s: %v", s.what, err)
		}
	}
	_, err := c.containers.Get(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	_, err = c.policies.Get(emulatortest.Context(t), vaultName, "rg-dr", "policy-24h", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	if _, err := c.vaults.Delete(emulatortest.Context(t), "rg-dr", vaultName, nil); err != nil {
		t.Fatalf("deleting the vault: %v", err)
	}
	_, err = c.fabrics.Get(emulatortest.Context(t), vaultName, "rg-dr", "fabric-westus2", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
}

func TestSiteRecoveryGroupDeletionTakesTheVault(t *testing.T) {
	srv, c := srEnv(t)
	buildTopology(t, c)
	gp, err := emulatortest.GroupsClient(t, srv.URL()).BeginDelete(emulatortest.Context(t), "rg-dr", nil)
	if _, err := emulatortest.Done(t, gp, err); err != nil {
		t.Fatalf("deleting the group: %v", err)
	}
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-dr", "eastus", nil)
	_, err = c.vaults.Get(emulatortest.Context(t), "rg-dr", vaultName, nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	page, err := c.vaults.NewListBySubscriptionIDPager(nil).NextPage(emulatortest.Context(t))
	if err != nil || len(page.Value) != 0 {
		t.Fatalf("vaults after the group deletion = %v, %v", page.Value, err)
	}
}

func TestSiteRecoveryParentsAndValidation(t *testing.T) {
	_, c := srEnv(t)

	t.Run("vault rules", func(t *testing.T) {
		for _, name := range []string{"1vault", "v", strings.Repeat("v", 51), "vault_x"} {
			p, err := c.vaults.BeginCreateOrUpdate(emulatortest.Context(t), "rg-dr", name, armrecoveryservices.Vault{Location: emulatortest.Ptr("eastus"),
				SKU: &armrecoveryservices.SKU{Name: emulatortest.Ptr(armrecoveryservices.SKUNameStandard)}}, nil)
			_, err = emulatortest.Done(t, p, err)
			emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidResourceName")
		}
		p, err := c.vaults.BeginCreateOrUpdate(emulatortest.Context(t), "rg-dr", "vault-nosku", armrecoveryservices.Vault{Location: emulatortest.Ptr("eastus")}, nil)
		_, err = emulatortest.Done(t, p, err)
		emulatortest.WantARMError(t, err, http.StatusBadRequest, "BadRequest")
		p, err = c.vaults.BeginCreateOrUpdate(emulatortest.Context(t), "rg-missing", "vault-x", armrecoveryservices.Vault{Location: emulatortest.Ptr("eastus"),
			SKU: &armrecoveryservices.SKU{Name: emulatortest.Ptr(armrecoveryservices.SKUNameRS0)}}, nil)
		_, err = emulatortest.Done(t, p, err)
		emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")
	})

	t.Run("missing parents", func(t *testing.T) {
		_, err := createFabric(t, c, "fabric-eastus", "eastus")
		emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
		mustVault(t, c)
		_, err = createContainer(t, c, "fabric-nowhere", "pc")
		emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
		_, err = c.mappings.Get(emulatortest.Context(t), vaultName, "rg-dr", "fabric-nowhere", "pc", "m", nil)
		if err == nil || !strings.Contains(err.Error(), vaultName+"/replicationFabrics/fabric-nowhere") {
			t.Fatalf("404 does not name the missing fabric: %v", err)
		}
	})

	t.Run("policy values", func(t *testing.T) {
		cases := []struct {
			name              string
			history, app, crs int32
		}{
			{"history too long", 21601, 0, 5},
			{"app below an hour", 1440, 30, 5},
			{"app above twelve hours", 1440, 721, 5},
			{"app above history", 120, 180, 5},
			{"crash zero", 1440, 60, 0},
			{"crash above an hour", 1440, 60, 61},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := createPolicy(t, c, "policy-bad", a2aPolicy(tc.history, tc.app, tc.crs))
				emulatortest.WantARMError(t, err, http.StatusBadRequest, "BadRequest")
			})
		}
		if _, err := createPolicy(t, c, "policy-edge", a2aPolicy(21600, 720, 60)); err != nil {
			t.Fatalf("the limits themselves are allowed: %v", err)
		}
	})

	t.Run("mapping references", func(t *testing.T) {
		emulatortest.Must[asr.Fabric](t, "fabric")(createFabric(t, c, "fabric-eastus", "eastus"))
		_, err := createFabric(t, c, "fabric-eastus-2", "eastus")
		emulatortest.WantARMError(t, err, http.StatusConflict, "FabricAlreadyExists")
		emulatortest.Must[asr.Fabric](t, "fabric")(createFabric(t, c, "fabric-westus2", "westus2"))
		a := emulatortest.Must[asr.ProtectionContainer](t, "container")(createContainer(t, c, "fabric-eastus", "pc-a"))
		b := emulatortest.Must[asr.ProtectionContainer](t, "container")(createContainer(t, c, "fabric-eastus", "pc-b"))
		w := emulatortest.Must[asr.ProtectionContainer](t, "container")(createContainer(t, c, "fabric-westus2", "pc-w"))
		pol := emulatortest.Must[asr.Policy](t, "policy")(createPolicy(t, c, "policy-ok", a2aPolicy(1440, 0, 5)))
		_, err = createMapping(t, c, "fabric-eastus", "pc-a", "m", *w.ID, vaultPrefix()+"/replicationPolicies/none")
		emulatortest.WantARMError(t, err, http.StatusBadRequest, "PolicyNotFound")
		_, err = createMapping(t, c, "fabric-eastus", "pc-a", "m", *b.ID, *pol.ID)
		emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidTargetProtectionContainer")
		_, err = createMapping(t, c, "fabric-eastus", "pc-a", "m", *w.ID+"x", *pol.ID)
		emulatortest.WantARMError(t, err, http.StatusBadRequest, "ProtectionContainerNotFound")
		emulatortest.Must[asr.ProtectionContainerMapping](t, "mapping")(createMapping(t, c, "fabric-eastus", "pc-a", "m", *w.ID, *pol.ID))
		_, err = createMapping(t, c, "fabric-eastus", "pc-a", "m2", *w.ID, *pol.ID)
		emulatortest.WantARMError(t, err, http.StatusConflict, "ProtectionContainerMappingAlreadyExists")
		if got, err := c.containers.Get(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-a", nil); err != nil ||
			*got.ID != *a.ID || *got.Properties.Role != "Primary" {
			t.Fatalf("paired container = %+v, %v", got.Properties, err)
		}
	})
}

// A second write while the first runs is refused, as Azure serialises them.
func TestSiteRecoveryConcurrentWritesConflict(t *testing.T) {
	_, c := srEnv(t)
	mustVault(t, c)
	in := asr.FabricCreationInput{Properties: &asr.FabricCreationInputProperties{
		CustomDetails: &asr.AzureFabricCreationInput{InstanceType: emulatortest.Ptr("Azure"), Location: emulatortest.Ptr("eastus")}}}
	p, err := c.fabrics.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", in, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.fabrics.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", in, nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	if _, err := p.PollUntilDone(emulatortest.Context(t), nil); err != nil {
		t.Fatal(err)
	}
}
