package testfailover_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/testfailover"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// Drills verified from inside the DR site (issue 19), on an estate whose
// test network has an address space of its own (10.20.0.0/16 beside
// production's 10.10.0.0/16), so that a peering to production is possible
// and the isolation proof has production addresses to try.
func TestAccDrillFromTheDRSite(t *testing.T) {
	acctest.Emulator(t) // skips without TF_ACC
	name := acctest.RandomName("insite")
	pe := acctest.CreateEstate(t, name, "centralus")
	vm := acctest.CreateVM(t, pe.Group, name+"-web-1", "", pe.NetworkID+"/subnets/web")
	db := acctest.CreateVM(t, pe.Group, name+"-db-1", "", pe.NetworkID+"/subnets/db")
	u, err := url.Parse(vm.WebURL)
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(config(t, name, pe, vm.ID, db.ID), "  primary_network_id = ",
		"  recovery_address_space = [\"10.20.0.0/16\"]\n  primary_network_id = ", 1)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroy(t, acctest.SiteGone(name)...),
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(s *terraform.State) error {
				attr := func(addr, key string) string { return s.RootModule().Resources[addr].Primary.Attributes[key] }
				e := estate{name: name, vm: vm, db: db, webPort: u.Port(), prodNetID: pe.NetworkID,
					itemID:   s.RootModule().Resources["azuredr_replicated_vm.web"].Primary.ID,
					dbItemID: s.RootModule().Resources["azuredr_replicated_vm.db"].Primary.ID,
					testNet:  attr("azuredr_network.test", "test_network_id"),
					recNet:   attr("azuredr_network.test", "recovery_network_id"),
					recGroup: attr("azuredr_site.test", "recovery_resource_group_name"),
				}
				waitForPoints(t, acctest.Client(t), e.itemID, 2)
				drillsFromTheDRSite(t, e)
				return nil
			},
		}},
	})
}

func drillsFromTheDRSite(t *testing.T, e estate) {
	c := acctest.Client(t)
	ctx := t.Context()

	t.Run("passes, and the host cannot reach the test VM", func(t *testing.T) {
		spec := e.spec("insite-pass")
		var direct error
		spec.Events = func(ev drill.Event) {
			// While the test VM runs: straight from this machine to its
			// private address, as a pipeline runner would try.
			if ev.Phase == drill.PhaseCheckPassed && direct == nil {
				ip := privateIPOf(t, c, e.recGroup, e.vm.Name+"-test")
				client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil}}
				resp, err := client.Get("http://" + ip + ":" + e.webPort + "/")
				if err == nil {
					resp.Body.Close()
					direct = fmt.Errorf("no error: %s answered %s", ip, resp.Status)
				} else {
					direct = err
				}
			}
		}
		res, err := testfailover.Run(ctx, c, spec)
		if err != nil || !res.Passed {
			t.Fatalf("drill: %v, %+v", err, res)
		}
		if direct == nil || strings.HasPrefix(direct.Error(), "no error") {
			t.Fatalf("a direct request from the host to the test VM's private address: %v; want it to fail", direct)
		}
		t.Logf("direct request from the host: %v", direct)
		if !hasEvent(res, testfailover.PhaseIsolation, "none of 5 production address:port reached") {
			t.Errorf("the isolation proof did not try web-1's address on the 4 default ports and the check's: %v", isolationEvents(res))
		}
		assertClean(t, e, res)
	})

	t.Run("an NSG in the test network blocks the checked port", func(t *testing.T) {
		testGroup := groupOf(t, e.testNet)
		// A probe VM in the test network's web subnet checks the test VM;
		// the subnet's NSG drops the web port inbound.
		probe := acctest.CreateVM(t, testGroup, e.name+"-probe", "", e.testNet+"/subnets/web")
		nsg := denyWebPort(t, c, testGroup, e, "web")
		spec := e.spec("insite-nsg")
		spec.ProbeVMID = probe.ID
		spec.Checks = []drill.Check{{Name: "home page", Type: drill.CheckHTTP, URL: "http://{private_ip}:" + e.webPort + "/", BodyRegex: `id="vm">{vm_name}<`}}
		cctx, cancel := context.WithTimeout(ctx, 12*time.Second)
		defer cancel()
		res, err := testfailover.Run(cctx, c, spec)
		if err == nil || res.Passed {
			t.Fatalf("a drill whose checked port an NSG drops passed: %v", err)
		}
		msg := err.Error() + " " + strings.Join(failedChecks(res), " ")
		if !strings.Contains(msg, "home page") || !strings.Contains(msg, "curl: (28)") || !strings.Contains(msg, probe.Name) {
			t.Fatalf("the failure does not say the check timed out from the probe VM: %s", msg)
		}
		t.Logf("failure: %s", msg)
		assertClean(t, e, res)
		dissociate(t, c, testGroup, e, "web", nsg)
	})

	t.Run("a probe VM outside the test network is refused before anything fails over", func(t *testing.T) {
		probe := acctest.CreateVM(t, groupOf(t, e.prodNetID), e.name+"-prodprobe", "", e.prodNetID+"/subnets/web")
		spec := e.spec("insite-probe-elsewhere")
		spec.ProbeVMID = probe.ID
		res, err := testfailover.Run(ctx, c, spec)
		if err == nil || !strings.Contains(err.Error(), "probe VM "+probe.Name+" is not in the test network") {
			t.Fatalf("drill with a probe VM in production: %v; want it refused as not in the test network", err)
		}
		t.Logf("failure: %v", err)
		for _, it := range res.Items {
			if !it.FailoverStartedAt.IsZero() || it.TestFailoverJobID != "" {
				t.Fatalf("a test failover started although the probe VM was refused: %+v", it)
			}
		}
		assertClean(t, e, res)
	})

	t.Run("a probe VM the drill makes runs the checks and goes at cleanup", func(t *testing.T) {
		spec := e.spec("insite-made-probe")
		spec.ProbeVM = &testfailover.ProbeVM{Subnet: "web"}
		spec.Checks = []drill.Check{{Name: "home page", Type: drill.CheckHTTP, URL: "http://{private_ip}:" + e.webPort + "/", BodyRegex: `id="vm">{vm_name}<`}}
		var during []string
		spec.Events = func(ev drill.Event) {
			if ev.Phase == drill.PhaseCheckPassed && during == nil {
				during = probeVMsLeft(t, c)
			}
		}
		res, err := testfailover.Run(ctx, c, spec)
		if err != nil || !res.Passed {
			t.Fatalf("drill with a probe VM it makes: %v, %+v", err, res)
		}
		if len(during) != 2 { // the VM and its NIC
			t.Fatalf("while the checks ran, the drill's probe VM and NIC: %v; want one of each", during)
		}
		if !hasEvent(res, testfailover.PhaseProbeVM, "created: the checks from the DR site run on it") ||
			!hasEvent(res, drill.PhaseValidate, "runs in the test network") || !hasEvent(res, drill.PhaseCleanup, "deleted with its NIC and OS disk") {
			t.Fatalf("the timeline does not show the probe VM made, verified and deleted: %v", phases(res))
		}
		if left := probeVMsLeft(t, c); len(left) > 0 {
			t.Fatalf("after the drill: %v", left)
		}
		assertClean(t, e, res)
	})

	t.Run("a probe VM in a subnet the test network lacks is refused, nothing made", func(t *testing.T) {
		spec := e.spec("insite-probe-nosubnet")
		spec.ProbeVM = &testfailover.ProbeVM{Subnet: "nope"}
		res, err := testfailover.Run(ctx, c, spec)
		if err == nil || !strings.Contains(err.Error(), `has no subnet "nope" (it has `) {
			t.Fatalf("drill with a probe VM in a missing subnet: %v", err)
		}
		for _, it := range res.Items {
			if !it.FailoverStartedAt.IsZero() {
				t.Fatalf("a test failover started: %+v", it)
			}
		}
		if left := probeVMsLeft(t, c); len(left) > 0 {
			t.Fatalf("after the refused drill: %v", left)
		}
		assertClean(t, e, res)
	})

	t.Run("a probe VM Azure refuses leaves no NIC behind", func(t *testing.T) {
		spec := e.spec("insite-probe-refused")
		spec.ProbeVM = &testfailover.ProbeVM{Size: "Standard_NoSuchSize"}
		res, err := testfailover.Run(ctx, c, spec)
		if err == nil || !strings.Contains(err.Error(), "probe VM: creating azuredr-probe-") {
			t.Fatalf("drill with a VM size Azure does not offer: %v", err)
		}
		t.Logf("failure: %v", err)
		if left := probeVMsLeft(t, c); len(left) > 0 {
			t.Fatalf("after the refused probe VM: %v", left)
		}
		assertClean(t, e, res)
	})

	t.Run("a peering to production behind Terraform's back fails the isolation proof", func(t *testing.T) {
		testGroup, prodGroup := groupOf(t, e.testNet), groupOf(t, e.prodNetID)
		peer(t, c, testGroup, e.testNet, e.prodNetID, "drill-to-prod")
		peer(t, c, prodGroup, e.prodNetID, e.testNet, "prod-to-drill")
		defer unpeer(t, c, testGroup, e.testNet, "drill-to-prod")
		defer unpeer(t, c, prodGroup, e.prodNetID, "prod-to-drill")
		res, err := testfailover.Run(ctx, c, e.spec("insite-peered"))
		want := fmt.Sprintf("test network is not isolated: %s-test reached %s 10.10.1.4:", e.vm.Name, e.vm.Name)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("drill with production peered: %v; want %q", err, want)
		}
		t.Logf("failure: %v", err)
		if len(res.Items) != 1 || res.Items[0].ReadyAt != (time.Time{}) {
			t.Fatalf("checks ran on a test network that reaches production: %+v", res.Items)
		}
		assertClean(t, e, res)
	})

	t.Run("the file canary's data loss is the emulator's", func(t *testing.T) {
		adm := acctest.Admin(t)
		// First drill: the marker is written and replication carries it.
		spec := e.spec("insite-canary-1")
		spec.Canary = &drill.Canary{File: &drill.CanaryFile{}, Wait: 7 * time.Minute}
		first, err := testfailover.Run(ctx, c, spec)
		if err != nil || first.CanaryDataLoss == nil || *first.CanaryDataLoss != 0 {
			t.Fatalf("first drill: %v, loss %v", err, first.CanaryDataLoss)
		}
		// Second drill, from a point taken before it starts: its marker
		// cannot be there, the first drill's is.
		spec = e.spec("insite-canary-2")
		spec.Canary = &drill.Canary{File: &drill.CanaryFile{}}
		spec.RecoveryPoint = drill.Selector{Kind: drill.PointBefore, Before: emulatorNow(t, adm)}
		var truth struct{ primary, test admin.DataVersion }
		spec.Events = func(ev drill.Event) {
			switch ev.Phase {
			case drill.PhaseGroupStart: // after the write, before the failover
				truth.primary = dataVersionOf(t, adm, e.vm.ID)
			case testfailover.PhaseTestVM: // the test VM holds the point's data
				truth.test = testFailoverDataOf(t, adm, e.itemID)
			}
		}
		second, err := testfailover.Run(ctx, c, spec)
		if err != nil || second.CanaryDataLoss == nil {
			t.Fatalf("second drill: %v, loss %v", err, second.CanaryDataLoss)
		}
		want := truth.primary.WrittenAt.Sub(truth.test.WrittenAt)
		if truth.primary.Label != "run-command" || truth.test.Label != "run-command" || want <= 0 {
			t.Fatalf("ground truth: the primary holds %+v, the test VM %+v: want both the canary's writes", truth.primary, truth.test)
		}
		if got := *second.CanaryDataLoss; got != want {
			t.Fatalf("measured data loss %s, the emulator's ground truth %s (primary %+v, test VM %+v)", got, want, truth.primary, truth.test)
		}
		t.Logf("canary data loss %s = the emulator's %s", *second.CanaryDataLoss, want)
	})
}

// probeVMsLeft lists the VMs and NICs of the subscription tagged as a
// drill's probe VM.
func probeVMsLeft(t *testing.T, c *azure.Client) []string {
	t.Helper()
	var out []string
	vms := c.VirtualMachines().NewListAllPager(nil)
	for vms.More() {
		page, err := vms.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, vm := range page.Value {
			if tags.Get(vm.Tags, tags.Role) == tags.RoleProbeVM {
				out = append(out, "VM "+*vm.ID)
			}
		}
	}
	nics := c.NetworkInterfaces().NewListAllPager(nil)
	for nics.More() {
		page, err := nics.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, nic := range page.Value {
			if tags.Get(nic.Tags, tags.Role) == tags.RoleProbeVM {
				out = append(out, "NIC "+*nic.ID)
			}
		}
	}
	return out
}

func hasEvent(res *testfailover.Result, phase, text string) bool {
	for _, ev := range res.Events {
		if ev.Phase == phase && strings.Contains(ev.Message, text) {
			return true
		}
	}
	return false
}

func isolationEvents(res *testfailover.Result) []string {
	var out []string
	for _, ev := range res.Events {
		if ev.Phase == testfailover.PhaseIsolation {
			out = append(out, ev.Message)
		}
	}
	return out
}

func failedChecks(res *testfailover.Result) []string {
	var out []string
	for _, ev := range res.Events {
		if ev.Phase == drill.PhaseCheckFailed {
			out = append(out, ev.Message)
		}
	}
	return out
}

func groupOf(t *testing.T, id string) string {
	t.Helper()
	rid, err := arm.ParseResourceID(id)
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return rid.ResourceGroupName
}

func privateIPOf(t *testing.T, c *azure.Client, group, vmName string) string {
	t.Helper()
	nic, err := c.NetworkInterfaces().Get(t.Context(), group, vmName+"-nic", nil)
	if err != nil {
		t.Fatalf("reading %s's NIC: %v", vmName, err)
	}
	return *nic.Properties.IPConfigurations[0].Properties.PrivateIPAddress
}

// denyWebPort gives the test network's subnet an NSG that drops the web
// port inbound (as an operator might, behind Terraform's back).
func denyWebPort(t *testing.T, c *azure.Client, group string, e estate, subnet string) string {
	t.Helper()
	loc := "eastus"
	body := armnetwork.SecurityGroup{Location: &loc, Properties: &armnetwork.SecurityGroupPropertiesFormat{SecurityRules: []*armnetwork.SecurityRule{{
		Name: ptr("deny-web"), Properties: &armnetwork.SecurityRulePropertiesFormat{Priority: ptr[int32](100), Direction: ptr(armnetwork.SecurityRuleDirectionInbound),
			Access: ptr(armnetwork.SecurityRuleAccessDeny), Protocol: ptr(armnetwork.SecurityRuleProtocolTCP), SourceAddressPrefix: ptr("VirtualNetwork"),
			SourcePortRange: ptr("*"), DestinationAddressPrefix: ptr("*"), DestinationPortRange: ptr(e.webPort)}}}}}
	p, err := c.SecurityGroups().BeginCreateOrUpdate(t.Context(), group, e.name+"-nsg-deny-web", body, nil)
	if err != nil {
		t.Fatal(err)
	}
	nsg, err := azure.Wait(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	setSubnetNSG(t, c, group, e, subnet, nsg.ID)
	return *nsg.ID
}

func dissociate(t *testing.T, c *azure.Client, group string, e estate, subnet, nsgID string) {
	t.Helper()
	setSubnetNSG(t, c, group, e, subnet, nil)
	p, err := c.SecurityGroups().BeginDelete(t.Context(), group, nsgID[strings.LastIndex(nsgID, "/")+1:], nil)
	if err == nil {
		_, err = azure.Wait(t.Context(), p)
	}
	if err != nil {
		t.Fatalf("deleting the NSG: %v", err)
	}
}

func setSubnetNSG(t *testing.T, c *azure.Client, group string, e estate, subnet string, nsgID *string) {
	t.Helper()
	vnet := e.testNet[strings.LastIndex(e.testNet, "/")+1:]
	sn, err := c.Subnets().Get(t.Context(), group, vnet, subnet, nil)
	if err != nil {
		t.Fatal(err)
	}
	sn.Properties.NetworkSecurityGroup = nil
	if nsgID != nil {
		sn.Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: nsgID}
	}
	p, err := c.Subnets().BeginCreateOrUpdate(t.Context(), group, vnet, subnet, sn.Subnet, nil)
	if err == nil {
		_, err = azure.Wait(t.Context(), p)
	}
	if err != nil {
		t.Fatalf("setting subnet %s's NSG: %v", subnet, err)
	}
}

func peer(t *testing.T, c *azure.Client, group, from, to, name string) {
	t.Helper()
	body := armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork: &armnetwork.SubResource{ID: &to}, AllowVirtualNetworkAccess: ptr(true)}}
	p, err := c.VirtualNetworkPeerings().BeginCreateOrUpdate(t.Context(), group, from[strings.LastIndex(from, "/")+1:], name, body, nil)
	if err == nil {
		_, err = azure.Wait(t.Context(), p)
	}
	if err != nil {
		t.Fatalf("peering %s to %s: %v", from, to, err)
	}
}

func unpeer(t *testing.T, c *azure.Client, group, from, name string) {
	t.Helper()
	p, err := c.VirtualNetworkPeerings().BeginDelete(context.Background(), group, from[strings.LastIndex(from, "/")+1:], name, nil)
	if err == nil {
		_, err = azure.Wait(context.Background(), p)
	}
	if err != nil {
		t.Errorf("removing the peering %s: %v", name, err)
	}
}

func dataVersionOf(t *testing.T, a *admin.Client, vmID string) admin.DataVersion {
	vms, err := a.VMs(context.Background())
	if err != nil {
		t.Errorf("admin VMs: %v", err)
		return admin.DataVersion{}
	}
	for _, vm := range vms {
		if strings.EqualFold(vm.ID, vmID) {
			return vm.DataVersion
		}
	}
	t.Errorf("admin VMs: no %s", vmID)
	return admin.DataVersion{}
}

func testFailoverDataOf(t *testing.T, a *admin.Client, itemID string) admin.DataVersion {
	rep, err := a.Replication(context.Background())
	if err != nil {
		t.Errorf("admin replication: %v", err)
		return admin.DataVersion{}
	}
	for _, it := range rep.Items {
		if strings.EqualFold(it.ID, itemID) && it.Failover.TestFailover != nil {
			return it.Failover.TestFailover.DataVersion
		}
	}
	t.Errorf("admin replication: item %s has no test failover", itemID)
	return admin.DataVersion{}
}

func emulatorNow(t *testing.T, a *admin.Client) time.Time {
	t.Helper()
	h, err := a.Health(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h.Now
}

func ptr[T any](v T) *T { return &v }
