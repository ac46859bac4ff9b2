package failover_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }

const drillAddr = "azuredr_test_failover.drill"

// estate is production for one test: a group and network in centralus and
// a VM in its web subnet, replicated by the configuration drillConfig
// writes.
type estate struct {
	name string
	acctest.Estate
	VM acctest.VM
}

func newEstate(t *testing.T, prefix string) estate {
	acctest.EmulatorOnly(t, acctest.SeededVMReason)
	name := acctest.RandomName(prefix)
	e := acctest.CreateEstate(t, name, "centralus")
	vm := acctest.CreateVM(t, e.Group, name+"-web", "", e.NetworkID+"/subnets/web", acctest.WithSiteTitle("Milestone CMS"))
	return estate{name: name, Estate: e, VM: vm}
}

// drillConfig is a site, network pair, policy and replicated VM, plus the
// azuredr_test_failover "drill" with body when body is not empty.
func drillConfig(t *testing.T, e estate, body string) string {
	cfg := acctest.ProviderConfig(t) + fmt.Sprintf(`
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
  name    = "%[1]s-policy"
  site_id = azuredr_site.test.id
}

resource "azuredr_replicated_vm" "web" {
  site_id               = azuredr_site.test.id
  replication_policy_id = azuredr_replication_policy.test.id
  network_id            = azuredr_network.test.id
  source_vm_id          = %[3]q
  recovery_subnet_name  = "web"
}
`, e.name, e.NetworkID, e.VM.ID)
	if body != "" {
		cfg += fmt.Sprintf(`
resource "azuredr_test_failover" "drill" {
  name              = "%s-drill"
  network_id        = azuredr_network.test.id
  replicated_vm_ids = [azuredr_replicated_vm.web.id]
%s
}
`, e.name, body)
	}
	return cfg
}

// homePage is an http check of the test VM's web site.
func homePage(t *testing.T, bodyRegex string) string {
	return fmt.Sprintf(`
  check = [{
    name       = "home-page"
    type       = "http"
    url        = "http://{address}:%d/"
    body_regex = %q
  }]`, acctest.Emulator(t).WebPort(), bodyRegex)
}

// noTestVMs asserts the emulator runs no test-failover VM of this estate.
func noTestVMs(t *testing.T, e estate) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if vms := testVMs(t, e); len(vms) > 0 {
			return fmt.Errorf("test VMs left behind: %v", vms)
		}
		return nil
	}
}

func testVMs(t *testing.T, e estate) []string {
	vms, err := acctest.Admin(t).VMs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range vms {
		if v.Role == "test" && strings.HasPrefix(v.Name, e.VM.Name) {
			names = append(names, v.Name)
		}
	}
	return names
}

func TestAccTestFailover_passingDrill(t *testing.T) {
	e := newEstate(t, "tfo")
	body := homePage(t, "Milestone CMS") + `
  rto = "45m"
  rpo = "15m"`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(noTestVMs(t, e), estateGone(t, e)),
		Steps: []resource.TestStep{
			{Config: drillConfig(t, e, "")},
			{
				PreConfig: func() { waitForPoints(t, e, 1) },
				Config:    drillConfig(t, e, body),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(drillAddr, "passed", "true"),
					resource.TestCheckResourceAttr(drillAddr, "breaches.#", "0"),
					resource.TestMatchResourceAttr(drillAddr, "measured_rto", regexp.MustCompile(`^\d`)),
					resource.TestMatchResourceAttr(drillAddr, "measured_rpo", regexp.MustCompile(`^\d`)),
					resource.TestCheckResourceAttr(drillAddr, "items.#", "1"),
					resource.TestCheckResourceAttr(drillAddr, "items.0.test_vm_name", e.VM.Name+"-test"),
					resource.TestMatchResourceAttr(drillAddr, "items.0.ready_at", regexp.MustCompile(`^\d{4}-`)),
					// The seeded VM's site serves data version 1 until a canary.
					resource.TestCheckResourceAttr(drillAddr, "items.0.data_version", "1"),
					resource.TestMatchResourceAttr(drillAddr, "items.0.data_written_at", regexp.MustCompile(`^\d{4}-`)),
					resource.TestMatchResourceAttr(drillAddr, "cleanup_completed_at", regexp.MustCompile(`^\d{4}-`)),
					resource.TestMatchResourceAttr(drillAddr, "timeline.0", regexp.MustCompile(`validate|isolation`)),
					noTestVMs(t, e),
				),
			},
			{
				// After the drill the replicated VM reports its successful
				// test failover, as the portal does, and nothing pending.
				Config: drillConfig(t, e, body),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("azuredr_replicated_vm.web", "test_failover_state", "None"),
					resource.TestMatchResourceAttr("azuredr_replicated_vm.web", "last_successful_test_failover_at", regexp.MustCompile(`^\d{4}-`)),
				),
			},
		},
	})
}

func TestAccTestFailover_failingCheckCleansUp(t *testing.T) {
	e := newEstate(t, "tfofail")
	body := homePage(t, "this text is on no page") + `
  timeouts {
    create = "20s"
  }`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             estateGone(t, e),
		Steps: []resource.TestStep{
			{Config: drillConfig(t, e, "")},
			{
				PreConfig:   func() { waitForPoints(t, e, 1) },
				Config:      drillConfig(t, e, body),
				ExpectError: regexp.MustCompile(`(?s)Drill .*failed.*Cleanup ran`),
			},
			{
				// Nothing left: no test VM, and the item takes a new drill.
				Config: drillConfig(t, e, ""),
				Check: resource.ComposeTestCheckFunc(
					noTestVMs(t, e),
					resource.TestCheckResourceAttr("azuredr_replicated_vm.web", "test_failover_state", "None"),
				),
			},
		},
	})
}

func TestAccTestFailover_objectiveBreach(t *testing.T) {
	e := newEstate(t, "tfobreach")
	// No VM boots in one simulated second: the RTO is missed.
	strict := homePage(t, "Milestone CMS") + `
  rto = "1s"`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             estateGone(t, e),
		Steps: []resource.TestStep{
			{Config: drillConfig(t, e, "")},
			{
				PreConfig:   func() { waitForPoints(t, e, 1) },
				Config:      drillConfig(t, e, strict),
				ExpectError: regexp.MustCompile(`(?s)missed its objectives.*RTO: measured`),
			},
			{
				Config: drillConfig(t, e, strict+`
  on_breach = "warn"`),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(drillAddr, "passed", "false"),
					resource.TestCheckResourceAttr(drillAddr, "breaches.#", "1"),
					resource.TestCheckResourceAttr(drillAddr, "breaches.0.objective", "rto"),
					resource.TestCheckResourceAttr(drillAddr, "breaches.0.target", "1s"),
					noTestVMs(t, e),
				),
			},
		},
	})
}

func TestAccTestFailover_recoveryPointBefore(t *testing.T) {
	e := newEstate(t, "tfobefore")
	// "Infected" at the newest point: the drill must use the one before it.
	body := homePage(t, "Milestone CMS") + `
  recovery_point        = "before"
  recovery_point_before = data.azuredr_recovery_points.all.recovery_points[0].time
}

data "azuredr_recovery_points" "all" {
  replicated_vm_id = azuredr_replicated_vm.web.id`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             estateGone(t, e),
		Steps: []resource.TestStep{
			{Config: drillConfig(t, e, "")},
			{
				PreConfig: func() { waitForPoints(t, e, 2) },
				Config:    drillConfig(t, e, body),
				// recovery_point_before follows the newest point, which moves
				// on: the next plan runs the drill again, as it should.
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(drillAddr, "passed", "true"),
					resource.TestCheckResourceAttrPair(drillAddr, "items.0.recovery_point_time", "data.azuredr_recovery_points.all", "recovery_points.1.time"),
				),
			},
		},
	})
}

// waitForPoints waits until the VM has at least n recovery points and
// returns their times, newest first (RFC 3339).
func waitForPoints(t *testing.T, e estate, n int) []string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		rep, err := acctest.Admin(t).Replication(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range rep.Items {
			if strings.EqualFold(it.VMID, e.VM.ID) && len(it.RecoveryPoints) >= n {
				var times []string
				for _, p := range it.RecoveryPoints {
					times = append(times, p.Time.UTC().Format(time.RFC3339))
				}
				return times
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("the emulator never reported %d recovery points for %s", n, e.VM.ID)
	return nil
}

// A drill interrupted after its test failover (the provider killed, the
// machine lost) leaves the item pending cleanup; destroying the drill
// resource cleans it up.
func TestAccTestFailover_destroyCleansUpAnInterruptedDrill(t *testing.T) {
	e := newEstate(t, "tfoint")
	body := homePage(t, "Milestone CMS")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             estateGone(t, e),
		Steps: []resource.TestStep{
			{Config: drillConfig(t, e, "")},
			{
				PreConfig: func() { waitForPoints(t, e, 1) },
				Config:    drillConfig(t, e, body),
				Check:     resource.TestCheckResourceAttr(drillAddr, "passed", "true"),
			},
			{
				// What an interrupted run leaves: a test failover, never
				// cleaned up, with its test VM running.
				PreConfig: func() {
					startTestFailoverBehindTerraform(t, e)
					if vms := testVMs(t, e); len(vms) != 1 {
						t.Fatalf("setting up the leftover: test VMs %v, want one", vms)
					}
				},
				Config: drillConfig(t, e, ""), // the drill resource is destroyed
				Check: resource.ComposeTestCheckFunc(
					noTestVMs(t, e),
					// (state was refreshed before the destroy: ask Site Recovery)
					nothingPendingCleanup(t, e),
				),
			},
		},
	})
}
