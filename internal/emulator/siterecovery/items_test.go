package siterecovery_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

// Protected items and recovery points through the real
// armrecoveryservicessiterecovery/v2 clients, and the replication model as
// /_emulator/replication shows it.

// repTimeScale runs the 13 simulated minutes of enabling protection in
// about 0.65 s, a 5-minute recovery point cadence in 0.25 s and an hour in 3 s.
const repTimeScale = 1200

// repSeed: production VMs in eastus, a recovery group and networks in
// westus2, and the group of the vault (rg-dr, eastus).
const repSeed = `{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[
	{"name":"rg-prod","location":"eastus",
	 "virtualNetworks":[{"name":"vnet-prod","addressSpace":["10.1.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.1.1.0/24"}]}],
	 "virtualMachines":[
		{"name":"vm-web-1","subnet":"vnet-prod/web","size":"Standard_D2s_v5","dataDisks":[128]},
		{"name":"vm-web-2","subnet":"vnet-prod/web"},
		{"name":"vm-basic","subnet":"vnet-prod/web","size":"Standard_D2_v3"}
	]},
	{"name":"rg-west","location":"westus2","virtualMachines":[{"name":"vm-west"}]},
	{"name":"rg-recovery","location":"westus2",
	 "virtualNetworks":[
		{"name":"vnet-recovery","addressSpace":["10.2.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.2.1.0/24"},{"name":"app","addressPrefix":"10.2.2.0/24"}]},
		{"name":"vnet-recovery-2","addressSpace":["10.3.0.0/16"],"subnets":[{"name":"isolated","addressPrefix":"10.3.1.0/24"}]}
	]},
	{"name":"rg-dr","location":"eastus"}
]}]}`

type repEnv struct {
	srv     *emulator.Server
	c       srClients
	vms     *armcompute.VirtualMachinesClient
	items   *asr.ReplicationProtectedItemsClient
	points  *asr.RecoveryPointsClient
	top     srTopology
	dataDir string
}

func repVMID(group, name string) string {
	return "/subscriptions/" + emulatortest.Subscription + "/resourceGroups/" + group + "/providers/Microsoft.Compute/virtualMachines/" + name
}

func repGroupID(name string) string {
	return "/subscriptions/" + emulatortest.Subscription + "/resourceGroups/" + name
}

func repVNetID(group, name string) string {
	return repGroupID(group) + "/providers/Microsoft.Network/virtualNetworks/" + name
}

// startRep starts an emulator on dir (a new one when empty) with the seed
// and the clients; topology builds the vault, fabrics, containers, a policy
// (2 h retention, app-consistent hourly, crash-consistent every 5 min)
// and the mappings.
func startRep(t *testing.T, dir string, topology bool) *repEnv {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	srv := emulatortest.Start(t, emulator.Options{DataDir: dir, TimeScale: repTimeScale, SeedFile: emulatortest.WriteSeed(t, repSeed)})
	opts := emulatortest.ClientOptions(srv.URL())
	opts.Retry.MaxRetries = -1
	f, err := asr.NewClientFactory(emulatortest.Subscription, emulatortest.Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	c := srClientsFor(t, srv.URL())
	e := &repEnv{srv: srv, c: c, items: f.NewReplicationProtectedItemsClient(), points: f.NewRecoveryPointsClient(), dataDir: dir,
		vms: emulatortest.VMClient(t, srv.URL())}
	if topology {
		// The cache storage accounts: the source region's (rg-dr is in
		// eastus) and, for re-protect, the recovery region's.
		st := emulatortest.StorageClient(t, srv.URL(), emulatortest.Subscription)
		emulatortest.CreateStorageAccount(t, st, "rg-dr", repCacheEast, emulatortest.StorageAccountBody("eastus"))
		emulatortest.CreateStorageAccount(t, st, "rg-recovery", repCacheWest, emulatortest.StorageAccountBody("westus2"))
		mustVault(t, c)
		emulatortest.Must[asr.Fabric](t, "primary fabric")(createFabric(t, c, "fabric-eastus", "eastus"))
		emulatortest.Must[asr.Fabric](t, "recovery fabric")(createFabric(t, c, "fabric-westus2", "westus2"))
		e.top.primaryContainer = emulatortest.Must[asr.ProtectionContainer](t, "primary container")(createContainer(t, c, "fabric-eastus", "pc-eastus"))
		e.top.recoveryContainer = emulatortest.Must[asr.ProtectionContainer](t, "recovery container")(createContainer(t, c, "fabric-westus2", "pc-westus2"))
		e.top.policy = emulatortest.Must[asr.Policy](t, "policy")(createPolicy(t, c, "policy-1h", a2aPolicy(120, 60, 5)))
		e.top.forward = emulatortest.Must[asr.ProtectionContainerMapping](t, "mapping")(createMapping(t, c, "fabric-eastus", "pc-eastus", "map-east-west",
			*e.top.recoveryContainer.ID, *e.top.policy.ID))
	}
	return e
}

// srClientsFor is srEnv's clients without its group and parallelism.
func srClientsFor(t *testing.T, url string) srClients {
	t.Helper()
	opts := emulatortest.ClientOptions(url)
	opts.Retry.MaxRetries = -1
	f, err := asr.NewClientFactory(emulatortest.Subscription, emulatortest.Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	vf, err := armrecoveryservices.NewVaultsClient(emulatortest.Subscription, emulatortest.Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return srClients{vaults: vf, fabrics: f.NewReplicationFabricsClient(),
		containers: f.NewReplicationProtectionContainersClient(), mappings: f.NewReplicationProtectionContainerMappingsClient(),
		policies: f.NewReplicationPoliciesClient(), netMaps: f.NewReplicationNetworkMappingsClient(), net: emulatortest.NetworkClients(t, url)}
}

// The cache storage accounts startRep creates.
const (
	repCacheEast = "cacheeast0001"
	repCacheWest = "cachewest0001"
)

func repStorageID(group, name string) string {
	return repGroupID(group) + "/providers/Microsoft.Storage/storageAccounts/" + name
}

// managedDisks is vmManagedDisks for every disk of VM group/name, staged
// in the eastus cache account, into rg-recovery, with the source types.
func (e *repEnv) managedDisks(group, name string) []*asr.A2AVMManagedDiskInputDetails {
	vm, err := e.vms.Get(context.Background(), group, name, nil)
	if err != nil {
		return nil // the input names a VM that does not exist: no disks
	}
	var out []*asr.A2AVMManagedDiskInputDetails
	add := func(id *string) {
		out = append(out, &asr.A2AVMManagedDiskInputDetails{DiskID: id,
			PrimaryStagingAzureStorageAccountID: emulatortest.Ptr(repStorageID("rg-dr", repCacheEast)),
			RecoveryResourceGroupID:             emulatortest.Ptr(repGroupID("rg-recovery"))})
	}
	sp := vm.Properties.StorageProfile
	add(sp.OSDisk.ManagedDisk.ID)
	for _, d := range sp.DataDisks {
		add(d.ManagedDisk.ID)
	}
	return out
}

// enableInput protects VM group/name into the recovery network's subnet.
func (e *repEnv) enableInput(group, name, multiVMGroup string) asr.EnableProtectionInput {
	return asr.EnableProtectionInput{Properties: &asr.EnableProtectionInputProperties{
		PolicyID: e.top.policy.ID,
		ProviderSpecificDetails: &asr.A2AEnableProtectionInput{
			InstanceType:            emulatortest.Ptr("A2A"),
			FabricObjectID:          emulatortest.Ptr(repVMID(group, name)),
			RecoveryContainerID:     e.top.recoveryContainer.ID,
			RecoveryResourceGroupID: emulatortest.Ptr(repGroupID("rg-recovery")),
			RecoveryAzureNetworkID:  emulatortest.Ptr(repVNetID("rg-recovery", "vnet-recovery")),
			RecoverySubnetName:      emulatortest.Ptr("web"),
			MultiVMGroupName:        optional(multiVMGroup),
			VMManagedDisks:          e.managedDisks(group, name),
		}}}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (e *repEnv) enable(t *testing.T, item string, in asr.EnableProtectionInput) (asr.ReplicationProtectedItem, error) {
	t.Helper()
	p, err := e.items.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", item, in, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.ReplicationProtectedItem, err
}

func (e *repEnv) get(t *testing.T, item string) asr.ReplicationProtectedItem {
	t.Helper()
	r, err := e.items.Get(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", item, nil)
	if err != nil {
		t.Fatalf("GET %s: %v", item, err)
	}
	return r.ReplicationProtectedItem
}

func a2a(t *testing.T, it asr.ReplicationProtectedItem) *asr.A2AReplicationDetails {
	t.Helper()
	d, ok := it.Properties.ProviderSpecificDetails.(*asr.A2AReplicationDetails)
	if !ok {
		t.Fatalf("providerSpecificDetails = %T", it.Properties.ProviderSpecificDetails)
	}
	return d
}

func (e *repEnv) waitProtected(t *testing.T, item string) asr.ReplicationProtectedItem {
	t.Helper()
	var it asr.ReplicationProtectedItem
	emulatortest.Eventually(t, item+" protected", func() bool {
		it = e.get(t, item)
		return *it.Properties.ProtectionState == "Protected"
	})
	return it
}

// replicationAdmin is GET /_emulator/replication.
type replicationAdmin struct {
	Now   time.Time `json:"now"`
	Value []struct {
		ID             string                 `json:"id"`
		VMID           string                 `json:"vmId"`
		State          string                 `json:"state"`
		Health         string                 `json:"health"`
		RPOSeconds     *float64               `json:"rpoSeconds"`
		LagSeconds     float64                `json:"lagSeconds"`
		Paused         bool                   `json:"paused"`
		PrimaryData    *struct{ Version int } `json:"primaryDataVersion"`
		RecoveryData   *struct{ Version int } `json:"recoveryDataVersion"`
		RecoveryPoints []struct {
			Name        string                 `json:"name"`
			Time        time.Time              `json:"time"`
			Type        string                 `json:"type"`
			SyncType    string                 `json:"syncType"`
			DataVersion *struct{ Version int } `json:"dataVersion"`
		} `json:"recoveryPoints"`
	} `json:"value"`
	Pauses []struct {
		RuleID  string     `json:"ruleId"`
		From    time.Time  `json:"from"`
		To      *time.Time `json:"to"`
		EndedBy string     `json:"endedBy"`
	} `json:"pauses"`
}

func replicationState(t *testing.T, base string) replicationAdmin {
	t.Helper()
	var out replicationAdmin
	if resp := emulatortest.CallJSON(t, http.MethodGet, base+"/_emulator/replication", nil, &out); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /_emulator/replication: %d", resp.StatusCode)
	}
	return out
}

func addRule(t *testing.T, base, rule string) string {
	t.Helper()
	var out struct {
		ID string `json:"id"`
	}
	resp, raw := emulatortest.Call(t, http.MethodPost, base+"/_emulator/faults", rule, nil)
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(raw, &out) != nil {
		t.Fatalf("adding %s: %d %s", rule, resp.StatusCode, raw)
	}
	return out.ID
}

func writeCanary(t *testing.T, siteURL string) web.CanaryResult {
	t.Helper()
	resp, err := http.Post(siteURL+"canary", "text/plain", strings.NewReader("replication test"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	var out web.CanaryResult
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &out) != nil {
		t.Fatalf("canary: %d %s", resp.StatusCode, raw)
	}
	return out
}

func TestProtectedItemLifecycleWithTheSDK(t *testing.T) {
	t.Parallel()
	e := startRep(t, "", true)
	it, err := e.enable(t, "vm-web-1", e.enableInput("rg-prod", "vm-web-1", ""))
	if err != nil {
		t.Fatalf("enabling protection: %v", err)
	}
	p := it.Properties
	d := a2a(t, it)
	if *p.ProtectionState != "InitialReplicationInProgress" || *p.FriendlyName != "vm-web-1" || *d.MonitoringJobType != "InitialReplication" ||
		len(p.AllowedOperations) != 1 || *p.AllowedOperations[0] != "DisableProtection" || d.RpoInSeconds != nil {
		t.Fatalf("after enabling: %+v / %+v", p, d)
	}
	if !strings.EqualFold(*p.PolicyID, *e.top.policy.ID) || !strings.EqualFold(*p.RecoveryContainerID, *e.top.recoveryContainer.ID) ||
		*p.ActiveLocation != "Primary" || *p.TestFailoverState != "None" || *p.CurrentScenario.ScenarioName != "None" ||
		p.LastSuccessfulTestFailoverTime != nil || *p.PrimaryFabricFriendlyName == "" || *p.RecoveryProtectionContainerFriendlyName == "" {
		t.Fatalf("item properties: %+v", p)
	}
	if *d.FabricObjectID != repVMID("rg-prod", "vm-web-1") || *d.PrimaryFabricLocation != "eastus" || *d.RecoveryFabricLocation != "westus2" ||
		*d.RecoveryAzureVMName != "vm-web-1" || *d.RecoveryAzureVMSize != "Standard_D2s_v5" ||
		!strings.EqualFold(*d.SelectedRecoveryAzureNetworkID, repVNetID("rg-recovery", "vnet-recovery")) ||
		len(d.VMNics) != 1 || *d.VMNics[0].IPConfigs[0].RecoverySubnetName != "web" || *d.VMNics[0].IPConfigs[0].SubnetName != "web" ||
		len(d.ProtectedManagedDisks) != 2 {
		t.Fatalf("A2A details: %+v", d)
	}

	it = e.waitProtected(t, "vm-web-1")
	d = a2a(t, it)
	if *it.Properties.ReplicationHealth != "Normal" || len(it.Properties.HealthErrors) != 0 || strings.Join(allowed(it), ",") != "TestFailover,UnplannedFailover,DisableProtection" ||
		d.RpoInSeconds == nil || *d.RpoInSeconds > 60 || d.LastRpoCalculatedTime == nil || d.MonitoringJobType != nil {
		t.Fatalf("protected: %+v / %+v", it.Properties, d)
	}

	// Both lists show it.
	byContainer := e.items.NewListByReplicationProtectionContainersPager(vaultName, "rg-dr", "fabric-eastus", "pc-eastus", nil)
	page, err := byContainer.NextPage(emulatortest.Context(t))
	if err != nil || len(page.Value) != 1 || *page.Value[0].Name != "vm-web-1" {
		t.Fatalf("list by container: %v %+v", err, page.Value)
	}
	byVault, err := e.items.NewListPager(vaultName, "rg-dr", nil).NextPage(emulatortest.Context(t))
	if err != nil || len(byVault.Value) != 1 {
		t.Fatalf("list by vault: %v %+v", err, byVault.Value)
	}

	// Recovery points appear on the cadence, newest first, app-consistent
	// on the hour.
	var pts []*asr.RecoveryPoint
	emulatortest.Eventually(t, "recovery points up to an app-consistent one", func() bool {
		r, err := e.points.NewListByReplicationProtectedItemsPager(vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1", nil).NextPage(emulatortest.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		pts = r.Value
		for _, p := range pts {
			if p.Properties.RecoveryPointTime.Unix()%3600 == 0 {
				return len(pts) >= 3
			}
		}
		return false
	})
	sawApp := false
	for i, pt := range pts {
		tm := pt.Properties.RecoveryPointTime.UTC()
		if tm.Unix()%300 != 0 || (i > 0 && !tm.Before(*pts[i-1].Properties.RecoveryPointTime)) {
			t.Fatalf("point %d at %v (previous %v)", i, tm, pts[max(i-1, 0)].Properties.RecoveryPointTime)
		}
		want := "CrashConsistent"
		if tm.Unix()%3600 == 0 {
			want, sawApp = "AppConsistent", true
		}
		det, ok := pt.Properties.ProviderSpecificDetails.(*asr.A2ARecoveryPointDetails)
		if *pt.Properties.RecoveryPointType != want || !ok || *det.RecoveryPointSyncType != asr.RecoveryPointSyncTypePerVMRecoveryPoint ||
			*pt.Type != "Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems/recoveryPoints" {
			t.Fatalf("point %d: %+v %+v", i, pt.Properties, pt.Properties.ProviderSpecificDetails)
		}
	}
	if !sawApp {
		t.Fatalf("no app-consistent point among %d", len(pts))
	}
	one, err := e.points.Get(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1", *pts[1].Name, nil)
	if err != nil || !one.Properties.RecoveryPointTime.Equal(*pts[1].Properties.RecoveryPointTime) {
		t.Fatalf("GET point: %v %+v", err, one)
	}
	_, err = e.points.Get(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1", "00000000-0000-0000-0000-000000000000", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "RecoveryPointNotFound")

	// Update: size, network, NIC subnet.
	up, err := e.items.BeginUpdate(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1", asr.UpdateReplicationProtectedItemInput{
		Properties: &asr.UpdateReplicationProtectedItemInputProperties{
			RecoveryAzureVMSize:            emulatortest.Ptr("Standard_D4s_v5"),
			SelectedRecoveryAzureNetworkID: emulatortest.Ptr(repVNetID("rg-recovery", "vnet-recovery-2")),
			VMNics: []*asr.VMNicInputDetails{{NicID: d.VMNics[0].NicID,
				IPConfigs: []*asr.IPConfigInputDetails{{IPConfigName: emulatortest.Ptr("ipconfig1"), RecoverySubnetName: emulatortest.Ptr("isolated")}}}},
		}}, nil)
	updated, err := emulatortest.Done(t, up, err)
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	ud := a2a(t, updated.ReplicationProtectedItem)
	if *ud.RecoveryAzureVMSize != "Standard_D4s_v5" || !strings.HasSuffix(*ud.SelectedRecoveryAzureNetworkID, "vnet-recovery-2") ||
		*ud.VMNics[0].IPConfigs[0].RecoverySubnetName != "isolated" {
		t.Fatalf("after update: %+v", ud)
	}
	_, err = e.items.BeginUpdate(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1", asr.UpdateReplicationProtectedItemInput{
		Properties: &asr.UpdateReplicationProtectedItemInputProperties{SelectedRecoveryAzureNetworkID: emulatortest.Ptr(repVNetID("rg-prod", "vnet-prod"))}}, nil)
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "RecoveryNetworkNotInRecoveryRegion")

	// Disable protection: the item is gone when the job ends.
	dp, err := e.items.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1", asr.DisableProtectionInput{
		Properties: &asr.DisableProtectionInputProperties{DisableProtectionReason: emulatortest.Ptr(asr.DisableProtectionReasonNotSpecified)}}, nil)
	if _, err := emulatortest.Done(t, dp, err); err != nil {
		t.Fatalf("disable: %v", err)
	}
	_, err = e.items.Get(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
}

func TestPurgeRemovesAnItem(t *testing.T) {
	t.Parallel()
	e := startRep(t, "", true)
	if _, err := e.enable(t, "item-2", e.enableInput("rg-prod", "vm-web-2", "")); err != nil {
		t.Fatal(err)
	}
	p, err := e.items.BeginPurge(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "item-2", nil)
	if _, err := emulatortest.Done(t, p, err); err != nil {
		t.Fatalf("purge: %v", err)
	}
	if r, _ := emulatortest.Call(t, http.MethodGet, e.srv.URL()+vaultPrefix()+"/replicationProtectedItems?api-version=2023-06-01", nil, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("list: %d", r.StatusCode)
	}
	if s := replicationState(t, e.srv.URL()); len(s.Value) != 0 {
		t.Fatalf("items after purge: %+v", s.Value)
	}
}

func TestACanaryWriteReachesTheFirstRecoveryPointOneLagLater(t *testing.T) {
	t.Parallel()
	e := startRep(t, "", true)
	if _, err := e.enable(t, "vm-web-1", e.enableInput("rg-prod", "vm-web-1", "")); err != nil {
		t.Fatal(err)
	}
	e.waitProtected(t, "vm-web-1")
	w := writeCanary(t, emulatortest.VMSites(t, e.srv.URL())["vm-web-1"].URL)
	if w.Version != 2 {
		t.Fatalf("canary wrote %+v", w)
	}
	arrival := w.WrittenAt.Add(30 * time.Second)
	var s replicationAdmin
	emulatortest.Eventually(t, "a recovery point after the write", func() bool {
		s = replicationState(t, e.srv.URL())
		return len(s.Value) == 1 && len(s.Value[0].RecoveryPoints) > 0 && !s.Value[0].RecoveryPoints[0].Time.Before(arrival)
	})
	item := s.Value[0]
	if item.PrimaryData.Version != 2 || item.RecoveryData == nil || item.RecoveryData.Version != 2 || item.LagSeconds != 30 {
		t.Fatalf("item: %+v", item)
	}
	for _, p := range item.RecoveryPoints {
		want := 1
		if !p.Time.Before(arrival) {
			want = 2
		}
		if p.DataVersion == nil || p.DataVersion.Version != want {
			t.Fatalf("point at %v (write at %v) carries %+v, want %d", p.Time, w.WrittenAt, p.DataVersion, want)
		}
	}
}

func TestReplicationPausesMakeHealthCriticalAndRPOGrow(t *testing.T) {
	t.Parallel()
	e := startRep(t, "", true)
	for _, vm := range []string{"vm-web-1", "vm-web-2"} {
		if _, err := e.enable(t, vm, e.enableInput("rg-prod", vm, "")); err != nil {
			t.Fatal(err)
		}
	}
	e.waitProtected(t, "vm-web-1")
	e.waitProtected(t, "vm-web-2")

	// One VM paused: Critical, with a health error saying why, and its RPO
	// grows across reads; the other VM is untouched.
	rule := addRule(t, e.srv.URL(), `{"kind":"replicationPause","vmId":"`+strings.ToUpper(repVMID("rg-prod", "vm-web-1"))+`"}`)
	var first int64
	emulatortest.Eventually(t, "vm-web-1 critical", func() bool {
		it := e.get(t, "vm-web-1")
		if *it.Properties.ReplicationHealth != "Critical" {
			return false
		}
		he := it.Properties.HealthErrors
		if len(he) != 1 || !strings.Contains(*he[0].ErrorMessage, "paused") || !strings.Contains(*he[0].ErrorMessage, rule) ||
			*he[0].ErrorLevel != "Error" || *he[0].PossibleCauses == "" || *he[0].RecommendedAction == "" || he[0].CreationTimeUTC == nil {
			t.Fatalf("health errors: %+v", he)
		}
		first = *a2a(t, it).RpoInSeconds
		return true
	})
	emulatortest.Eventually(t, "the RPO to grow", func() bool {
		return *a2a(t, e.get(t, "vm-web-1")).RpoInSeconds > first+120
	})
	if other := e.get(t, "vm-web-2"); *other.Properties.ReplicationHealth != "Normal" {
		t.Fatalf("vm-web-2 is %s", *other.Properties.ReplicationHealth)
	}
	if r, _ := emulatortest.Call(t, http.MethodDelete, e.srv.URL()+"/_emulator/faults/"+rule, nil, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("removing the rule: %d", r.StatusCode)
	}
	emulatortest.Eventually(t, "vm-web-1 to recover", func() bool {
		it := e.get(t, "vm-web-1")
		return *it.Properties.ReplicationHealth == "Normal" && *a2a(t, it).RpoInSeconds <= 60
	})

	// The region paused: both VMs.
	addRule(t, e.srv.URL(), `{"kind":"replicationPause","region":"East US"}`)
	emulatortest.Eventually(t, "both critical", func() bool {
		s := replicationState(t, e.srv.URL())
		return len(s.Value) == 2 && s.Value[0].Health == "Critical" && s.Value[1].Health == "Critical" && s.Value[0].Paused
	})
	if r, _ := emulatortest.Call(t, http.MethodDelete, e.srv.URL()+"/_emulator/faults", nil, nil); r.StatusCode != http.StatusNoContent {
		t.Fatal("clearing faults")
	}
	emulatortest.Eventually(t, "both normal", func() bool {
		s := replicationState(t, e.srv.URL())
		return s.Value[0].Health == "Normal" && s.Value[1].Health == "Normal"
	})

	// A region outage pauses replication too (ARM in eastus is down: read
	// the admin API, which faults never touch).
	outage := addRule(t, e.srv.URL(), `{"kind":"outage","region":"eastus"}`)
	var rpo float64
	emulatortest.Eventually(t, "outage pauses", func() bool {
		s := replicationState(t, e.srv.URL())
		if s.Value[0].Paused && s.Value[0].RPOSeconds != nil {
			rpo = *s.Value[0].RPOSeconds
			return true
		}
		return false
	})
	emulatortest.Eventually(t, "outage RPO grows", func() bool {
		return *replicationState(t, e.srv.URL()).Value[0].RPOSeconds > rpo
	})
	// A flaky outage does not pause.
	addRule(t, e.srv.URL(), `{"kind":"outage","region":"westus2","rate":0.5}`)
	emulatortest.Call(t, http.MethodDelete, e.srv.URL()+"/_emulator/faults/"+outage, nil, nil)
	emulatortest.Eventually(t, "outage over", func() bool { return !replicationState(t, e.srv.URL()).Value[0].Paused })
	s := replicationState(t, e.srv.URL())
	if len(s.Pauses) != 3 {
		t.Fatalf("pause history: %+v", s.Pauses)
	}
	for _, p := range s.Pauses {
		if p.To == nil || (p.EndedBy != "removed" && p.EndedBy != "cleared") {
			t.Fatalf("pause left open: %+v", p)
		}
	}
}

func TestReplicationPauseRuleValidationThroughTheAdminAPI(t *testing.T) {
	t.Parallel()
	srv := emulatortest.Start(t, emulator.Options{})
	for body, want := range map[string]string{
		`{"kind":"replicationPause"}`:                             `vmId`,
		`{"kind":"replicationPause","vmId":"vm1"}`:                `not a virtual machine id`,
		`{"kind":"replicationPause","region":"eastus","count":1}`: `count`,
	} {
		resp, raw := emulatortest.Call(t, http.MethodPost, srv.URL()+"/_emulator/faults", body, nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(raw), want) {
			t.Errorf("%s: %d %s", body, resp.StatusCode, raw)
		}
	}
}

func TestEnableProtectionValidation(t *testing.T) {
	t.Parallel()
	e := startRep(t, "", true)
	if _, err := e.enable(t, "vm-web-1", e.enableInput("rg-prod", "vm-web-1", "")); err != nil {
		t.Fatal(err)
	}
	other := emulatortest.Must[asr.Policy](t, "other policy")(createPolicy(t, e.c, "policy-other", a2aPolicy(60, 0, 5)))
	mod := func(f func(*asr.A2AEnableProtectionInput, *asr.EnableProtectionInputProperties)) asr.EnableProtectionInput {
		in := e.enableInput("rg-prod", "vm-web-2", "")
		f(in.Properties.ProviderSpecificDetails.(*asr.A2AEnableProtectionInput), in.Properties)
		return in
	}
	cases := []struct {
		name   string
		in     asr.EnableProtectionInput
		status int
		code   string
	}{
		{"missing VM", mod(func(a *asr.A2AEnableProtectionInput, _ *asr.EnableProtectionInputProperties) {
			a.FabricObjectID = emulatortest.Ptr(repVMID("rg-prod", "vm-nope"))
		}), 404, "ResourceNotFound"},
		{"VM in another region", mod(func(a *asr.A2AEnableProtectionInput, _ *asr.EnableProtectionInputProperties) {
			a.FabricObjectID = emulatortest.Ptr(repVMID("rg-west", "vm-west"))
		}), 400, "VmNotInPrimaryFabricRegion"},
		{"already protected", mod(func(a *asr.A2AEnableProtectionInput, _ *asr.EnableProtectionInputProperties) {
			a.FabricObjectID = emulatortest.Ptr(repVMID("rg-prod", "vm-web-1"))
		}), 409, "VmAlreadyProtected"},
		{"no mapping", mod(func(a *asr.A2AEnableProtectionInput, _ *asr.EnableProtectionInputProperties) {
			a.RecoveryContainerID = e.top.primaryContainer.ID
		}), 400, "ProtectionContainerMappingNotFound"},
		{"policy of no mapping", mod(func(_ *asr.A2AEnableProtectionInput, p *asr.EnableProtectionInputProperties) {
			p.PolicyID = other.ID
		}), 400, "PolicyNotAssociatedWithContainerMapping"},
		{"recovery group missing", mod(func(a *asr.A2AEnableProtectionInput, _ *asr.EnableProtectionInputProperties) {
			a.RecoveryResourceGroupID = emulatortest.Ptr(repGroupID("rg-nope"))
		}), 400, "RecoveryResourceGroupNotFound"},
		{"network in the primary region", mod(func(a *asr.A2AEnableProtectionInput, _ *asr.EnableProtectionInputProperties) {
			a.RecoveryAzureNetworkID = emulatortest.Ptr(repVNetID("rg-prod", "vnet-prod"))
		}), 400, "RecoveryNetworkNotInRecoveryRegion"},
		{"network missing", mod(func(a *asr.A2AEnableProtectionInput, _ *asr.EnableProtectionInputProperties) {
			a.RecoveryAzureNetworkID = emulatortest.Ptr(repVNetID("rg-recovery", "vnet-nope"))
		}), 400, "RecoveryNetworkNotFound"},
		{"subnet missing", mod(func(a *asr.A2AEnableProtectionInput, _ *asr.EnableProtectionInputProperties) {
			a.RecoverySubnetName = emulatortest.Ptr("db")
		}), 400, "RecoverySubnetNotFound"},
		{"disk of another VM", mod(func(a *asr.A2AEnableProtectionInput, _ *asr.EnableProtectionInputProperties) {
			a.VMManagedDisks = []*asr.A2AVMManagedDiskInputDetails{{DiskID: emulatortest.Ptr(repGroupID("rg-prod") + "/providers/Microsoft.Compute/disks/vm-web-1-osdisk")}}
		}), 400, "DiskNotAttachedToVm"},
		{"bad zone", mod(func(a *asr.A2AEnableProtectionInput, _ *asr.EnableProtectionInputProperties) {
			a.RecoveryAvailabilityZone = emulatortest.Ptr("7")
		}), 400, "BadRequest"},
	}
	for _, tc := range cases {
		_, err := e.items.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-2", tc.in, nil)
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		wantARMErrorNamed(t, tc.name, err, tc.status, tc.code)
	}
	// The same item name twice, and a missing container.
	_, err := e.items.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1", e.enableInput("rg-prod", "vm-web-2", ""), nil)
	wantARMErrorNamed(t, "existing item", err, 409, "ReplicationProtectedItemAlreadyExists")
	_, err = e.items.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-nope", "x", e.enableInput("rg-prod", "vm-web-2", ""), nil)
	wantARMErrorNamed(t, "missing container", err, 404, "ResourceNotFound")
	// Only A2A.
	resp, raw := emulatortest.Call(t, http.MethodPut, e.srv.URL()+vaultPrefix()+"/replicationFabrics/fabric-eastus/replicationProtectionContainers/pc-eastus/replicationProtectedItems/x?api-version=2023-06-01",
		`{"properties":{"policyId":"`+*e.top.policy.ID+`","providerSpecificDetails":{"instanceType":"HyperVReplicaAzure"}}}`, nil)
	if resp.StatusCode != 400 || !strings.Contains(string(raw), "A2A") {
		t.Fatalf("HyperV input: %d %s", resp.StatusCode, raw)
	}
}

func wantARMErrorNamed(t *testing.T, name string, err error, status int, code string) {
	t.Helper()
	t.Run(name, func(t *testing.T) { emulatortest.WantARMError(t, err, status, code) })
}

func TestMultiVMGroupMembersShareRecoveryPointTimes(t *testing.T) {
	t.Parallel()
	e := startRep(t, "", true)
	for _, vm := range []string{"vm-web-1", "vm-web-2"} {
		if _, err := e.enable(t, vm, e.enableInput("rg-prod", vm, "web-tier")); err != nil {
			t.Fatal(err)
		}
	}
	var s replicationAdmin
	emulatortest.Eventually(t, "points on both", func() bool {
		s = replicationState(t, e.srv.URL())
		return len(s.Value) == 2 && len(s.Value[0].RecoveryPoints) >= 2 && len(s.Value[1].RecoveryPoints) >= 2
	})
	a, b := s.Value[0].RecoveryPoints, s.Value[1].RecoveryPoints
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if !a[i].Time.Equal(b[i].Time) || a[i].SyncType != "MultiVmSyncRecoveryPoint" || a[i].Name == b[i].Name {
			t.Fatalf("point %d: %+v vs %+v", i, a[i], b[i])
		}
	}
	it := e.get(t, "vm-web-1")
	if d := a2a(t, it); *d.MultiVMGroupName != "web-tier" || *d.MultiVMGroupID == "" || *d.MultiVMGroupID != *a2a(t, e.get(t, "vm-web-2")).MultiVMGroupID {
		t.Fatalf("multi-VM group: %+v", d)
	}
}

func TestProtectedItemsAndPauseHistorySurviveARestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := startRep(t, dir, true)
	if _, err := e.enable(t, "vm-web-1", e.enableInput("rg-prod", "vm-web-1", "")); err != nil {
		t.Fatal(err)
	}
	e.waitProtected(t, "vm-web-1")
	vm := repVMID("rg-prod", "vm-web-1")
	closed := addRule(t, e.srv.URL(), `{"kind":"replicationPause","vmId":"`+vm+`"}`)
	emulatortest.Call(t, http.MethodDelete, e.srv.URL()+"/_emulator/faults/"+closed, nil, nil)
	open := addRule(t, e.srv.URL(), `{"kind":"replicationPause","vmId":"`+vm+`"}`)
	if s := replicationState(t, e.srv.URL()); !s.Value[0].Paused {
		t.Fatal("not paused")
	}
	before := e.get(t, "vm-web-1")
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}

	again := startRep(t, dir, false)
	again.top = e.top
	after := again.get(t, "vm-web-1")
	if *after.ID != *before.ID || *after.Properties.ProtectionState != "Protected" {
		t.Fatalf("after restart: %+v", after.Properties)
	}
	s := replicationState(t, again.srv.URL())
	if len(s.Pauses) != 2 {
		t.Fatalf("pauses: %+v", s.Pauses)
	}
	ended := map[string]string{}
	for _, p := range s.Pauses {
		if p.To == nil {
			t.Fatalf("open pause after restart: %+v", p)
		}
		ended[p.RuleID] = p.EndedBy
	}
	if ended[closed] != "removed" || ended[open] != "restart" {
		t.Fatalf("ended by: %v", ended)
	}
	emulatortest.Eventually(t, "healthy after restart", func() bool {
		it := again.get(t, "vm-web-1")
		return *it.Properties.ReplicationHealth == "Normal" && *a2a(t, it).RpoInSeconds <= 60
	})
}
