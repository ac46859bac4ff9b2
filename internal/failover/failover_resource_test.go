package failover_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
	"github.com/azuredr/terraform-provider-azuredr/internal/approval"
)

const failoverAddr = "azuredr_failover.dr"

// approver is a key made in the test; its public key is in the site's
// approver block.
type approver struct {
	name string
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
}

func newApprover(t *testing.T, name string) approver {
	t.Helper()
	pub, priv, err := approval.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return approver{name: name, pub: pub, priv: priv}
}

// sign signs an approval of action on plan, valid for validity (negative:
// already expired).
func (a approver) sign(t *testing.T, plan string, action approval.Action, validity time.Duration) string {
	t.Helper()
	tok, err := approval.Sign(a.priv, approval.Approval{PlanID: plan, Action: action, Expires: time.Now().Add(validity).Truncate(time.Second), Approver: a.name, Reason: "acceptance test"})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// planID is the id azuredr_recovery_plan.test gets (checked in the first
// step), so approvals can be signed before the plan exists.
func planID(e estate) string {
	return "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + e.name + "-dr/providers/Microsoft.RecoveryServices/vaults/" + e.name + "-vault/replicationRecoveryPlans/cms"
}

// failoverConfig is a site with ap as its approver, a network pair, policy,
// replicated VM and recovery plan, plus azuredr_failover.dr with body when
// body is not empty.
func failoverConfig(t *testing.T, e estate, ap approver, body string) string {
	cfg := acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_site" "test" {
  name              = %[1]q
  primary_location  = "centralus"
  recovery_location = "eastus"

  approver {
    name       = %[4]q
    public_key = %[5]q
  }
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

resource "azuredr_recovery_plan" "test" {
  name    = "cms"
  site_id = azuredr_site.test.id
  group {
    replicated_vm_ids = [azuredr_replicated_vm.web.id]
    post_action {
      name    = "switch-connection-strings"
      type    = "script"
      command = ["sh", "-c", "echo \"group $AZUREDR_GROUP failed over: $AZUREDR_ITEMS\""]
    }
  }
}
`, e.name, e.NetworkID, e.VM.ID, ap.name, approval.FormatPublicKey(ap.pub))
	if body != "" {
		cfg += fmt.Sprintf(`
resource "azuredr_failover" "dr" {
  name             = "%s-cutover"
  site_id          = azuredr_site.test.id
  recovery_plan_id = azuredr_recovery_plan.test.id
%s
}
`, e.name, body)
	}
	return cfg
}

// itemState reads the replicated VM's protection state and active location
// through the SDK.
func itemState(t *testing.T, e estate) (protection, active string) {
	t.Helper()
	c := acctest.Client(t)
	pager := c.ProtectedItems().NewListPager(e.name+"-vault", e.name+"-dr", nil)
	for pager.More() {
		page, err := pager.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Value {
			if it == nil || it.ID == nil || it.Properties == nil {
				continue
			}
			id, err := arm.ParseResourceID(*it.ID)
			if err != nil {
				t.Fatal(err)
			}
			if strings.EqualFold(id.Name, e.VM.Name) || strings.EqualFold(deref(it.Properties.FriendlyName), e.VM.Name) {
				return deref(it.Properties.ProtectionState), deref(it.Properties.ActiveLocation)
			}
		}
	}
	t.Fatalf("no protected item for %s in %s-vault", e.VM.Name, e.name)
	return "", ""
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// itemIs checks the item's state through the SDK.
func itemIs(t *testing.T, e estate, protection, active string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		p, a := itemState(t, e)
		if p != protection || a != active {
			return fmt.Errorf("item %s is %s, active on %s; want %s on %s", e.VM.Name, p, a, protection, active)
		}
		return nil
	}
}

// untouched fails the test unless the item is still Protected on the
// primary: a refused approval started nothing.
func untouched(t *testing.T, e estate) func() {
	return func() {
		if err := itemIs(t, e, "Protected", "Primary")(nil); err != nil {
			t.Fatal("after a refused approval: " + err.Error())
		}
	}
}

func TestAccFailover_shutdownReprotect(t *testing.T) {
	e := newEstate(t, "fo")
	ap := newApprover(t, "cio")
	tok := ap.sign(t, planID(e), approval.Failover, time.Hour)
	body := fmt.Sprintf(`
  approval = %q`, tok)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             estateGone(t, e),
		Steps: []resource.TestStep{
			{
				Config: failoverConfig(t, e, ap, ""),
				Check:  resource.TestCheckResourceAttr("azuredr_recovery_plan.test", "id", planID(e)),
			},
			{
				PreConfig: func() { waitForPoints(t, e, 1); untouched(t, e)() },
				Config:    failoverConfig(t, e, ap, body),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(failoverAddr, "approved_by", "cio"),
					resource.TestCheckResourceAttr(failoverAddr, "type", "unplanned"),
					resource.TestCheckResourceAttr(failoverAddr, "shutdown_source_vms", "true"),
					checkTimeline(failoverAddr, regexp.MustCompile(`failover.*the source VMs shut down first`)),
					// The re-protect named the site's cache account in the
					// recovery region (the new source), which it created.
					checkTimeline(failoverAddr, regexp.MustCompile(`reprotect .*RecoveryToPrimary \(\d+ disk\(s\), cache account asrcache`)),
					cacheAccountIn(t, e, "eastus"),
					// The plan's post action ran after its group failed over.
					checkTimeline(failoverAddr, regexp.MustCompile(`post-action.*switch-connection-strings: done`)),
					resource.TestMatchResourceAttr(failoverAddr, "started_at", regexp.MustCompile(`^\d{4}-`)),
					resource.TestMatchResourceAttr(failoverAddr, "committed_at", regexp.MustCompile(`^\d{4}-`)),
					resource.TestMatchResourceAttr(failoverAddr, "reprotected_at", regexp.MustCompile(`^\d{4}-`)),
					resource.TestCheckResourceAttr(failoverAddr, "failed_back_at", ""),
					resource.TestMatchResourceAttr(failoverAddr, "measured_rto", regexp.MustCompile(`^\d`)),
					resource.TestCheckResourceAttr(failoverAddr, "items.#", "1"),
					resource.TestCheckResourceAttr(failoverAddr, "items.0.protection_state", "Protected"),
					resource.TestCheckResourceAttr(failoverAddr, "items.0.active_location", "Recovery"),
					resource.TestMatchResourceAttr(failoverAddr, "items.0.failover_job_id", regexp.MustCompile(`/replicationJobs/.+`)),
					resource.TestMatchResourceAttr(failoverAddr, "items.0.commit_job_id", regexp.MustCompile(`/replicationJobs/.+`)),
					resource.TestMatchResourceAttr(failoverAddr, "items.0.reprotect_job_id", regexp.MustCompile(`/replicationJobs/.+`)),
					resource.TestCheckResourceAttr(failoverAddr, "items.0.failback_job_id", ""),
					resource.TestMatchResourceAttr(failoverAddr, "timeline.0", regexp.MustCompile(`validate`)),
					itemIs(t, e, "Protected", "Recovery"),
					sourceVMRunning(t, e, false),
				),
			},
			{
				// A new approval changes nothing and runs nothing.
				Config: failoverConfig(t, e, ap, fmt.Sprintf(`
  approval = %q`, ap.sign(t, planID(e), approval.Failover, 2*time.Hour))),
				Check: itemIs(t, e, "Protected", "Recovery"),
			},
		},
	})
}

// Azure's refusals reached through the SDK on the provider's estate: A2A
// has no planned failover, and re-protect needs a complete A2A input; the
// provider's own failover (shutdown_source_vms = false leaves the source
// running) commits without re-protect so the refusals can be tried on the
// committed item.
func TestAccFailover_refusedByAzure(t *testing.T) {
	e := newEstate(t, "forf")
	ap := newApprover(t, "cio")
	body := fmt.Sprintf(`
  shutdown_source_vms = false
  reprotect           = false
  approval            = %q`, ap.sign(t, planID(e), approval.Failover, time.Hour))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             estateGone(t, e),
		Steps: []resource.TestStep{
			{Config: failoverConfig(t, e, ap, "")},
			{
				PreConfig: func() { waitForPoints(t, e, 1); wantPlannedFailoverRefused(t, e) },
				Config:    failoverConfig(t, e, ap, body),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(failoverAddr, "reprotected_at", ""),
					itemIs(t, e, "UnplannedFailoverCommitted", "Recovery"),
					sourceVMRunning(t, e, true),
					wantIncompleteReprotectRefused(t, e),
				),
			},
		},
	})
}

func TestAccFailover_failback(t *testing.T) {
	e := newEstate(t, "fofb")
	ap := newApprover(t, "cio")
	body := fmt.Sprintf(`
  recovery_point    = "latest_processed"
  failback          = true
  approval          = %q
  failback_approval = %q`, ap.sign(t, planID(e), approval.Failover, time.Hour), ap.sign(t, planID(e), approval.Failback, time.Hour))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             estateGone(t, e),
		Steps: []resource.TestStep{
			{Config: failoverConfig(t, e, ap, "")},
			{
				PreConfig: func() { waitForPoints(t, e, 1) },
				Config:    failoverConfig(t, e, ap, body),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(failoverAddr, "approved_by", "cio,cio"),
					resource.TestMatchResourceAttr(failoverAddr, "reprotected_at", regexp.MustCompile(`^\d{4}-`)),
					resource.TestMatchResourceAttr(failoverAddr, "failed_back_at", regexp.MustCompile(`^\d{4}-`)),
					resource.TestMatchResourceAttr(failoverAddr, "items.0.recovery_point_time", regexp.MustCompile(`^\d{4}-`)),
					resource.TestCheckResourceAttr(failoverAddr, "items.0.active_location", "Primary"),
					checkTimeline(failoverAddr, regexp.MustCompile(`failback.*unplanned failover back to the primary region`)),
					resource.TestMatchResourceAttr(failoverAddr, "items.0.failback_job_id", regexp.MustCompile(`/replicationJobs/.+`)),
					itemIs(t, e, "Protected", "Primary"),
					sourceVMRunning(t, e, true),
				),
			},
		},
	})
}

// Refused approvals and bad failover configurations: each names its
// attribute, and nothing fails over (the item stays Protected on the
// primary; no failover request reaches Azure).
func TestAccBadInput_Failover(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.BadInputReason)
	e := newEstate(t, "forefuse")
	ap := newApprover(t, "cio")
	intruder := approver{name: "cio"}
	intruder.pub, intruder.priv, _ = approval.GenerateKey(rand.Reader)
	plan := planID(e)
	failover := func(tok string) string {
		return failoverConfig(t, e, ap, fmt.Sprintf("  approval = %q", tok))
	}
	good := ap.sign(t, plan, approval.Failover, time.Hour)
	missingScript := strings.Replace(failover(good), `["sh", "-c",`, `["./no-such-script.sh", "-c",`, 1)
	if missingScript == failover(good) {
		t.Fatal("the recovery plan's script action is not where the test expects it")
	}
	acctest.BadInputSuite{
		Creates: []string{"ReplicationProtectedItems_UnplannedFailover",
			"ReplicationProtectedItems_FailoverCommit", "ReplicationProtectedItems_Reprotect"},
		Base:    func(t *testing.T) string { return failoverConfig(t, e, ap, "") },
		Shared:  true,
		PreCase: func(t *testing.T) { waitForPoints(t, e, 1) },
		Check: func(t *testing.T, _ acctest.BadInput) error {
			return itemIs(t, e, "Protected", "Primary")(nil)
		},
		Cases: []acctest.BadInput{
			{Name: "approval missing", Config: failoverConfig(t, e, ap, `  reprotect = true`), Attribute: `approval`, Want: `"approval" is required`},
			{Name: "approval empty", Config: failover(""), Attribute: `approval`, Want: `Missing approval`},
			{Name: "approval expired", Config: failover(ap.sign(t, plan, approval.Failover, -time.Minute)), Attribute: `approval`, Want: `approval refused.*expired`},
			{Name: "approval forged", Config: failover(intruder.sign(t, plan, approval.Failover, time.Hour)), Attribute: `approval`, Want: `approval refused.*bad signature`},
			{Name: "approval for another plan", Config: failover(ap.sign(t, plan+"-other", approval.Failover, time.Hour)), Attribute: `approval`, Want: `approval refused.*another recovery plan`},
			{Name: "approval for another action", Config: failover(ap.sign(t, plan, approval.Failback, time.Hour)), Attribute: `approval`, Want: `approval refused.*another action`},
			{Name: "approval signed for a retired action", Config: failover(ap.legacyToken(t, plan, "planned_failover")), Attribute: `approval`,
				Want: `no longer has.*-action failover`},
			{Name: "failback approval for another action", Config: failoverConfig(t, e, ap, fmt.Sprintf("  failback = true\n  approval = %q\n  failback_approval = %q", good, good)),
				Attribute: `failback_approval`, Want: `failback_approval refused.*another action`},
			{Name: "planned failover", Config: failoverConfig(t, e, ap, "  type = \"planned\"\n  approval = \"x\""),
				PlanOnly: true, Attribute: `type`, Want: `no planned failover.*shutdown_source_vms = true`},
			{Name: "unknown failover type", Config: failoverConfig(t, e, ap, "  type = \"test\"\n  approval = \"x\""),
				PlanOnly: true, Attribute: `type`, Want: `only failover type is "unplanned"`},
			{Name: "failback without its approval", Config: failoverConfig(t, e, ap, "  failback = true\n  approval = \"x\""),
				PlanOnly: true, Attribute: `failback_approval`, Want: `.`},
			{Name: "failback without re-protect", Config: failoverConfig(t, e, ap, "  failback = true\n  reprotect = false\n  approval = \"x\"\n  failback_approval = \"y\""),
				PlanOnly: true, Attribute: `reprotect`, Want: `Failback needs re-protect`},
			{Name: "script action that does not exist", Config: missingScript, Attribute: `recovery_plan_id`, Want: `Script action not found.*no-such-script\.sh`},
		},
	}.Run(t)
}

// The cutover drill with Geo-DNS: after the commit the profile answers the
// recovery endpoint, after the failback the primary one again.
func TestAccFailover_trafficManagerFailback(t *testing.T) {
	e := newEstate(t, "fodns")
	ap := newApprover(t, "cio")
	web := acctest.WebServers(t, 2)
	profile := fmt.Sprintf(`
resource "azuredr_traffic_manager_profile" "test" {
  site_id       = azuredr_site.test.id
  name          = "tm-cms"
  relative_name = %[1]q
  ttl           = 5

  monitor {
    protocol            = "HTTP"
    port                = %[2]d
    path                = "/healthz"
    interval_in_seconds = 10
    timeout_in_seconds  = 5
    tolerated_failures  = 1
  }

  endpoint {
    name     = "cms-centralus"
    type     = "external"
    target   = %[3]q
    location = "centralus"
    priority = 1
    role     = "primary"
  }

  endpoint {
    name     = "cms-eastus"
    type     = "external"
    target   = %[4]q
    location = "eastus"
    priority = 2
    role     = "recovery"
  }
}
`, e.name, web[0].Port, web[0].Addr, web[1].Addr)
	body := fmt.Sprintf(`
  failback                   = true
  traffic_manager_profile_id = azuredr_traffic_manager_profile.test.id
  dns_server                 = %q
  approval                   = %q
  failback_approval          = %q`, acctest.Emulator(t).DNSAddr(),
		ap.sign(t, planID(e), approval.Failover, time.Hour), ap.sign(t, planID(e), approval.Failback, time.Hour))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             estateGone(t, e),
		Steps: []resource.TestStep{
			{Config: failoverConfig(t, e, ap, "") + profile},
			{
				PreConfig: func() { waitForPoints(t, e, 1) },
				Config:    failoverConfig(t, e, ap, body) + profile,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(failoverAddr, "dns_answer_after", web[1].Addr),
					resource.TestCheckResourceAttr(failoverAddr, "dns_answer_back", web[0].Addr),
					resource.TestMatchResourceAttr(failoverAddr, "failed_back_at", regexp.MustCompile(`^\d{4}-`)),
					itemIs(t, e, "Protected", "Primary"),
				),
			},
		},
	})
}

// checkTimeline asserts a line of the resource's timeline matches re.
func checkTimeline(addr string, re *regexp.Regexp) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		a := s.RootModule().Resources[addr].Primary.Attributes
		for k, v := range a {
			if strings.HasPrefix(k, "timeline.") && re.MatchString(v) {
				return nil
			}
		}
		return fmt.Errorf("no timeline line of %s matches %s", addr, re)
	}
}
