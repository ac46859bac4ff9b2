package replication_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/replication"
)

const planAddr = "azuredr_recovery_plan.test"

// planEstate is a drEstate with more VMs in its web subnet: vms[0] is the
// estate's VM, named db here; vms[1] web-1, vms[2] web-2.
type planEstate struct {
	drEstate
	vms []acctest.VM
}

func newPlanEstate(t *testing.T, prefix string, n int) planEstate {
	d := newDREstate(t, prefix)
	p := planEstate{drEstate: d, vms: []acctest.VM{d.VM}}
	for i := 1; i < n; i++ {
		p.vms = append(p.vms, acctest.CreateVM(t, d.Group, fmt.Sprintf("%s-web-%d", d.name, i+1), "", d.NetworkID+"/subnets/web"))
	}
	return p
}

// planConfig is drConfig with one azuredr_replicated_vm "vm<i>" per VM and,
// when planBody is not empty, azuredr_recovery_plan.test with planBody.
func planConfig(t *testing.T, p planEstate, planBody string) string {
	var extra []string
	for i, vm := range p.vms {
		extra = append(extra, fmt.Sprintf(`
resource "azuredr_replicated_vm" "vm%d" {
  site_id               = azuredr_site.test.id
  replication_policy_id = azuredr_replication_policy.test.id
  network_id            = azuredr_network.test.id
  source_vm_id          = %q
  recovery_subnet_name  = "web"
}
`, i, vm.ID))
	}
	if planBody != "" {
		extra = append(extra, fmt.Sprintf(`
resource "azuredr_recovery_plan" "test" {
  name    = "cms"
  site_id = azuredr_site.test.id
%s
}
`, planBody))
	}
	return drConfig(t, p.drEstate, "", extra...)
}

func (p planEstate) planID() string {
	return "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + p.name + "-dr/providers/Microsoft.RecoveryServices/vaults/" + p.name + "-vault/replicationRecoveryPlans/cms"
}

// vaultPlans lists the recovery plans in the test's vault.
func (p planEstate) vaultPlans(t *testing.T) []string {
	t.Helper()
	var out []string
	pager := acctest.Client(t).RecoveryPlans().NewListPager(p.name+"-vault", p.name+"-dr", nil)
	for pager.More() {
		page, err := pager.NextPage(context.Background())
		if azure.IsNotFound(err) {
			return nil
		}
		if err != nil {
			t.Fatalf("listing recovery plans: %v", err)
		}
		for _, v := range page.Value {
			out = append(out, *v.Name)
		}
	}
	return out
}

// storedGroups describes the plan as Site Recovery stores it, one group per
// entry: "Type[vm,...] start:<action=details,...> end:<...>", VMs by item name.
func (p planEstate) storedGroups(t *testing.T) []string {
	t.Helper()
	resp, err := acctest.Client(t).RecoveryPlans().Get(context.Background(), p.name+"-vault", p.name+"-dr", "cms", nil)
	if err != nil {
		t.Fatalf("reading the plan through the SDK: %v", err)
	}
	describe := func(as []*asr.RecoveryPlanAction) string {
		var parts []string
		for _, a := range as {
			switch d := a.CustomDetails.(type) {
			case *asr.RecoveryPlanScriptActionDetails:
				parts = append(parts, fmt.Sprintf("%s=script(%s|%s|%s)", *a.ActionName, *d.Path, *d.Timeout, *d.FabricLocation))
			case *asr.RecoveryPlanManualActionDetails:
				parts = append(parts, fmt.Sprintf("%s=manual(%s)", *a.ActionName, *d.Description))
			default:
				parts = append(parts, *a.ActionName+"=?")
			}
		}
		return strings.Join(parts, ",")
	}
	var out []string
	for _, g := range resp.Properties.Groups {
		var vms []string
		for _, it := range g.ReplicationProtectedItems {
			vms = append(vms, (*it.ID)[strings.LastIndex(*it.ID, "/")+1:])
		}
		out = append(out, fmt.Sprintf("%s[%s] start:<%s> end:<%s>", *g.GroupType, strings.Join(vms, ","), describe(g.StartGroupActions), describe(g.EndGroupActions)))
	}
	return out
}

func (p planEstate) checkStored(t *testing.T, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := p.storedGroups(t)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			return fmt.Errorf("stored groups:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
		return nil
	}
}

const twoTierPlan = `
  group {
    replicated_vm_ids = [azuredr_replicated_vm.vm0.id]
    post_action {
      name    = "warm-cache"
      type    = "script"
      command = ["./scripts/warm-cache.sh", "--site", "dr east"]
      timeout = "2m"
    }
  }
  group {
    replicated_vm_ids = [azuredr_replicated_vm.vm1.id]
    pre_action {
      name        = "check-banner"
      type        = "manual"
      description = "Check the maintenance banner is up"
      required    = true
    }
  }
`

// Web first (web-1 and web-2 together), then the database: the manual
// step and the script swap places as well.
const reorderedPlan = `
  group {
    replicated_vm_ids = [azuredr_replicated_vm.vm1.id, azuredr_replicated_vm.vm2.id]
    pre_action {
      name    = "warm-cache"
      type    = "script"
      command = ["./scripts/warm-cache.sh"]
    }
  }
  group {
    replicated_vm_ids = [azuredr_replicated_vm.vm0.id]
    post_action {
      name        = "check-banner"
      type        = "manual"
      description = "Check the maintenance banner is up"
    }
  }
`

func TestAccRecoveryPlan_basic(t *testing.T) {
	p := newPlanEstate(t, "rp", 3)
	db, web1, web2 := p.vms[0].Name, p.vms[1].Name, p.vms[2].Name
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if plans := p.vaultPlans(t); len(plans) != 0 {
				return fmt.Errorf("recovery plans left after destroy: %v", plans)
			}
			return resource.ComposeTestCheckFunc(p.gone(t), acctest.CheckDestroy(t, acctest.IDGone(p.planID())))(nil)
		},
		Steps: []resource.TestStep{
			{
				Config: planConfig(t, p, twoTierPlan),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(planAddr, "id", p.planID()),
					resource.TestCheckResourceAttr(planAddr, "item_count", "2"),
					resource.TestCheckResourceAttr(planAddr, "group.#", "2"),
					resource.TestCheckResourceAttrPair(planAddr, "group.0.replicated_vm_ids.0", "azuredr_replicated_vm.vm0", "id"),
					resource.TestCheckResourceAttr(planAddr, "group.0.post_action.0.timeout", "2m"),
					resource.TestCheckResourceAttr(planAddr, "group.0.post_action.0.required", "false"),
					resource.TestCheckResourceAttr(planAddr, "group.1.pre_action.0.required", "true"),
					resource.TestCheckResourceAttr(planAddr, "group.1.pre_action.0.timeout", "5m"),
					resource.TestCheckNoResourceAttr(planAddr, "group.1.pre_action.0.command"),
					p.checkStored(t,
						"Shutdown[] start:<> end:<>",
						"Failover[] start:<> end:<>",
						"Boot["+db+"] start:<> end:<warm-cache=script(./scripts/warm-cache.sh --site 'dr east'|PT2M|Primary)>",
						"Boot["+web1+"] start:<check-banner=manual([required] Check the maintenance banner is up)> end:<>",
					),
					func(*terraform.State) error {
						// What the drill engine reads.
						got, err := replication.ReadRecoveryPlan(context.Background(), acctest.Client(t), p.planID())
						if err != nil {
							return err
						}
						want := replication.RecoveryPlan{ID: p.planID(), Name: "cms", Groups: []replication.PlanGroup{
							{Items: []string{itemIDOf(p, db)}, Post: []replication.PlanAction{{Name: "warm-cache", Type: "script",
								Command: []string{"./scripts/warm-cache.sh", "--site", "dr east"}, Timeout: 2 * time.Minute}}},
							{Items: []string{itemIDOf(p, web1)}, Pre: []replication.PlanAction{{Name: "check-banner", Type: "manual",
								Description: "Check the maintenance banner is up", Required: true}}},
						}}
						if fmt.Sprintf("%+v", *got) != fmt.Sprintf("%+v", want) {
							return fmt.Errorf("ReadRecoveryPlan =\n  %+v\nwant\n  %+v", *got, want)
						}
						return nil
					},
				),
			},
			{ResourceName: planAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"timeouts"}},
			{
				// Add web-2, reorder the groups: in place.
				Config: planConfig(t, p, reorderedPlan),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(planAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(planAddr, "item_count", "3"),
					resource.TestCheckResourceAttr(planAddr, "id", p.planID()),
					p.checkStored(t,
						"Shutdown[] start:<> end:<>",
						"Failover[] start:<> end:<>",
						"Boot["+web1+","+web2+"] start:<warm-cache=script(./scripts/warm-cache.sh|PT5M|Primary)> end:<>",
						"Boot["+db+"] start:<> end:<check-banner=manual(Check the maintenance banner is up)>",
					),
				),
			},
			{
				// Changed behind Terraform's back (web-2 moved to the last
				// group, the manual step dropped): the plan shows an update
				// and the apply restores the configuration.
				PreConfig: func() {
					changePlanOutOfBand(t, p, [][]string{{itemIDOf(p, web1)}, {itemIDOf(p, db), itemIDOf(p, web2)}})
				},
				Config: planConfig(t, p, reorderedPlan),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(planAddr, plancheck.ResourceActionUpdate),
				}},
				Check: p.checkStored(t,
					"Shutdown[] start:<> end:<>",
					"Failover[] start:<> end:<>",
					"Boot["+web1+","+web2+"] start:<warm-cache=script(./scripts/warm-cache.sh|PT5M|Primary)> end:<>",
					"Boot["+db+"] start:<> end:<check-banner=manual(Check the maintenance banner is up)>",
				),
			},
			{
				// Deleted behind Terraform's back: the plan recreates it.
				PreConfig: func() {
					poller, err := acctest.Client(t).RecoveryPlans().BeginDelete(context.Background(), p.name+"-vault", p.name+"-dr", "cms", nil)
					if err == nil {
						_, err = poller.PollUntilDone(context.Background(), nil)
					}
					if err != nil {
						t.Fatalf("deleting the plan behind Terraform's back: %v", err)
					}
				},
				Config: planConfig(t, p, reorderedPlan),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(planAddr, plancheck.ResourceActionCreate),
				}},
				Check: resource.TestCheckResourceAttr(planAddr, "item_count", "3"),
			},
		},
	})
}

func itemIDOf(p planEstate, vm string) string {
	return "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + p.name + "-dr/providers/Microsoft.RecoveryServices/vaults/" + p.name +
		"-vault/replicationFabrics/azuredr-centralus/replicationProtectionContainers/azuredr-centralus-container/replicationProtectedItems/" + vm
}

// changePlanOutOfBand replaces the plan's groups through the SDK: Boot
// groups with these items, no actions.
func changePlanOutOfBand(t *testing.T, p planEstate, groups [][]string) {
	t.Helper()
	var in []*asr.RecoveryPlanGroup
	for _, items := range groups {
		boot := asr.RecoveryPlanGroupTypeBoot
		g := &asr.RecoveryPlanGroup{GroupType: &boot}
		for _, id := range items {
			g.ReplicationProtectedItems = append(g.ReplicationProtectedItems, &asr.RecoveryPlanProtectedItem{ID: &id})
		}
		in = append(in, g)
	}
	ctx := context.Background()
	poller, err := acctest.Client(t).RecoveryPlans().BeginUpdate(ctx, p.name+"-vault", p.name+"-dr", "cms",
		asr.UpdateRecoveryPlanInput{Properties: &asr.UpdateRecoveryPlanInputProperties{Groups: in}}, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("changing the plan behind Terraform's back: %v", err)
	}
}

func TestAccBadInput_RecoveryPlan(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.BadInputReason)
	p := newPlanEstate(t, "rpbad", 2)
	var eight []string
	for i := 0; i < 8; i++ {
		eight = append(eight, fmt.Sprintf("  group {\n    replicated_vm_ids = [\"%s-%d\"]\n  }", itemIDOf(p, "vm"), i))
	}
	otherSite := strings.Replace(itemIDOf(p, p.vms[0].Name), p.name+"-vault", "elsewhere-vault", 1)
	group := func(ids, actions string) string {
		return fmt.Sprintf("  group {\n    replicated_vm_ids = [%s]\n%s\n  }\n", ids, actions)
	}
	cases := []struct {
		name string
		body string
		want string
		attr string
	}{
		{"eight groups", strings.Join(eight, "\n"), `(?s)group.*(at most 7|7 per recovery plan)`, `group`},
		{"a VM in two groups", group("azuredr_replicated_vm.vm0.id", "") + group("azuredr_replicated_vm.vm1.id, azuredr_replicated_vm.vm0.id", ""),
			`(?s)VM in two groups.*group\[1\]\.replicated_vm_ids`, `group\[1\]\.replicated_vm_ids`},
		{"script without command", group("azuredr_replicated_vm.vm0.id", `    pre_action {
      name = "warm"
      type = "script"
    }`), `(?s)group\[0\]\.pre_action\[0\]\.command.*needs\s+.command`, `group\[0\]\.pre_action\[0\]\.command`},
		{"manual with required and command", group("azuredr_replicated_vm.vm0.id", `    post_action {
      name     = "confirm"
      type     = "manual"
      required = true
      command  = ["echo", "hi"]
    }`), `(?s)group\[0\]\.post_action\[0\]\.command.*runs\s+no\s+command`, `group\[0\]\.post_action\[0\]\.command`},
		{"bad timeout", group("azuredr_replicated_vm.vm0.id", `    pre_action {
      name    = "warm"
      type    = "script"
      command = ["true"]
      timeout = "abc"
    }`), `(?s)group\[0\]\.pre_action\[0\]\.timeout.*"abc"`, `group\[0\]\.pre_action\[0\]\.timeout`},
		{"VM of another site", group(fmt.Sprintf("%q", otherSite), ""), `(?s)group\[0\]\.replicated_vm_ids.*group\s+0:.*elsewhere-vault.*not\s+a\s+replicated\s+VM\s+of\s+site`, `group\[0\]\.replicated_vm_ids`},
	}
	suite := acctest.BadInputSuite{
		Creates: []string{"ReplicationRecoveryPlans_Create"},
		Base:    func(t *testing.T) string { return planConfig(t, p, "") },
		Shared:  true,
		Check: func(t *testing.T, c acctest.BadInput) error {
			if plans := p.vaultPlans(t); len(plans) != 0 {
				return fmt.Errorf("case %q left recovery plans: %v", c.Name, plans)
			}
			return nil
		},
	}
	for _, c := range cases {
		suite.Cases = append(suite.Cases, acctest.BadInput{Name: c.name, Config: planConfig(t, p, c.body), Attribute: c.attr, Want: c.want})
	}
	suite.Run(t)
}
