package replication_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

const vmAddr = "azuredr_replicated_vm.web"

// drEstate is production for one test: a group and network in centralus
// and a VM in its web subnet.
type drEstate struct {
	name string
	acctest.Estate
	VM acctest.VM
}

func newDREstate(t *testing.T, prefix string) drEstate {
	acctest.EmulatorOnly(t, acctest.SeededVMReason)
	name := acctest.RandomName(prefix)
	e := acctest.CreateEstate(t, name, "centralus")
	vm := acctest.CreateVM(t, e.Group, name+"-web-1", "", e.NetworkID+"/subnets/web")
	return drEstate{name: name, Estate: e, VM: vm}
}

// gone checks after the destroy, through the SDK, that the replicated VM
// (the protected item of the estate's VM) and the site are gone.
func (d drEstate) gone(t *testing.T) resource.TestCheckFunc {
	item := "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + d.name + "-dr/providers/Microsoft.RecoveryServices/vaults/" + d.name +
		"-vault/replicationFabrics/azuredr-centralus/replicationProtectionContainers/azuredr-centralus-container/replicationProtectedItems/" + d.VM.Name
	return acctest.CheckDestroy(t, append(acctest.SiteGone(d.name), acctest.IDGone(item))...)
}

// vaultItems lists the protected items in the test's vault.
func (d drEstate) vaultItems(t *testing.T) []string {
	t.Helper()
	var out []string
	pager := acctest.Client(t).ProtectedItems().NewListPager(d.name+"-vault", d.name+"-dr", nil)
	for pager.More() {
		page, err := pager.NextPage(context.Background())
		if azure.IsNotFound(err) {
			return nil // the vault (or the whole site) is gone
		}
		if err != nil {
			t.Fatalf("listing protected items: %v", err)
		}
		for _, it := range page.Value {
			out = append(out, *it.Name)
		}
	}
	return out
}

// drConfig is a site centralus -> eastus, the network pair, a policy and,
// when vmBlock is not empty, the azuredr_replicated_vm "web" with vmBlock
// as its body.
func drConfig(t *testing.T, d drEstate, vmBlock string, extra ...string) string {
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
  name                     = "%[1]s-policy"
  site_id                  = azuredr_site.test.id
  recovery_point_retention = "24h"
}
`, d.name, d.NetworkID)
	if vmBlock != "" {
		cfg += fmt.Sprintf(`
resource "azuredr_replicated_vm" "web" {
  site_id               = azuredr_site.test.id
  replication_policy_id = azuredr_replication_policy.test.id
  network_id            = azuredr_network.test.id
%s
}
`, vmBlock)
	}
	return cfg + strings.Join(extra, "\n")
}

func vmBody(vmID string, lines ...string) string {
	return fmt.Sprintf("  source_vm_id          = %q\n", vmID) + strings.Join(lines, "\n")
}

func TestAccReplicatedVM_basic(t *testing.T) {
	d := newDREstate(t, "rvm")
	body := vmBody(d.VM.ID, `  recovery_subnet_name = "web"`)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if items := d.vaultItems(t); len(items) != 0 {
				return fmt.Errorf("replication still enabled after destroy: %v", items)
			}
			return d.gone(t)(nil)
		},
		Steps: []resource.TestStep{
			{
				Config: drConfig(t, d, body),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("name"), knownvalue.StringExact(d.VM.Name)),
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("protection_state"), knownvalue.StringExact("Protected")),
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("replication_health"), knownvalue.StringExact("Normal")),
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("initial_replication_progress"), knownvalue.Int64Exact(100)),
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("test_failover_state"), knownvalue.StringExact("None")),
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("last_successful_test_failover_at"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("health_errors"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("allowed_operations"), knownvalue.ListPartial(map[int]knownvalue.Check{0: knownvalue.StringExact("TestFailover")})),
				},
				Check: resource.ComposeTestCheckFunc(
					resource.TestMatchResourceAttr(vmAddr, "id", regexp.MustCompile(`/replicationProtectedItems/`+regexp.QuoteMeta(d.VM.Name)+`$`)),
					resource.TestCheckResourceAttr(vmAddr, "target_vm_size", "Standard_D2s_v3"),
					checkRPOBetween(vmAddr, 1, 5*60),
					func(*terraform.State) error {
						if items := d.vaultItems(t); len(items) != 1 || items[0] != d.VM.Name {
							return fmt.Errorf("vault items = %v, want [%s]", items, d.VM.Name)
						}
						return nil
					},
				),
			},
			{
				// Recovery points arrive on the policy's cadence: once the
				// first exists, a refresh puts it in state.
				PreConfig: func() { waitForRecoveryPoints(t, d.VM.ID, 1) },
				Config:    drConfig(t, d, body),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("latest_recovery_point").AtMapKey("type"),
						knownvalue.StringRegexp(regexp.MustCompile(`^(CrashConsistent|AppConsistent)$`))),
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("latest_recovery_point").AtMapKey("sync_type"), knownvalue.StringExact("PerVmRecoveryPoint")),
				},
				Check: resource.TestMatchResourceAttr(vmAddr, "latest_recovery_point.time", regexp.MustCompile(`^\d{4}-\d\d-\d\dT`)),
			},
			{
				ResourceName: vmAddr, ImportState: true, ImportStateVerify: true,
				// The live figures move between two reads; the settings must not.
				ImportStateVerifyIgnore: []string{"timeouts", "rpo_seconds", "last_rpo_calculated_at", "latest_recovery_point", "latest_recovery_point.%",
					"latest_recovery_point.id", "latest_recovery_point.name", "latest_recovery_point.time", "latest_recovery_point.type", "latest_recovery_point.sync_type"},
			},
			{
				// Size and subnet change in place, without a new initial replication.
				Config: drConfig(t, d, vmBody(d.VM.ID, `  recovery_subnet_name = "db"`, `  target_vm_size = "Standard_D4s_v3"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(vmAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(vmAddr, "target_vm_size", "Standard_D4s_v3"),
					resource.TestCheckResourceAttr(vmAddr, "recovery_subnet_name", "db"),
					resource.TestCheckResourceAttr(vmAddr, "protection_state", "Protected"),
				),
			},
		},
	})
}

func TestAccReplicatedVM_driftAndPause(t *testing.T) {
	d := newDREstate(t, "rvmd")
	body := vmBody(d.VM.ID, `  recovery_subnet_name = "web"`)
	var pauseID string
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             d.gone(t),
		Steps: []resource.TestStep{
			{Config: drConfig(t, d, body)},
			{
				// Replication paused: health goes Critical, with the reason.
				PreConfig: func() { pauseID = addFault(t, admin.FaultRule{Kind: admin.FaultReplicationPause, VMID: d.VM.ID}) },
				Config:    drConfig(t, d, body),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(vmAddr, "replication_health", "Critical"),
					resource.TestMatchResourceAttr(vmAddr, "health_errors.0.message", regexp.MustCompile(`(?i)paused`)),
				),
			},
			{
				// ... and the RPO grows while it stays paused.
				PreConfig: func() { time.Sleep(2 * time.Second) }, // 10 simulated minutes at time scale 300
				Config:    drConfig(t, d, body),
				Check:     checkRPOBetween(vmAddr, 9*60, 24*60*60),
			},
			{
				PreConfig: func() { removeFault(t, pauseID); time.Sleep(time.Second) },
				Config:    drConfig(t, d, body),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(vmAddr, "replication_health", "Normal"),
					checkRPOBetween(vmAddr, 1, 5*60),
				),
			},
			{
				// Replication disabled behind Terraform's back: the plan
				// enables it again.
				PreConfig: func() { disableOutOfBand(t, d) },
				Config:    drConfig(t, d, body),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(vmAddr, plancheck.ResourceActionCreate),
				}},
				Check: resource.TestCheckResourceAttr(vmAddr, "protection_state", "Protected"),
			},
		},
	})
}

// A destroy that finds the disable already running (its own request
// retried after a dropped connection, or a killed earlier run) waits for
// the item to go instead of failing on Site Recovery's conflict.
func TestAccReplicatedVM_destroyResumesADisableInProgress(t *testing.T) {
	d := newDREstate(t, "rvmdr")
	body := vmBody(d.VM.ID, `  recovery_subnet_name = "web"`)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             d.gone(t),
		Steps: []resource.TestStep{
			{Config: drConfig(t, d, body)},
			{
				PreConfig: func() { startDisableOutOfBand(t, d) },
				Config:    drConfig(t, d, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(vmAddr, plancheck.ResourceActionDestroy),
				}},
				Check: func(*terraform.State) error {
					if items := d.vaultItems(t); len(items) > 0 {
						return fmt.Errorf("items left in the vault after the destroy: %v", items)
					}
					return nil
				},
			},
		},
	})
}

func TestAccReplicatedVM_dataSources(t *testing.T) {
	d := newDREstate(t, "rvmds")
	body := vmBody(d.VM.ID, `  recovery_subnet_name = "web"`)
	ds := `
data "azuredr_replicated_vm" "byname" {
  site_id = azuredr_site.test.id
  name    = azuredr_replicated_vm.web.name
}

data "azuredr_recovery_points" "all" {
  replicated_vm_id = azuredr_replicated_vm.web.id
}

data "azuredr_recovery_points" "none_before_replication" {
  replicated_vm_id = azuredr_replicated_vm.web.id
  before           = "2001-01-01T00:00:00Z"
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             d.gone(t),
		Steps: []resource.TestStep{
			{Config: drConfig(t, d, body)},
			{
				PreConfig: func() { waitForRecoveryPoints(t, d.VM.ID, 2) },
				Config:    drConfig(t, d, body, ds),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrPair("data.azuredr_replicated_vm.byname", "id", vmAddr, "id"),
					resource.TestCheckResourceAttr("data.azuredr_replicated_vm.byname", "protection_state", "Protected"),
					resource.TestCheckResourceAttr("data.azuredr_replicated_vm.byname", "source_vm_id", d.VM.ID),
					resource.TestCheckResourceAttr("data.azuredr_replicated_vm.byname", "recovery_subnet_name", "web"),
					checkAtLeast("data.azuredr_recovery_points.all", "recovery_points.#", 2),
					checkNewestFirst("data.azuredr_recovery_points.all"),
					resource.TestCheckResourceAttrPair("data.azuredr_recovery_points.all", "latest.id", "data.azuredr_recovery_points.all", "recovery_points.0.id"),
					resource.TestCheckResourceAttr("data.azuredr_recovery_points.none_before_replication", "recovery_points.#", "0"),
					resource.TestCheckNoResourceAttr("data.azuredr_recovery_points.none_before_replication", "latest.id"),
				),
			},
		},
	})
}

func TestAccBadInput_ReplicatedVM(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.BadInputReason)
	d := newDREstate(t, "rvmbad")
	other := acctest.RandomName("rvmother")
	otherEstate := acctest.CreateEstate(t, other, "eastus2")
	eastVM := acctest.CreateVM(t, otherEstate.Group, other+"-vm", "", otherEstate.NetworkID+"/subnets/web")
	missingVM := strings.Replace(d.VM.ID, d.VM.Name, "no-such-vm", 1)
	cases := []struct {
		name string
		body string
		want string
		attr string
	}{
		{"vm does not exist", vmBody(missingVM, `  recovery_subnet_name = "web"`), `(?s)source_vm_id.*no-such-vm\s+does\s+not\s+exist`, `source_vm_id`},
		{"vm outside the primary region", vmBody(eastVM.ID, `  recovery_subnet_name = "web"`), `(?s)source_vm_id.*runs\s+in\s+eastus2`, `source_vm_id`},
		{"subnet not in the recovery network", vmBody(d.VM.ID, `  recovery_subnet_name = "app"`), `(?s)recovery_subnet_name.*has\s+no\s+subnet\s+"app".*db,\s+web`, `recovery_subnet_name`},
		{"not a vm id", vmBody(d.Estate.NetworkID, `  recovery_subnet_name = "web"`), `(?s)source_vm_id`, `source_vm_id`},
		{"bad zone", vmBody(d.VM.ID, `  recovery_subnet_name = "web"`, `  target_zone = "4"`), `(?s)target_zone`, `target_zone`},
	}
	suite := acctest.BadInputSuite{
		Creates: []string{"ReplicationProtectedItems_Create"},
		Base:    func(t *testing.T) string { return drConfig(t, d, "") },
		Shared:  true,
		Check: func(t *testing.T, c acctest.BadInput) error {
			if items := d.vaultItems(t); len(items) != 0 {
				return fmt.Errorf("case %q left protected items: %v", c.Name, items)
			}
			return nil
		},
	}
	for _, c := range cases {
		suite.Cases = append(suite.Cases, acctest.BadInput{Name: c.name, Config: drConfig(t, d, c.body), Attribute: c.attr, Want: c.want})
	}
	suite.Run(t)
}

// checkRPOBetween asserts rpo_seconds lies in [lo, hi].
func checkRPOBetween(addr string, lo, hi int64) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		v, err := strconv.ParseInt(rs.Primary.Attributes["rpo_seconds"], 10, 64)
		if err != nil {
			return fmt.Errorf("rpo_seconds = %q: %v", rs.Primary.Attributes["rpo_seconds"], err)
		}
		if v < lo || v > hi {
			return fmt.Errorf("rpo_seconds = %d, want between %d and %d", v, lo, hi)
		}
		return nil
	}
}

func checkAtLeast(addr, attr string, n int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		v, _ := strconv.Atoi(rs.Primary.Attributes[attr])
		if v < n {
			return fmt.Errorf("%s.%s = %d, want at least %d", addr, attr, v, n)
		}
		return nil
	}
}

// checkNewestFirst asserts the recovery points are in descending time order.
func checkNewestFirst(addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		a := s.RootModule().Resources[addr].Primary.Attributes
		n, _ := strconv.Atoi(a["recovery_points.#"])
		var prev time.Time
		for i := 0; i < n; i++ {
			tm, err := time.Parse(time.RFC3339, a[fmt.Sprintf("recovery_points.%d.time", i)])
			if err != nil {
				return err
			}
			if i > 0 && !tm.Before(prev) {
				return fmt.Errorf("recovery point %d (%s) is not older than point %d (%s)", i, tm, i-1, prev)
			}
			prev = tm
		}
		return nil
	}
}

// waitForRecoveryPoints waits until the emulator reports at least n
// recovery points for the VM.
func waitForRecoveryPoints(t *testing.T, vmID string, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		for _, it := range replicationReport(t) {
			if strings.EqualFold(it.VMID, vmID) && len(it.RecoveryPoints) >= n {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("the emulator never reported %d recovery points for %s", n, vmID)
}

func replicationReport(t *testing.T) []admin.ReplicationItem {
	t.Helper()
	rep, err := acctest.Admin(t).Replication(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep.Items
}

func addFault(t *testing.T, rule admin.FaultRule) string {
	t.Helper()
	f, err := acctest.Admin(t).AddFault(context.Background(), rule)
	if err != nil {
		t.Fatalf("adding fault %+v: %v", rule, err)
	}
	t.Cleanup(func() { removeFault(t, f.ID) })
	return f.ID
}

// removeFault removes a rule that may be gone already (removed by the test
// before its cleanup).
func removeFault(t *testing.T, id string) {
	_ = acctest.Admin(t).DeleteFault(context.Background(), id)
}

// disableOutOfBand disables replication of the test VM through the SDK.
func disableOutOfBand(t *testing.T, d drEstate) {
	t.Helper()
	if _, err := startDisableOutOfBand(t, d).PollUntilDone(context.Background(), nil); err != nil {
		t.Fatalf("disabling replication behind Terraform's back: %v", err)
	}
}

// startDisableOutOfBand starts disabling replication of the test VM
// through the SDK and does not wait for the job.
func startDisableOutOfBand(t *testing.T, d drEstate) *runtime.Poller[asr.ReplicationProtectedItemsClientDeleteResponse] {
	t.Helper()
	reason := asr.DisableProtectionReasonNotSpecified
	p, err := acctest.Client(t).ProtectedItems().BeginDelete(context.Background(), d.name+"-vault", d.name+"-dr", "azuredr-centralus", "azuredr-centralus-container", d.VM.Name,
		asr.DisableProtectionInput{Properties: &asr.DisableProtectionInputProperties{DisableProtectionReason: &reason}}, nil)
	if err != nil {
		t.Fatalf("disabling replication behind Terraform's back: %v", err)
	}
	return p
}
