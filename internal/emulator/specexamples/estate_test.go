package specexamples_test

import (
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/trafficmanager/armtrafficmanager"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// The estate every example's path names are mapped onto: one of each
// object the served operations address, in resource group rg-ex (eastus),
// with the A2A recovery side in westus2.
const (
	exGroup, exRecoveryGroup = "rg-ex", "rg-recovery"
	exVault                  = "vault-ex"
	exFabric, exRecFabric    = "fabric-eastus", "fabric-westus2"
	exContainer, exRecCont   = "pc-eastus", "pc-westus2"
	exPolicy, exMapping      = "policy-ex", "map-east-west"
	exNetwork, exNetMapping  = "azureNetwork", "nm-ex"
	exVM, exNIC              = "vm-ex", "vm-ex-nic"
	exVNet, exRecVNet        = "vnet-ex", "vnet-recovery"
	exSubnet, exPeerVNet     = "web", "vnet-peer"
	exNSG, exRule, exPeering = "nsg-ex", "rule-ex", "peer-ex"
	exProfile, exEndpoint    = "tm-ex", "ep-ex"
	exPlan                   = "plan-ex"
	exAccount                = "stexreplay"
	exBackMapping            = "map-west-east"
)

const estateSeed = `{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[
	{"name":"rg-ex","location":"eastus",
	 "virtualNetworks":[
		{"name":"vnet-ex","addressSpace":["10.1.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.1.1.0/24"}]},
		{"name":"vnet-peer","addressSpace":["10.5.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.5.1.0/24"}]}],
	 "virtualMachines":[{"name":"vm-ex","subnet":"vnet-ex/web"}]},
	{"name":"rg-recovery","location":"westus2",
	 "virtualNetworks":[{"name":"vnet-recovery","addressSpace":["10.2.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.2.1.0/24"}]}]}
]}]}`

// estateTimeScale runs Site Recovery's simulated minutes in milliseconds.
const estateTimeScale = 3000

func armID(parts ...string) string {
	id := "/subscriptions/" + emulatortest.Subscription
	for _, p := range parts {
		id += "/" + p
	}
	return id
}

func vaultID() string {
	return armID("resourceGroups", exGroup, "providers/Microsoft.RecoveryServices/vaults", exVault)
}

// estate is a running emulator holding the estate; item is the protected
// item's name (the VM's), point a recovery point of it.
type estate struct {
	srv   *emulator.Server
	point string
	job   string // a Site Recovery job, when the emulator serves them
	t     *testing.T
}

// managedDisks is the A2A per-disk input, with the cache account, once the
// emulator serves storage accounts (Azure requires
// primaryStagingAzureStorageAccountId on every managed disk); nil before.
func (e *estate) managedDisks(t *testing.T) []*asr.A2AVMManagedDiskInputDetails {
	if !e.serves("StorageAccounts_Create") {
		return nil
	}
	opts := emulatortest.ClientOptions(e.srv.URL())
	vms := must[*armcompute.VirtualMachinesClient](t, "VM client")(armcompute.NewVirtualMachinesClient(emulatortest.Subscription, emulatortest.Credential{}, opts))
	vm := must[armcompute.VirtualMachinesClientGetResponse](t, "the estate's VM")(vms.Get(emulatortest.Context(t), exGroup, exVM, nil))
	sp := vm.Properties.StorageProfile
	ids := []*string{sp.OSDisk.ManagedDisk.ID}
	for _, d := range sp.DataDisks {
		ids = append(ids, d.ManagedDisk.ID)
	}
	var out []*asr.A2AVMManagedDiskInputDetails
	for _, id := range ids {
		out = append(out, &asr.A2AVMManagedDiskInputDetails{DiskID: id,
			PrimaryStagingAzureStorageAccountID: emulatortest.Ptr(armID("resourceGroups", exGroup, "providers/Microsoft.Storage/storageAccounts", exAccount)),
			RecoveryResourceGroupID:             emulatortest.Ptr(armID("resourceGroups", exRecoveryGroup))})
	}
	return out
}

// serves reports whether the emulator routes the operation.
func (e *estate) serves(operation string) bool {
	for _, o := range e.srv.ServedOperations() {
		if o.Operation == operation {
			return true
		}
	}
	return false
}

// must fails the test when an estate step fails.
func must[T any](t *testing.T, what string) func(T, error) T {
	return emulatortest.Must[T](t, "estate: "+what)
}

func startEstate(t *testing.T) *estate {
	t.Helper()
	srv := emulatortest.Start(t, emulator.Options{TimeScale: estateTimeScale, SeedFile: emulatortest.WriteSeed(t, estateSeed)})
	e := &estate{srv: srv, t: t}
	ctx := emulatortest.Context(t)
	opts := emulatortest.ClientOptions(srv.URL())
	opts.Retry.MaxRetries = -1
	sub, cred := emulatortest.Subscription, emulatortest.Credential{}
	p := emulatortest.Ptr[string]

	nf := must[*armnetwork.ClientFactory](t, "network clients")(armnetwork.NewClientFactory(sub, cred, opts))
	nsg, err := nf.NewSecurityGroupsClient().BeginCreateOrUpdate(ctx, exGroup, exNSG, armnetwork.SecurityGroup{Location: p("eastus"),
		Properties: &armnetwork.SecurityGroupPropertiesFormat{SecurityRules: []*armnetwork.SecurityRule{
			emulatortest.Rule(exRule, 100, armnetwork.SecurityRuleDirectionInbound, "443")}}}, nil)
	must[armnetwork.SecurityGroupsClientCreateOrUpdateResponse](t, "NSG")(emulatortest.Done(t, nsg, err))
	peer, err := nf.NewVirtualNetworkPeeringsClient().BeginCreateOrUpdate(ctx, exGroup, exVNet, exPeering, armnetwork.VirtualNetworkPeering{
		Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{RemoteVirtualNetwork: &armnetwork.SubResource{
			ID: p(armID("resourceGroups", exGroup, "providers/Microsoft.Network/virtualNetworks", exPeerVNet))}}}, nil)
	must[armnetwork.VirtualNetworkPeeringsClientCreateOrUpdateResponse](t, "peering")(emulatortest.Done(t, peer, err))

	tf := must[*armtrafficmanager.ClientFactory](t, "traffic manager clients")(armtrafficmanager.NewClientFactory(sub, cred, opts))
	must[armtrafficmanager.ProfilesClientCreateOrUpdateResponse](t, "profile")(tf.NewProfilesClient().CreateOrUpdate(ctx, exGroup, exProfile, armtrafficmanager.Profile{
		Location: p("global"), Properties: &armtrafficmanager.ProfileProperties{
			TrafficRoutingMethod: emulatortest.Ptr(armtrafficmanager.TrafficRoutingMethodPriority),
			DNSConfig:            &armtrafficmanager.DNSConfig{RelativeName: p("tm-ex-spec-examples"), TTL: emulatortest.Ptr[int64](30)},
			MonitorConfig: &armtrafficmanager.MonitorConfig{Protocol: emulatortest.Ptr(armtrafficmanager.MonitorProtocolHTTP),
				Port: emulatortest.Ptr[int64](80), Path: p("/")}}}, nil))
	must[armtrafficmanager.EndpointsClientCreateOrUpdateResponse](t, "endpoint")(tf.NewEndpointsClient().CreateOrUpdate(ctx, exGroup, exProfile,
		armtrafficmanager.EndpointTypeExternalEndpoints, exEndpoint, armtrafficmanager.Endpoint{Properties: &armtrafficmanager.EndpointProperties{
			Target: p("www.example.com"), Priority: emulatortest.Ptr[int64](1)}}, nil))

	vc := must[*armrecoveryservices.VaultsClient](t, "vault client")(armrecoveryservices.NewVaultsClient(sub, cred, opts))
	vp, err := vc.BeginCreateOrUpdate(ctx, exGroup, exVault, armrecoveryservices.Vault{Location: p("eastus"),
		SKU: &armrecoveryservices.SKU{Name: emulatortest.Ptr(armrecoveryservices.SKUNameStandard)}, Properties: &armrecoveryservices.VaultProperties{}}, nil)
	must[armrecoveryservices.VaultsClientCreateOrUpdateResponse](t, "vault")(emulatortest.Done(t, vp, err))

	f := must[*asr.ClientFactory](t, "site recovery clients")(asr.NewClientFactory(sub, cred, opts))
	for fabric, region := range map[string]string{exFabric: "eastus", exRecFabric: "westus2"} {
		fp, err := f.NewReplicationFabricsClient().BeginCreate(ctx, exVault, exGroup, fabric, asr.FabricCreationInput{Properties: &asr.FabricCreationInputProperties{
			CustomDetails: &asr.AzureFabricCreationInput{InstanceType: p("Azure"), Location: p(region)}}}, nil)
		must[asr.ReplicationFabricsClientCreateResponse](t, "fabric")(emulatortest.Done(t, fp, err))
	}
	for fabric, container := range map[string]string{exFabric: exContainer, exRecFabric: exRecCont} {
		cp, err := f.NewReplicationProtectionContainersClient().BeginCreate(ctx, exVault, exGroup, fabric, container, asr.CreateProtectionContainerInput{
			Properties: &asr.CreateProtectionContainerInputProperties{ProviderSpecificInput: []asr.ReplicationProviderSpecificContainerCreationInputClassification{
				&asr.A2AContainerCreationInput{InstanceType: p("A2A")}}}}, nil)
		must[asr.ReplicationProtectionContainersClientCreateResponse](t, "container")(emulatortest.Done(t, cp, err))
	}
	pp, err := f.NewReplicationPoliciesClient().BeginCreate(ctx, exVault, exGroup, exPolicy, asr.CreatePolicyInput{Properties: &asr.CreatePolicyInputProperties{
		ProviderSpecificInput: &asr.A2APolicyCreationInput{InstanceType: p("A2A"), RecoveryPointHistory: emulatortest.Ptr[int32](1440),
			AppConsistentFrequencyInMinutes: emulatortest.Ptr[int32](240), CrashConsistentFrequencyInMinutes: emulatortest.Ptr[int32](5),
			MultiVMSyncStatus: emulatortest.Ptr(asr.SetMultiVMSyncStatusEnable)}}}, nil)
	must[asr.ReplicationPoliciesClientCreateResponse](t, "policy")(emulatortest.Done(t, pp, err))
	container := func(fabric, name string) string {
		return vaultID() + "/replicationFabrics/" + fabric + "/replicationProtectionContainers/" + name
	}
	// Both ways, as an A2A setup has them: re-protect replicates back.
	for _, m := range [][3]string{{exFabric, exContainer, exMapping}, {exRecFabric, exRecCont, exBackMapping}} {
		target := container(exRecFabric, exRecCont)
		if m[0] == exRecFabric {
			target = container(exFabric, exContainer)
		}
		mp, err := f.NewReplicationProtectionContainerMappingsClient().BeginCreate(ctx, exVault, exGroup, m[0], m[1], m[2],
			asr.CreateProtectionContainerMappingInput{Properties: &asr.CreateProtectionContainerMappingInputProperties{
				TargetProtectionContainerID: p(target), PolicyID: p(vaultID() + "/replicationPolicies/" + exPolicy),
				ProviderSpecificInput: &asr.A2AContainerMappingInput{InstanceType: p("A2A")}}}, nil)
		must[asr.ReplicationProtectionContainerMappingsClientCreateResponse](t, "container mapping "+m[2])(emulatortest.Done(t, mp, err))
	}
	nm, err := f.NewReplicationNetworkMappingsClient().BeginCreate(ctx, exVault, exGroup, exFabric, exNetwork, exNetMapping, asr.CreateNetworkMappingInput{
		Properties: &asr.CreateNetworkMappingInputProperties{RecoveryFabricName: p(exRecFabric),
			RecoveryNetworkID: p(armID("resourceGroups", exRecoveryGroup, "providers/Microsoft.Network/virtualNetworks", exRecVNet)),
			FabricSpecificDetails: &asr.AzureToAzureCreateNetworkMappingInput{InstanceType: p("AzureToAzure"),
				PrimaryNetworkID: p(armID("resourceGroups", exGroup, "providers/Microsoft.Network/virtualNetworks", exVNet))}}}, nil)
	must[asr.ReplicationNetworkMappingsClientCreateResponse](t, "network mapping")(emulatortest.Done(t, nm, err))

	if e.serves("StorageAccounts_Create") {
		sc := must[*armstorage.AccountsClient](t, "storage client")(armstorage.NewAccountsClient(sub, cred, opts))
		sp, err := sc.BeginCreate(ctx, exGroup, exAccount, armstorage.AccountCreateParameters{Location: p("eastus"),
			Kind: emulatortest.Ptr(armstorage.KindStorageV2), SKU: &armstorage.SKU{Name: emulatortest.Ptr(armstorage.SKUNameStandardLRS)}}, nil)
		must[armstorage.AccountsClientCreateResponse](t, "storage account")(emulatortest.Done(t, sp, err))
	}
	items := f.NewReplicationProtectedItemsClient()
	ip, err := items.BeginCreate(ctx, exVault, exGroup, exFabric, exContainer, exVM, asr.EnableProtectionInput{Properties: &asr.EnableProtectionInputProperties{
		PolicyID: p(vaultID() + "/replicationPolicies/" + exPolicy),
		ProviderSpecificDetails: &asr.A2AEnableProtectionInput{InstanceType: p("A2A"),
			FabricObjectID:          p(armID("resourceGroups", exGroup, "providers/Microsoft.Compute/virtualMachines", exVM)),
			RecoveryContainerID:     p(container(exRecFabric, exRecCont)),
			RecoveryResourceGroupID: p(armID("resourceGroups", exRecoveryGroup)),
			RecoveryAzureNetworkID:  p(armID("resourceGroups", exRecoveryGroup, "providers/Microsoft.Network/virtualNetworks", exRecVNet)),
			RecoverySubnetName:      p(exSubnet), VMManagedDisks: e.managedDisks(t)}}}, nil)
	must[asr.ReplicationProtectedItemsClientCreateResponse](t, "protected item")(emulatortest.Done(t, ip, err))
	points := f.NewRecoveryPointsClient()
	emulatortest.Eventually(t, "a recovery point of the estate's item", func() bool {
		page, err := points.NewListByReplicationProtectedItemsPager(exVault, exGroup, exFabric, exContainer, exVM, nil).NextPage(ctx)
		if err != nil || len(page.Value) == 0 {
			return false
		}
		e.point = *page.Value[0].Name
		return true
	})
	plp, err := f.NewReplicationRecoveryPlansClient().BeginCreate(ctx, exVault, exGroup, exPlan, asr.CreateRecoveryPlanInput{Properties: &asr.CreateRecoveryPlanInputProperties{
		PrimaryFabricID:  p(vaultID() + "/replicationFabrics/" + exFabric),
		RecoveryFabricID: p(vaultID() + "/replicationFabrics/" + exRecFabric),
		Groups: []*asr.RecoveryPlanGroup{{GroupType: emulatortest.Ptr(asr.RecoveryPlanGroupTypeBoot),
			ReplicationProtectedItems: []*asr.RecoveryPlanProtectedItem{{ID: p(container(exFabric, exContainer) + "/replicationProtectedItems/" + exVM),
				VirtualMachineID: p(armID("resourceGroups", exGroup, "providers/Microsoft.Compute/virtualMachines", exVM))}}}}}}, nil)
	must[asr.ReplicationRecoveryPlansClientCreateResponse](t, "recovery plan")(emulatortest.Done(t, plp, err))
	if e.serves("ReplicationJobs_List") {
		page := must[asr.ReplicationJobsClientListResponse](t, "jobs")(f.NewReplicationJobsClient().NewListPager(exVault, exGroup, nil).NextPage(ctx))
		if len(page.Value) > 0 {
			e.job = *page.Value[0].Name
		}
	}
	return e
}

// pathNames maps the SDK methods' path parameters onto the estate.
func (e *estate) pathNames() map[string]string {
	return map[string]string{
		"resourceGroupName": exGroup, "resourceName": exVault, "vaultName": exVault,
		"fabricName": exFabric, "protectionContainerName": exContainer, "mappingName": exMapping,
		"policyName": exPolicy, "networkName": exNetwork, "networkMappingName": exNetMapping,
		"replicatedProtectedItemName": exVM, "recoveryPointName": e.point, "recoveryPlanName": exPlan,
		"virtualNetworkName": exVNet, "subnetName": exSubnet, "virtualNetworkPeeringName": exPeering,
		"networkSecurityGroupName": exNSG, "securityRuleName": exRule, "defaultSecurityRuleName": "AllowVnetInBound",
		"networkInterfaceName": exNIC, "publicIPAddressName": exVM + "-pip", "vmName": exVM, "location": "eastus",
		"profileName": exProfile, "endpointName": exEndpoint, "accountName": exAccount, "jobName": e.job,
	}
}
