package testfailover_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/testfailover"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// estate is what the drills run on: a replicated VM and its site's
// networks, built with Terraform against the emulator.
type estate struct {
	name      string
	vm        acctest.VM
	itemID    string
	db        acctest.VM
	dbItemID  string
	testNet   string // the site's isolated test network
	recNet    string // the recovery network
	recGroup  string
	webPort   string
	prodNetID string
}

func config(t *testing.T, name string, e acctest.Estate, vmID, dbID string) string {
	return acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_site" "test" {
  name              = %[1]q
  primary_location  = "centralus"
  recovery_location = "eastus"
}

resource "azuredr_network" "test" {
  site_id            = azuredr_site.test.id
  primary_network_id = %[2]q
}

resource "azuredr_replication_policy" "test" {
  name                     = "%[1]s-policy"
  site_id                  = azuredr_site.test.id
  recovery_point_retention = "24h"
}

resource "azuredr_replicated_vm" "web" {
  site_id               = azuredr_site.test.id
  replication_policy_id = azuredr_replication_policy.test.id
  network_id            = azuredr_network.test.id
  source_vm_id          = %[3]q
  recovery_subnet_name  = "web"
}

resource "azuredr_replicated_vm" "db" {
  site_id               = azuredr_site.test.id
  replication_policy_id = azuredr_replication_policy.test.id
  network_id            = azuredr_network.test.id
  source_vm_id          = %[4]q
  recovery_subnet_name  = "db"
}
`, name, e.NetworkID, vmID, dbID)
}

// withEstate builds the estate with Terraform, runs the drills in
// subtests, then destroys it (which fails if a drill left a test failover
// behind: replication cannot be disabled with one pending).
func withEstate(t *testing.T, drills func(t *testing.T, e estate)) {
	acctest.Emulator(t) // skips without TF_ACC
	name := acctest.RandomName("drill")
	pe := acctest.CreateEstate(t, name, "centralus")
	vm := acctest.CreateVM(t, pe.Group, name+"-web-1", "", pe.NetworkID+"/subnets/web")
	db := acctest.CreateVM(t, pe.Group, name+"-db-1", "", pe.NetworkID+"/subnets/db")
	u, err := url.Parse(vm.WebURL)
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroy(t, acctest.SiteGone(name)...),
		Steps: []resource.TestStep{{
			Config: config(t, name, pe, vm.ID, db.ID),
			Check: func(s *terraform.State) error {
				attr := func(addr, key string) string { return s.RootModule().Resources[addr].Primary.Attributes[key] }
				e := estate{name: name, vm: vm, db: db, webPort: u.Port(), prodNetID: pe.NetworkID,
					itemID:   s.RootModule().Resources["azuredr_replicated_vm.web"].Primary.ID,
					dbItemID: s.RootModule().Resources["azuredr_replicated_vm.db"].Primary.ID,
					testNet:  attr("azuredr_network.test", "test_network_id"),
					recNet:   attr("azuredr_network.test", "recovery_network_id"),
					recGroup: attr("azuredr_site.test", "recovery_resource_group_name"),
				}
				if e.testNet == "" || e.recGroup == "" {
					return fmt.Errorf("state lacks the test network or recovery group: %+v", e)
				}
				waitForPoints(t, acctest.Client(t), e.itemID, 2)
				waitForPoints(t, acctest.Client(t), e.dbItemID, 1)
				drills(t, e)
				return nil
			},
		}},
	})
}

func (e estate) spec(name string) testfailover.Spec {
	return testfailover.Spec{
		Name:          name,
		Groups:        []drill.Group{{Items: []drill.Item{{ID: e.itemID}}}},
		TestNetworkID: e.testNet,
		// From the DR site (the default): through Run Command on the test
		// VM, after the isolation proof.
		Checks: []drill.Check{{Name: "home page", Type: drill.CheckHTTP, URL: "http://{address}:" + e.webPort + "/",
			BodyRegex: `id="vm">{vm_name}<`}},
		CheckInterval:  100 * time.Millisecond,
		CheckTimeout:   5 * time.Second,
		CleanupTimeout: time.Minute,
	}
}

// waitForPoints waits until the item has n recovery points.
func waitForPoints(t *testing.T, c *azure.Client, itemID string, n int) {
	t.Helper()
	parts := strings.Split(strings.Trim(itemID, "/"), "/")
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		pager := c.RecoveryPoints().NewListByReplicationProtectedItemsPager(parts[7], parts[3], parts[9], parts[11], parts[13], nil)
		count := 0
		for pager.More() {
			page, err := pager.NextPage(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			count += len(page.Value)
		}
		if count >= n {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s never had %d recovery points", itemID, n)
}

// assertClean checks, through the SDK, that no test VM is left and the
// item has no pending test failover.
func assertClean(t *testing.T, e estate, res *testfailover.Result) {
	t.Helper()
	c := acctest.Client(t)
	if len(res.Leftovers) != 0 {
		t.Errorf("leftovers: %v", res.Leftovers)
	}
	if res.CleanupCompletedAt.IsZero() {
		t.Error("cleanup never completed")
	}
	if _, err := c.VirtualMachines().Get(t.Context(), e.recGroup, e.vm.Name+"-test", nil); !azure.IsNotFound(err) {
		t.Errorf("test VM still there (GET: %v)", err)
	}
	parts := strings.Split(strings.Trim(e.itemID, "/"), "/")
	item, err := c.ProtectedItems().Get(t.Context(), parts[7], parts[3], parts[9], parts[11], parts[13], nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := *item.Properties.TestFailoverState; s != "None" {
		t.Errorf("testFailoverState %q after the drill", s)
	}
	// Checks from the DR site: verified at the test VM's private address
	// through Run Command, so the drill gave no test VM a public IP.
	if a2a, ok := item.Properties.ProviderSpecificDetails.(*asr.A2AReplicationDetails); !ok || azure.TestFailoverNICOf(a2a).PublicIPID != "" {
		t.Errorf("the item's test failover public IP after the drill: %+v", azure.TestFailoverNICOf(a2a))
	}
	for _, it := range res.Items {
		if it.Address != "" && it.Address != it.PrivateIP {
			t.Errorf("item %s was verified at %s, not at its private address %s from the DR site", it.ItemID, it.Address, it.PrivateIP)
		}
	}
	for _, ev := range res.Events {
		if ev.Phase == testfailover.PhaseTestPublicIP {
			t.Errorf("a drill checking from the DR site touched a public IP: %s", ev.Message)
		}
	}
	pips, err := c.PublicIPAddresses().NewListAllPager(nil).NextPage(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pips.Value {
		if tags.Get(p.Tags, tags.Role) == tags.RoleTestPublicIP {
			t.Errorf("the drill's public IP %s is still there", *p.ID)
		}
	}
}

func phases(res *testfailover.Result) []string {
	var out []string
	for _, ev := range res.Events {
		if len(out) == 0 || out[len(out)-1] != ev.Phase {
			out = append(out, ev.Phase)
		}
	}
	return out
}

// inOrder reports whether want appears in got in this order.
func inOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

func TestAccDrill(t *testing.T) {
	withEstate(t, func(t *testing.T, e estate) {
		c := acctest.Client(t)

		t.Run("passing", func(t *testing.T) {
			dir := t.TempDir()
			spec := e.spec("passing")
			spec.Groups[0].Pre = []drill.Action{{Name: "announce", Type: drill.ActionScript,
				Command: []string{"sh", "-c", `echo "$AZUREDR_DRILL_PHASE $AZUREDR_GROUP $AZUREDR_ITEMS" > ` + filepath.Join(dir, "pre")}}}
			spec.Groups[0].Post = []drill.Action{
				{Name: "smoke", Type: drill.ActionScript, Command: []string{"sh", "-c", `echo "$AZUREDR_TEST_VM_NAMES=$AZUREDR_TEST_VM_ADDRESSES" > ` + filepath.Join(dir, "post")}},
				{Name: "look", Type: drill.ActionManual, Description: "look at the dashboard"},
			}
			spec.Unattended = true
			// The canary is written, then replication has time to carry it
			// into a recovery point (30 s lag, a point every 5 minutes).
			spec.Canary = &drill.Canary{URL: e.vm.WebURL + "canary", Wait: 7 * time.Minute}
			spec.Objectives = drill.Objectives{RTO: 24 * time.Hour, RPO: 24 * time.Hour}
			var streamed int
			spec.Events = func(ev drill.Event) { streamed++; t.Logf("%s %s: %s", ev.Elapsed, ev.Phase, ev.Message) }
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			res, err := testfailover.Run(ctx, c, spec)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if !res.Passed || len(res.Breaches) != 0 || len(res.Items) != 1 {
				t.Fatalf("result: %+v", res)
			}
			it := res.Items[0]
			if it.TestVMName != e.vm.Name+"-test" || it.Address == "" || it.Address != it.PrivateIP || it.RecoveryPoint.Time.IsZero() ||
				!strings.HasSuffix(it.TestVMID, "/virtualMachines/"+e.vm.Name+"-test") || it.VMName != e.vm.Name {
				t.Fatalf("item: %+v", it)
			}
			// The item's record names the Site Recovery jobs of its test
			// failover and cleanup, the vault serves them, and the events
			// that started them carry them.
			wantJob(t, c, it.TestFailoverJobID, "TestFailover", e.vm.Name)
			wantJob(t, c, it.CleanupJobID, "TestFailoverCleanup", e.vm.Name)
			jobEvents := map[string]string{}
			for _, ev := range res.Events {
				if ev.JobID != "" {
					jobEvents[ev.Phase] = ev.JobID
				}
			}
			if jobEvents[testfailover.PhaseTestFailover] != it.TestFailoverJobID || jobEvents[drill.PhaseCleanup] != it.CleanupJobID {
				t.Fatalf("job events %v, item jobs %s %s", jobEvents, it.TestFailoverJobID, it.CleanupJobID)
			}
			if res.RecoveryStartedAt.Before(res.StartedAt) || it.FailoverStartedAt.Before(res.RecoveryStartedAt) || it.FailoverCompletedAt.Before(it.FailoverStartedAt) ||
				it.ReadyAt.Before(it.FailoverCompletedAt) || res.ChecksPassedAt.Before(it.ReadyAt) || res.CleanupCompletedAt.Before(res.ChecksPassedAt) {
				t.Fatalf("times out of order: %+v", res)
			}
			if res.MeasuredRTO <= 0 || res.MeasuredRTO != res.ChecksPassedAt.Sub(res.RecoveryStartedAt) ||
				res.RecoveryStartedAt.Before(res.Canaries[0].WrittenAt.Add(-time.Minute)) || res.MeasuredRPO <= 0 {
				t.Fatalf("RTO %s RPO %s", res.MeasuredRTO, res.MeasuredRPO)
			}
			if len(res.Canaries) != 1 || res.CanaryDataLoss == nil || *res.CanaryDataLoss != 0 || it.DataVersion < res.Canaries[0].Version {
				t.Fatalf("canary %+v, loss %v, served %d", res.Canaries, res.CanaryDataLoss, it.DataVersion)
			}
			want := []string{drill.PhaseValidate, testfailover.PhaseIsolation, drill.PhaseCanary, drill.PhaseGroupStart, drill.PhasePreAction,
				drill.PhaseRecoveryPoint, testfailover.PhaseTestFailover, testfailover.PhaseTestFailoverDone, testfailover.PhaseTestVM, testfailover.PhaseIsolation, drill.PhaseCheckPassed,
				drill.PhaseItemReady, drill.PhasePostAction, drill.PhaseChecksPassed, drill.PhaseCleanup, drill.PhaseCleanupDone, drill.PhaseVerdict}
			if got := phases(res); !inOrder(got, want) {
				t.Fatalf("phases %v, want in order %v", got, want)
			}
			if streamed != len(res.Events) {
				t.Fatalf("streamed %d events, result has %d", streamed, len(res.Events))
			}
			for i := 1; i < len(res.Events); i++ {
				if res.Events[i].Elapsed < res.Events[i-1].Elapsed {
					t.Fatalf("events out of order at %d: %+v", i, res.Events)
				}
			}
			pre, _ := os.ReadFile(filepath.Join(dir, "pre"))
			post, _ := os.ReadFile(filepath.Join(dir, "post"))
			if string(pre) != "pre 1 "+e.itemID+"\n" || string(post) != it.TestVMName+"="+it.Address+"\n" {
				t.Fatalf("action environment: pre %q post %q", pre, post)
			}
			assertClean(t, e, res)
		})

		t.Run("groups in order", func(t *testing.T) {
			spec := e.spec("groups")
			// The database first, then the web tier, as a recovery plan would.
			spec.Groups = []drill.Group{
				{Items: []drill.Item{{ID: e.dbItemID}}},
				{Items: []drill.Item{{ID: e.itemID}}, Pre: []drill.Action{{Name: "db up?", Type: drill.ActionScript,
					Command: []string{"sh", "-c", `test -n "$AZUREDR_TEST_VM_ADDRESSES" && test "$AZUREDR_GROUP" = 2`}}}},
			}
			spec.RecoveryPoint = drill.Selector{Kind: drill.PointLatestProcessed}
			res, err := testfailover.Run(t.Context(), c, spec)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if len(res.Items) != 2 || res.Items[0].Group != 1 || res.Items[1].Group != 2 || res.Items[0].TestVMName != e.db.Name+"-test" {
				t.Fatalf("items: %+v", res.Items)
			}
			db, web := res.Items[0], res.Items[1]
			if web.FailoverStartedAt.Before(db.ReadyAt) {
				t.Fatalf("group 2 started (%s) before group 1 was ready (%s)", web.FailoverStartedAt, db.ReadyAt)
			}
			for _, it := range res.Items {
				if it.RecoveryPoint.ID == "" || res.MeasuredRPO < it.FailoverStartedAt.Sub(it.RecoveryPoint.Time) {
					t.Fatalf("RPO %s does not cover item %+v", res.MeasuredRPO, it)
				}
			}
			assertClean(t, e, res)
			if _, err := c.VirtualMachines().Get(t.Context(), e.recGroup, e.db.Name+"-test", nil); !azure.IsNotFound(err) {
				t.Errorf("db test VM still there (GET: %v)", err)
			}
		})

		t.Run("one group in parallel", func(t *testing.T) {
			spec := e.spec("parallel")
			spec.Groups = []drill.Group{{Items: []drill.Item{{ID: e.itemID}, {ID: e.dbItemID}}}}
			before := armStats(t)
			res, err := testfailover.Run(t.Context(), c, spec)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			// What the drill cost in ARM requests, per item: the item read
			// once, the source VMs' networks in one NIC list, the test VM
			// and its NIC, the test failover and its cleanup each started,
			// polled and fetched once, the point list, one VM read to
			// confirm the test VM gone, and the checks: one Run Command
			// (started, polled, fetched) per round on the test VM, whose OS
			// the test VM's read already told. The isolation proof tries
			// nothing here: production's addresses lie in the test network's
			// own address space.
			cost := armStats(t).minus(before)
			t.Logf("ARM cost of a 2-item drill: %d requests: %v", cost.Requests, cost.Operations)
			perItem := map[string]int{"ReplicationProtectedItems_Get": 3, "VirtualMachines_Get": 2, "NetworkInterfaces_Get": 1,
				"RecoveryPoints_ListByReplicationProtectedItems": 1, "VirtualMachines_RunCommand": 1,
				"ReplicationProtectedItems_TestFailover": 1, "ReplicationProtectedItems_TestFailoverCleanup": 1}
			for op, want := range perItem {
				if got := cost.Operations[op]; got > 2*want {
					t.Errorf("%s: %d requests for 2 items, want at most %d", op, got, 2*want)
				}
			}
			for _, op := range []string{"PublicIPAddresses_CreateOrUpdate", "ReplicationProtectedItems_Update", "ResourceGroups_Get"} {
				if n := cost.Operations[op]; n != 0 {
					t.Errorf("%s: %d requests; a drill checking from the DR site makes no public IP", op, n)
				}
			}
			if n := cost.Operations["NetworkInterfaces_List"]; n > 1 {
				t.Errorf("NetworkInterfaces_List: %d requests, want one for the group of both source VMs", n)
			}
			// Per drill: the test network and its peerings, one NIC list.
			if cost.Requests > 2*18+3 {
				t.Errorf("%d ARM requests for a drill of 2 items, want at most 18 per item and 3 per drill: %v", cost.Requests, cost.Operations)
			}
			a, b := res.Items[0], res.Items[1]
			if a.FailoverStartedAt.After(b.FailoverCompletedAt) || b.FailoverStartedAt.After(a.FailoverCompletedAt) {
				t.Fatalf("the group's failovers did not overlap: %+v", res.Items)
			}
			if a.Address == "" || b.Address == "" || a.Address == b.Address {
				t.Fatalf("addresses %q and %q", a.Address, b.Address)
			}
			assertClean(t, e, res)
		})

		t.Run("failing check", func(t *testing.T) {
			spec := e.spec("failing")
			spec.Checks = append(spec.Checks, drill.Check{Name: "never", Type: drill.CheckHTTP, URL: "http://{address}:" + e.webPort + "/", BodyRegex: "no such text"})
			ctx, cancel := context.WithTimeout(t.Context(), 8*time.Second)
			defer cancel()
			res, err := testfailover.Run(ctx, c, spec)
			if err == nil || !strings.Contains(err.Error(), "never") || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Run = %v", err)
			}
			if res.Passed || !res.ChecksPassedAt.IsZero() || res.MeasuredRTO != 0 || !res.Items[0].ReadyAt.IsZero() {
				t.Fatalf("result: %+v", res)
			}
			if res.Items[0].FailoverCompletedAt.IsZero() {
				t.Fatal("the failover's figures are missing from a failed drill")
			}
			assertClean(t, e, res)
		})

		t.Run("recovery point before", func(t *testing.T) {
			waitForPoints(t, c, e.itemID, 3)
			parts := strings.Split(strings.Trim(e.itemID, "/"), "/")
			pager := c.RecoveryPoints().NewListByReplicationProtectedItemsPager(parts[7], parts[3], parts[9], parts[11], parts[13], nil)
			page, err := pager.NextPage(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			var times []time.Time
			ids := map[time.Time]string{}
			for _, p := range page.Value {
				times = append(times, *p.Properties.RecoveryPointTime)
				ids[*p.Properties.RecoveryPointTime] = *p.ID
			}
			slices.SortFunc(times, func(a, b time.Time) int { return b.Compare(a) })
			older := times[1] // not the newest
			spec := e.spec("before")
			spec.RecoveryPoint = drill.Selector{Kind: drill.PointBefore, Before: older.Add(time.Second)}
			res, err := testfailover.Run(t.Context(), c, spec)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if rp := res.Items[0].RecoveryPoint; rp.ID != ids[older] || !rp.Time.Equal(older) {
				t.Fatalf("point %+v, want %s at %s", rp, ids[older], older)
			}
			assertClean(t, e, res)

			spec.RecoveryPoint.Before = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
			res, err = testfailover.Run(t.Context(), c, spec)
			if err == nil || !strings.Contains(err.Error(), "no recovery point before 2001-01-01") || !strings.Contains(err.Error(), e.vm.Name) {
				t.Fatalf("no point before 2001: %v", err)
			}
			if !res.Items[0].FailoverStartedAt.IsZero() || res.Passed {
				t.Fatalf("no failover should have started: %+v", res.Items[0])
			}
			assertClean(t, e, res)
		})

		t.Run("interrupted", func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			spec := e.spec("interrupted")
			spec.Events = func(ev drill.Event) {
				if ev.Phase == testfailover.PhaseTestFailover {
					time.AfterFunc(50*time.Millisecond, cancel) // mid-failover
				}
			}
			res, err := testfailover.Run(ctx, c, spec)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Run = %v", err)
			}
			if res.Passed || res.CleanupCompletedAt.IsZero() || !slices.Contains(phases(res), drill.PhaseCleanup) {
				t.Fatalf("result: %+v", res)
			}
			assertClean(t, e, res)
		})

		t.Run("the answer to the test failover request lost", func(t *testing.T) {
			// The emulator runs the POST, then drops the connection before
			// answering: the transport retries it and meets the test
			// failover the first attempt started (409
			// TestFailoverAlreadyInProgress). The drill follows it, verifies
			// the test VM and cleans it up.
			f, err := acctest.Admin(t).AddFault(context.Background(), admin.FaultRule{Kind: admin.FaultDrop, AfterHandling: true,
				PathPrefix: e.itemID + "/testFailover", Count: 1})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = acctest.Admin(t).DeleteFault(context.Background(), f.ID) })
			res, err := testfailover.Run(t.Context(), c, e.spec("lost answer"))
			if err != nil || !res.Passed {
				t.Fatalf("Run = %v, result %+v", err, res)
			}
			if !hasEvent(res, testfailover.PhaseTestFailover, "answer to the drill's request was lost") {
				t.Fatalf("the drill did not meet its own retried request (was the answer dropped?): %v", phases(res))
			}
			if it := res.Items[0]; it.TestVMName != e.vm.Name+"-test" || it.FailoverCompletedAt.IsZero() {
				t.Fatalf("item: %+v", it)
			}
			assertClean(t, e, res)
		})

		t.Run("another test failover pending", func(t *testing.T) {
			parts := strings.Split(strings.Trim(e.itemID, "/"), "/")
			items := c.ProtectedItems()
			p, err := items.BeginTestFailover(t.Context(), parts[7], parts[3], parts[9], parts[11], parts[13], asr.TestFailoverInput{
				Properties: &asr.TestFailoverInputProperties{NetworkID: &e.testNet, ProviderSpecificDetails: &asr.A2ATestFailoverInput{InstanceType: to.Ptr("A2A")}}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := azure.Wait(t.Context(), p); err != nil {
				t.Fatal(err)
			}
			res, err := testfailover.Run(t.Context(), c, e.spec("second"))
			if err == nil || !strings.Contains(err.Error(), "test failover pending") {
				t.Fatalf("Run = %v", err)
			}
			// The other test failover is not the drill's to clean up.
			if _, err := c.VirtualMachines().Get(t.Context(), e.recGroup, e.vm.Name+"-test", nil); err != nil {
				t.Fatalf("the pending test failover's VM was touched: %v", err)
			}
			cp, err := items.BeginTestFailoverCleanup(t.Context(), parts[7], parts[3], parts[9], parts[11], parts[13], asr.TestFailoverCleanupInput{Properties: &asr.TestFailoverCleanupInputProperties{}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := azure.Wait(t.Context(), cp); err != nil {
				t.Fatal(err)
			}
			assertClean(t, e, res)
		})

		t.Run("the user's public IP is used and left alone", func(t *testing.T) {
			ctx := t.Context()
			parts := strings.Split(strings.Trim(e.itemID, "/"), "/")
			vault, group, fabric, container, name := parts[7], parts[3], parts[9], parts[11], parts[13]
			pp, err := c.PublicIPAddresses().BeginCreateOrUpdate(ctx, e.recGroup, "user-pip", armnetwork.PublicIPAddress{
				Location:   to.Ptr("eastus"),
				SKU:        &armnetwork.PublicIPAddressSKU{Name: to.Ptr(armnetwork.PublicIPAddressSKUNameStandard)},
				Properties: &armnetwork.PublicIPAddressPropertiesFormat{PublicIPAllocationMethod: to.Ptr(armnetwork.IPAllocationMethodStatic)},
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			pip, err := pp.PollUntilDone(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			setTfoPIP := func(ctx context.Context, id string) {
				got, err := c.ProtectedItems().Get(ctx, vault, group, fabric, container, name, nil)
				if err != nil {
					t.Fatal(err)
				}
				a2a := got.Properties.ProviderSpecificDetails.(*asr.A2AReplicationDetails)
				tfo := azure.TestFailoverNICOf(a2a)
				tfo.PublicIPID = id
				up, err := c.ProtectedItems().BeginUpdate(ctx, vault, group, fabric, container, name, asr.UpdateReplicationProtectedItemInput{
					Properties: &asr.UpdateReplicationProtectedItemInputProperties{VMNics: azure.NICInputs(azure.ItemNICsOf(a2a), tfo),
						ProviderSpecificDetails: &asr.A2AUpdateReplicationProtectedItemInput{InstanceType: to.Ptr("A2A")}}}, nil)
				if err == nil {
					_, err = up.PollUntilDone(ctx, nil)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			setTfoPIP(ctx, *pip.ID)
			t.Cleanup(func() {
				// t.Context() is cancelled by now.
				setTfoPIP(context.Background(), "")
				if p, err := c.PublicIPAddresses().BeginDelete(context.Background(), e.recGroup, "user-pip", nil); err == nil {
					_, _ = p.PollUntilDone(context.Background(), nil)
				}
			})
			res, err := testfailover.Run(ctx, c, e.spec("user-pip"))
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if a := res.Items[0].Address; a == "" || a != *pip.Properties.IPAddress {
				t.Errorf("the test VM was reached at %q, not at the user's public IP %s", a, *pip.Properties.IPAddress)
			}
			for _, ev := range res.Events {
				if ev.Phase == testfailover.PhaseTestPublicIP && !strings.Contains(ev.Message, "name public IP "+*pip.ID) {
					t.Errorf("the drill touched the user's public IP: %s", ev.Message)
				}
			}
			got, err := c.ProtectedItems().Get(ctx, vault, group, fabric, container, name, nil)
			if err != nil {
				t.Fatal(err)
			}
			if id := azure.TestFailoverNICOf(got.Properties.ProviderSpecificDetails.(*asr.A2AReplicationDetails)).PublicIPID; !strings.EqualFold(id, *pip.ID) {
				t.Errorf("the item's test failover public IP after the drill: %q, want the user's %s", id, *pip.ID)
			}
			if _, err := c.PublicIPAddresses().Get(ctx, e.recGroup, "user-pip", nil); err != nil {
				t.Errorf("the user's public IP after the drill: %v", err)
			}
		})

		t.Run("cleanup out of time reports leftovers", func(t *testing.T) {
			spec := e.spec("leftovers")
			spec.CleanupTimeout = time.Nanosecond
			res, err := testfailover.Run(t.Context(), c, spec)
			if err == nil || !strings.Contains(err.Error(), "cleanup left") || len(res.Leftovers) == 0 {
				t.Fatalf("Run = %v, leftovers %v", err, res.Leftovers)
			}
			if res.ChecksPassedAt.IsZero() || !res.Passed {
				t.Fatalf("the drill itself passed; only cleanup failed: %+v", res)
			}
			// testfailover.Cleanup removes what the drill could not; on clean items
			// (the db) and on items that are gone it does nothing.
			gone := strings.Replace(e.itemID, "/replicationProtectedItems/", "/replicationProtectedItems/gone-", 1)
			left, err := testfailover.Cleanup(t.Context(), c, []string{e.itemID, e.dbItemID, gone})
			if err != nil || len(left) != 0 {
				t.Fatalf("Cleanup = %v, %v", left, err)
			}
			// Cleanup, not the drill, deleted the drill's public IP (tagged
			// as the drill's and named by the item): not in the drill's events.
			res.Leftovers, res.CleanupCompletedAt, res.Events = nil, time.Now(), nil
			assertClean(t, e, res)
		})

		t.Run("not isolated", func(t *testing.T) {
			for _, network := range []string{e.recNet, e.prodNetID} {
				spec := e.spec("not-isolated")
				spec.TestNetworkID = network
				res, err := testfailover.Run(t.Context(), c, spec)
				if err == nil || !strings.Contains(err.Error(), "isolation") {
					t.Fatalf("test network %s: %v", network, err)
				}
				if !res.Items[0].FailoverStartedAt.IsZero() {
					t.Fatal("a failover started into a network that is not isolated")
				}
			}
		})
	})
}

// armCount is the emulator's request counters: the total and per operation.
type armCount struct {
	Requests   int
	Operations map[string]int
}

func (a armCount) minus(b armCount) armCount {
	out := armCount{Requests: a.Requests - b.Requests, Operations: map[string]int{}}
	for op, n := range a.Operations {
		if d := n - b.Operations[op]; d != 0 {
			out.Operations[op] = d
		}
	}
	return out
}

// armStats reads the emulator's request counters (its admin API's stats).
func armStats(t *testing.T) armCount {
	t.Helper()
	s, err := acctest.Admin(t).Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return armCount{Requests: s.Requests, Operations: s.ByOperation()}
}

// wantJob reads a Site Recovery job by its id and checks what it was.
func wantJob(t *testing.T, c *azure.Client, id, scenario, target string) {
	t.Helper()
	parts := strings.Split(id, "/") // "", subscriptions, {sub}, resourceGroups, {rg}, providers, ns, vaults, {v}, replicationJobs, {name}
	if len(parts) != 11 || !strings.EqualFold(parts[9], "replicationJobs") {
		t.Fatalf("job id %q is not {vault}/replicationJobs/{name}", id)
	}
	job, err := c.ReplicationJobs().Get(context.Background(), parts[8], parts[4], parts[10], nil)
	if err != nil {
		t.Fatalf("reading job %s: %s", id, azure.Describe(err))
	}
	if p := job.Properties; *p.ScenarioName != scenario || *p.State != "Succeeded" || *p.TargetObjectName != target {
		t.Fatalf("job %s = %s %s on %s, want %s Succeeded on %s", id, *p.ScenarioName, *p.State, *p.TargetObjectName, scenario, target)
	}
}
