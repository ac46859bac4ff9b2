package siterecovery_test

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// Test failover and its cleanup through the real
// armrecoveryservicessiterecovery/v2 clients: the test VM, its NIC and
// public IP (armcompute, armnetwork), its site over HTTP, and the item's
// test failover state machine.

// tfoSites reads /_emulator/vms through the admin client's type, by VM
// name and by lower-cased id.
func tfoSites(t *testing.T, base string) map[string]admin.VM {
	t.Helper()
	var out struct {
		Value []admin.VM `json:"value"`
	}
	if resp := emulatortest.CallJSON(t, http.MethodGet, base+"/_emulator/vms", nil, &out); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /_emulator/vms: %d", resp.StatusCode)
	}
	sites := map[string]admin.VM{}
	for _, s := range out.Value {
		sites[s.Name] = s
		sites[strings.ToLower(s.ID)] = s
	}
	return sites
}

// siteOfVM is the /_emulator/vms entry of a VM by id (zero when absent).
func siteOfVM(t *testing.T, base, id string) admin.VM {
	t.Helper()
	return tfoSites(t, base)[strings.ToLower(id)]
}

// tfoEnv is a protected estate with an isolated test network in the
// recovery region ("vnet-drill", subnet "web" like the items' recovery
// subnet).
type tfoEnv struct {
	*repEnv
	pips *armnetwork.PublicIPAddressesClient
}

const drillNet = "vnet-drill"

func startTFO(t *testing.T, dir string, items ...string) *tfoEnv {
	t.Helper()
	e := &tfoEnv{repEnv: startRep(t, dir, true)}
	emulatortest.MustVNet(t, e.c.net, "rg-recovery", drillNet, armnetwork.VirtualNetwork{
		Location: emulatortest.Ptr("westus2"),
		Properties: &armnetwork.VirtualNetworkPropertiesFormat{
			AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{emulatortest.Ptr("10.9.0.0/16")}},
			Subnets:      []*armnetwork.Subnet{{Name: emulatortest.Ptr("web"), Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: emulatortest.Ptr("10.9.1.0/24")}}},
		}})
	e.pipsClient(t)
	for _, item := range items {
		if _, err := e.enable(t, item, e.enableInput("rg-prod", item, "")); err != nil {
			t.Fatalf("enabling %s: %v", item, err)
		}
	}
	for _, item := range items {
		e.waitProtected(t, item)
		emulatortest.Eventually(t, item+"'s first recovery point", func() bool { return len(pointsWithVersions(t, e.srv.URL(), item)) > 0 })
	}
	return e
}

func (e *tfoEnv) pipsClient(t *testing.T) {
	t.Helper()
	c, err := armnetwork.NewPublicIPAddressesClient(emulatortest.Subscription, emulatortest.Credential{}, emulatortest.ClientOptions(e.srv.URL()))
	if err != nil {
		t.Fatal(err)
	}
	e.pips = c
}

func tfoInput(network, pointID string) asr.TestFailoverInput {
	d := &asr.A2ATestFailoverInput{InstanceType: emulatortest.Ptr("A2A")}
	if pointID != "" {
		d.RecoveryPointID = &pointID
	}
	return asr.TestFailoverInput{Properties: &asr.TestFailoverInputProperties{
		FailoverDirection:       emulatortest.Ptr("PrimaryToRecovery"),
		NetworkType:             emulatortest.Ptr("VmNetworkAsInput"),
		NetworkID:               emulatortest.Ptr(network),
		ProviderSpecificDetails: d,
	}}
}

func (e *tfoEnv) testFailover(t *testing.T, item, pointID string) (asr.ReplicationProtectedItem, error) {
	t.Helper()
	p, err := e.items.BeginTestFailover(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", item,
		tfoInput(repVNetID("rg-recovery", drillNet), pointID), nil)
	r, err := emulatortest.Done(t, p, err)
	return r.ReplicationProtectedItem, err
}

func (e *tfoEnv) cleanup(t *testing.T, item string) (asr.ReplicationProtectedItem, error) {
	t.Helper()
	p, err := e.items.BeginTestFailoverCleanup(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", item,
		asr.TestFailoverCleanupInput{Properties: &asr.TestFailoverCleanupInputProperties{Comments: emulatortest.Ptr("drill done")}}, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.ReplicationProtectedItem, err
}

// pointsWithVersions are the item's recovery points (newest first) with
// the data version each carries, from /_emulator/replication.
func pointsWithVersions(t *testing.T, base, item string) []struct {
	Name    string
	Version int
} {
	t.Helper()
	var out []struct {
		Name    string
		Version int
	}
	for _, it := range replicationState(t, base).Value {
		if !strings.HasSuffix(strings.ToLower(it.ID), "/"+strings.ToLower(item)) {
			continue
		}
		for _, p := range it.RecoveryPoints {
			v := 0
			if p.DataVersion != nil {
				v = p.DataVersion.Version
			}
			out = append(out, struct {
				Name    string
				Version int
			}{p.Name, v})
		}
	}
	return out
}

// siteVersion fetches a site at ip:port and returns its data version
// header (0 and false when it does not answer).
func siteVersion(t *testing.T, ip string, port int) (int, string, bool) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get("http://" + net.JoinHostPort(ip, strconv.Itoa(port)) + "/")
	if err != nil {
		return 0, "", false
	}
	defer func() { _ = resp.Body.Close() }()
	v, _ := strconv.Atoi(resp.Header.Get("X-Azuredr-Data-Version"))
	return v, resp.Header.Get("X-Azuredr-Role"), resp.StatusCode == http.StatusOK
}

func tfoState(it asr.ReplicationProtectedItem) string { return *it.Properties.TestFailoverState }

func allowed(it asr.ReplicationProtectedItem) []string {
	var out []string
	for _, o := range it.Properties.AllowedOperations {
		out = append(out, *o)
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestTestFailoverAtAnOlderPointAndCleanup(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1")
	base := e.srv.URL()
	item := "vm-web-1"
	itemID := *e.get(t, item).ID

	// A point carrying version 1, then a canary (version 2) until the
	// newest point carries it.
	emulatortest.Eventually(t, "a point with version 1", func() bool {
		pts := pointsWithVersions(t, base, item)
		return len(pts) > 0 && pts[0].Version == 1
	})
	primary := tfoSites(t, base)["vm-web-1"]
	if w := writeCanary(t, primary.URL); w.Version != 2 {
		t.Fatalf("canary: %+v", w)
	}
	var older string
	emulatortest.Eventually(t, "the newest point carries version 2", func() bool {
		pts := pointsWithVersions(t, base, item)
		if len(pts) == 0 || pts[0].Version != 2 {
			return false
		}
		for _, p := range pts {
			if p.Version == 1 {
				older = p.Name
				return true
			}
		}
		return false
	})

	// Test failover at the older point: the test VM serves version 1.
	it, err := e.testFailover(t, item, itemID+"/recoveryPoints/"+older)
	if err != nil {
		t.Fatalf("test failover: %v", err)
	}
	d := a2a(t, it)
	ops := allowed(it)
	if tfoState(it) != "MarkedForDeletion" || *it.Properties.TestFailoverStateDescription != "Cleanup test failover pending" ||
		!has(ops, "TestFailoverCleanup") || has(ops, "TestFailover") || has(ops, "DisableProtection") ||
		*it.Properties.CurrentScenario.ScenarioName != "None" ||
		d.TfoAzureVMName == nil || *d.TfoAzureVMName != "vm-web-1-test" ||
		d.SelectedTfoAzureNetworkID == nil || !strings.EqualFold(*d.SelectedTfoAzureNetworkID, repVNetID("rg-recovery", drillNet)) {
		t.Fatalf("after test failover: %+v / allowed %v / %+v", it.Properties, ops, d)
	}

	// The VM, through armcompute and the admin API.
	vm, err := emulatortest.VMClient(t, base).Get(emulatortest.Context(t), "rg-recovery", "vm-web-1-test", nil)
	if err != nil {
		t.Fatalf("GET test VM: %v", err)
	}
	if *vm.Location != "westus2" || vm.Tags[emulator.TestFailoverTag] == nil || !strings.EqualFold(*vm.Tags[emulator.TestFailoverTag], itemID) ||
		*vm.Properties.HardwareProfile.VMSize != "Standard_D2s_v5" || len(vm.Properties.StorageProfile.DataDisks) != 1 {
		t.Fatalf("test VM: %+v %+v", vm.Tags, vm.Properties)
	}
	site := tfoSites(t, base)["vm-web-1-test"]
	if site.Role != "test" || site.DataVersion.Version != 1 || !site.Running || site.ServingSince == nil || site.Location != "westus2" {
		t.Fatalf("test VM site: %+v", site)
	}

	// Its NIC in the drill subnet, without a public IP: the item names none
	// (tfoPublicIPAddressId), and Site Recovery never makes one.
	nic, err := emulatortest.NICClient(t, base).Get(emulatortest.Context(t), "rg-recovery", "vm-web-1-test-nic", nil)
	if err != nil {
		t.Fatalf("GET test NIC: %v", err)
	}
	cfg := nic.Properties.IPConfigurations[0].Properties
	if !strings.HasPrefix(*cfg.PrivateIPAddress, "10.9.1.") || !strings.Contains(strings.ToLower(*cfg.Subnet.ID), "/virtualnetworks/vnet-drill/subnets/web") ||
		cfg.PublicIPAddress != nil {
		t.Fatalf("test NIC: %+v", cfg)
	}
	_, err = e.pips.Get(emulatortest.Context(t), "rg-recovery", "vm-web-1-test-pip", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	_, err = emulatortest.NICClient(t, base).Get(emulatortest.Context(t), "rg-recovery", "vm-web-1-test-nic", &armnetwork.InterfacesClientGetOptions{Expand: to.Ptr("virtualMachine")})
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidQueryParameterValue")
	list, err := e.pips.NewListPager("rg-recovery", nil).NextPage(emulatortest.Context(t))
	if err != nil || len(list.Value) != 0 {
		t.Fatalf("list public IPs: %v %+v", err, list.Value)
	}
	if v, role, ok := siteVersion(t, site.Address, site.Port); !ok || v != 1 || role != "test" {
		t.Fatalf("test VM: version %d role %q ok %v", v, role, ok)
	}
	// The test VM takes no canaries; the primary still serves version 2.
	if code, _, _ := emulatortest.PostCanary(t, site.URL, "x"); code != http.StatusConflict {
		t.Fatalf("canary on the test VM: %d", code)
	}
	if v, _, ok := siteVersion(t, primary.Address, primary.Port); !ok || v != 2 {
		t.Fatalf("primary: %d %v", v, ok)
	}

	// Cleanup: VM, NIC and public IP gone, the site stopped, the state
	// back to None and the last successful test failover recorded.
	done, err := e.cleanup(t, item)
	if err != nil {
		t.Fatalf("cleanup: %v", err)
	}
	if tfoState(done) != "None" || !has(allowed(done), "TestFailover") || has(allowed(done), "TestFailoverCleanup") ||
		done.Properties.LastSuccessfulTestFailoverTime == nil || a2a(t, done).TfoAzureVMName != nil {
		t.Fatalf("after cleanup: %+v", done.Properties)
	}
	if last := *done.Properties.LastSuccessfulTestFailoverTime; last.Before(*site.ServingSince) {
		// The test failover completed once the site served.
		t.Fatalf("lastSuccessfulTestFailoverTime %v before the site served (%v)", last, site.ServingSince)
	}
	_, err = emulatortest.VMClient(t, base).Get(emulatortest.Context(t), "rg-recovery", "vm-web-1-test", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	_, err = emulatortest.NICClient(t, base).Get(emulatortest.Context(t), "rg-recovery", "vm-web-1-test-nic", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	_, err = e.pips.Get(emulatortest.Context(t), "rg-recovery", "vm-web-1-test-pip", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	if _, ok := tfoSites(t, base)["vm-web-1-test"]; ok {
		t.Fatal("test VM still listed")
	}
	if _, _, ok := siteVersion(t, site.Address, site.Port); ok {
		t.Fatal("the test VM's site still answers after cleanup")
	}
}

func TestTestFailoverAtTheLatestPoint(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1")
	base := e.srv.URL()
	primary := tfoSites(t, base)["vm-web-1"]
	writeCanary(t, primary.URL)
	writeCanary(t, primary.URL)
	emulatortest.Eventually(t, "the newest point carries version 3", func() bool {
		pts := pointsWithVersions(t, base, "vm-web-1")
		return len(pts) > 0 && pts[0].Version == 3
	})

	p, err := e.items.BeginTestFailover(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1",
		tfoInput(repVNetID("rg-recovery", drillNet), ""), nil)
	if err != nil {
		t.Fatalf("test failover: %v", err)
	}
	// While the job runs (checked only if it still ran after the GET).
	during := e.get(t, "vm-web-1")
	if running := emulatortest.Operations(t, base, "InProgress"); len(running) > 0 {
		if tfoState(during) != "InProgress" || *during.Properties.TestFailoverStateDescription != "Test failover in progress" ||
			*during.Properties.CurrentScenario.ScenarioName != "TestFailover" || during.Properties.CurrentScenario.JobID == nil ||
			during.Properties.CurrentScenario.StartTime == nil || len(during.Properties.AllowedOperations) != 0 {
			t.Fatalf("during the test failover: %+v %+v", during.Properties, during.Properties.CurrentScenario)
		}
	} else {
		t.Log("the test failover finished before the GET; in-progress state not checked")
	}
	r, err := p.PollUntilDone(emulatortest.Context(t), nil)
	if err != nil || tfoState(r.ReplicationProtectedItem) != "MarkedForDeletion" {
		t.Fatalf("test failover: %v %+v", err, r.Properties)
	}
	site := tfoSites(t, base)["vm-web-1-test"]
	if v, role, ok := siteVersion(t, site.Address, site.Port); !ok || v != 3 || role != "test" || site.DataVersion.Version != 3 {
		t.Fatalf("test VM: version %d role %q ok %v, admin %+v", v, role, ok, site)
	}
	// The admin API names the point used.
	for _, it := range replicationState(t, base).Value {
		var full struct {
			Value []struct {
				Failover struct {
					TestFailoverState string `json:"testFailoverState"`
					TestFailover      struct {
						RecoveryPointID string `json:"recoveryPointId"`
						VMID            string `json:"vmId"`
						DataVersion     struct {
							Version int `json:"version"`
						} `json:"dataVersion"`
					} `json:"testFailover"`
				} `json:"failover"`
			} `json:"value"`
		}
		emulatortest.CallJSON(t, http.MethodGet, base+"/_emulator/replication", nil, &full)
		f := full.Value[0].Failover
		if f.TestFailoverState != "MarkedForDeletion" || !strings.Contains(f.TestFailover.RecoveryPointID, "/recoveryPoints/") ||
			f.TestFailover.DataVersion.Version != 3 || !strings.EqualFold(f.TestFailover.VMID, repVMID("rg-recovery", "vm-web-1-test")) {
			t.Fatalf("admin failover of %s: %+v", it.ID, f)
		}
	}
}

func TestTestFailoverRefusals(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1")
	drill := repVNetID("rg-recovery", drillNet)

	// Initial replication: not allowed yet.
	if _, err := e.enable(t, "vm-web-2", e.enableInput("rg-prod", "vm-web-2", "")); err != nil {
		t.Fatal(err)
	}
	_, err := e.testFailover(t, "vm-web-2", "")
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")
	if !strings.Contains(err.Error(), "Initial replication must complete") || !strings.Contains(err.Error(), "DisableProtection") {
		t.Fatalf("message: %v", err)
	}

	// Bad inputs.
	bad := func(in asr.TestFailoverInput, status int, code string) {
		t.Helper()
		p, err := e.items.BeginTestFailover(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1", in, nil)
		_, err = emulatortest.Done(t, p, err)
		emulatortest.WantARMError(t, err, status, code)
	}
	in := tfoInput(drill, "")
	in.Properties.FailoverDirection = emulatortest.Ptr("RecoveryToPrimary")
	bad(in, http.StatusBadRequest, "InvalidFailoverDirection")
	in = tfoInput(drill, "")
	in.Properties.NetworkType = emulatortest.Ptr("NoNetworkAttachAsInput")
	bad(in, http.StatusBadRequest, "BadRequest")
	bad(tfoInput(repVNetID("rg-prod", "vnet-prod"), ""), http.StatusBadRequest, "TestFailoverNetworkNotInRecoveryRegion")
	bad(tfoInput(repVNetID("rg-recovery", "vnet-recovery-2"), ""), http.StatusBadRequest, "TestFailoverSubnetNotFound")
	bad(tfoInput(repVNetID("rg-recovery", "vnet-nope"), ""), http.StatusBadRequest, "TestFailoverNetworkNotFound")
	itemID := *e.get(t, "vm-web-1").ID
	bad(tfoInput(drill, itemID+"/recoveryPoints/00000000-0000-0000-0000-000000000000"), http.StatusNotFound, "RecoveryPointNotFound")
	bad(tfoInput(drill, "/subscriptions/x/recoveryPoints/abc"), http.StatusBadRequest, "InvalidRecoveryPointId")

	// Nothing to clean up.
	_, err = e.cleanup(t, "vm-web-1")
	emulatortest.WantARMError(t, err, http.StatusConflict, "NoTestFailoverToCleanup")

	// One test failover at a time: a second one, and disabling
	// protection, wait for the cleanup.
	if _, err := e.testFailover(t, "vm-web-1", ""); err != nil {
		t.Fatal(err)
	}
	_, err = e.testFailover(t, "vm-web-1", "")
	emulatortest.WantARMError(t, err, http.StatusConflict, "TestFailoverAlreadyInProgress")
	if !strings.Contains(err.Error(), "testFailoverCleanup") {
		t.Fatalf("message: %v", err)
	}
	pd, err := e.items.BeginDelete(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1", asr.DisableProtectionInput{
		Properties: &asr.DisableProtectionInputProperties{}}, nil)
	_, err = emulatortest.Done(t, pd, err)
	emulatortest.WantARMError(t, err, http.StatusConflict, "TestFailoverCleanupPending")

	if _, err := e.cleanup(t, "vm-web-1"); err != nil {
		t.Fatal(err)
	}
	_, err = e.cleanup(t, "vm-web-1")
	emulatortest.WantARMError(t, err, http.StatusConflict, "NoTestFailoverToCleanup")
	// Another test failover is fine now.
	if _, err := e.testFailover(t, "vm-web-1", ""); err != nil {
		t.Fatalf("second test failover after cleanup: %v", err)
	}
}

func TestConcurrentTestFailoversOfTwoItems(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1", "vm-web-2")
	drill := repVNetID("rg-recovery", drillNet)
	var pollers []*runtimePoller
	for _, item := range []string{"vm-web-1", "vm-web-2"} {
		p, err := e.items.BeginTestFailover(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", item, tfoInput(drill, ""), nil)
		if err != nil {
			t.Fatalf("starting %s: %v", item, err)
		}
		pollers = append(pollers, &runtimePoller{item: item, p: p})
	}
	errs := make(chan error, len(pollers))
	for _, p := range pollers {
		go func() {
			r, err := p.p.PollUntilDone(emulatortest.Context(t), nil)
			if err == nil && tfoState(r.ReplicationProtectedItem) != "MarkedForDeletion" {
				err = errString(p.item + ": " + tfoState(r.ReplicationProtectedItem))
			}
			errs <- err
		}()
	}
	for range pollers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	sites := tfoSites(t, e.srv.URL())
	a, b := sites["vm-web-1-test"], sites["vm-web-2-test"]
	if !a.Running || !b.Running || a.Address == b.Address || a.PrivateIPAddress == b.PrivateIPAddress || a.PrivateIPAddress == "" {
		t.Fatalf("test VMs: %+v / %+v", a, b)
	}
	// Cleaning one up leaves the other.
	if _, err := e.cleanup(t, "vm-web-1"); err != nil {
		t.Fatal(err)
	}
	if tfoState(e.get(t, "vm-web-2")) != "MarkedForDeletion" {
		t.Fatal("cleanup of vm-web-1 touched vm-web-2")
	}
	if v, _, ok := siteVersion(t, b.Address, b.Port); !ok || v != 1 {
		t.Fatalf("vm-web-2-test after the other cleanup: %d %v", v, ok)
	}
}

type runtimePoller struct {
	item string
	p    interface {
		PollUntilDone(context.Context, *runtime.PollUntilDoneOptions) (asr.ReplicationProtectedItemsClientTestFailoverResponse, error)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestARecoveryRegionOutageFailsTheTestFailover(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1")
	base := e.srv.URL()
	rule := addRule(t, base, `{"kind":"outage","region":"westus2"}`)
	_, err := e.testFailover(t, "vm-web-1", "")
	if err == nil || !strings.Contains(err.Error(), "TestFailoverFailed") {
		t.Fatalf("test failover during an outage of the recovery region: %v", err)
	}
	it := e.get(t, "vm-web-1")
	if tfoState(it) != "Failed" || !has(allowed(it), "TestFailoverCleanup") || has(allowed(it), "TestFailover") {
		t.Fatalf("after the failure: %+v %v", it.Properties, allowed(it))
	}
	if _, ok := tfoSites(t, base)["vm-web-1-test"]; ok {
		t.Fatal("a failed test failover left a VM")
	}
	_, err = e.testFailover(t, "vm-web-1", "")
	emulatortest.WantARMError(t, err, http.StatusConflict, "TestFailoverAlreadyInProgress")
	emulatortest.Call(t, http.MethodDelete, base+"/_emulator/faults/"+rule, nil, nil)

	done, err := e.cleanup(t, "vm-web-1")
	if err != nil || tfoState(done) != "None" || done.Properties.LastSuccessfulTestFailoverTime != nil {
		t.Fatalf("cleanup: %v %+v", err, done.Properties)
	}
	if _, err := e.testFailover(t, "vm-web-1", ""); err != nil {
		t.Fatalf("test failover after the outage: %v", err)
	}
}

func TestATestFailoverVMSurvivesARestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := startTFO(t, dir, "vm-web-1")
	if _, err := e.testFailover(t, "vm-web-1", ""); err != nil {
		t.Fatal(err)
	}
	before := tfoSites(t, e.srv.URL())["vm-web-1-test"]
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}

	again := &tfoEnv{repEnv: startRep(t, dir, false)}
	again.top = e.top
	again.pipsClient(t)
	emulatortest.Eventually(t, "the test VM serving again", func() bool {
		s := tfoSites(t, again.srv.URL())["vm-web-1-test"]
		return s.Running
	})
	after := tfoSites(t, again.srv.URL())["vm-web-1-test"]
	if after.Role != "test" || after.DataVersion.Version != before.DataVersion.Version || after.ServingSince == nil ||
		!after.ServingSince.Equal(*before.ServingSince) {
		t.Fatalf("after restart: %+v (before %+v)", after, before)
	}
	if v, role, ok := siteVersion(t, after.Address, after.Port); !ok || v != before.DataVersion.Version || role != "test" {
		t.Fatalf("site after restart: %d %q %v", v, role, ok)
	}
	if it := again.get(t, "vm-web-1"); tfoState(it) != "MarkedForDeletion" {
		t.Fatalf("item after restart: %+v", it.Properties)
	}
	if _, err := again.cleanup(t, "vm-web-1"); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := siteVersion(t, after.Address, after.Port); ok {
		t.Fatal("site still answers after cleanup")
	}
}

func TestDeletingTheRecoveryGroupRemovesTheTestVM(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1")
	base := e.srv.URL()
	if _, err := e.testFailover(t, "vm-web-1", ""); err != nil {
		t.Fatal(err)
	}
	site := tfoSites(t, base)["vm-web-1-test"]
	p, err := emulatortest.GroupsClient(t, base).BeginDelete(emulatortest.Context(t), "rg-recovery", nil)
	if _, err := emulatortest.Done(t, p, err); err != nil {
		t.Fatalf("deleting rg-recovery: %v", err)
	}
	emulatortest.Eventually(t, "the test VM's site stopped", func() bool {
		_, _, ok := siteVersion(t, site.Address, site.Port)
		return !ok
	})
	if _, ok := tfoSites(t, base)["vm-web-1-test"]; ok {
		t.Fatal("test VM still listed")
	}
	// Cleanup still completes (nothing left to delete).
	done, err := e.cleanup(t, "vm-web-1")
	if err != nil || tfoState(done) != "None" {
		t.Fatalf("cleanup after the group's deletion: %v %+v", err, done.Properties)
	}
}
