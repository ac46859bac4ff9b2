package replication_test

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

const policyAddr = "azuredr_replication_policy.test"

// policyConfig is a site (centralus -> eastus2) and a policy in it; body is
// the policy's settings.
func policyConfig(t *testing.T, site, body string) string {
	return acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_site" "test" {
  name              = %q
  primary_location  = "centralus"
  recovery_location = "eastus2"
}

resource "azuredr_replication_policy" "test" {
  name    = "tier1"
  site_id = azuredr_site.test.id
  %s
}
`, site, body)
}

// policyIDs are the ids of policy tier1 in the site's vault and its mappings.
type policyIDs struct{ vault, policy, failover, failback string }

func idsOf(site string) policyIDs {
	vault := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr/providers/Microsoft.RecoveryServices/vaults/%s-vault", acctest.SubscriptionID, site, site)
	return policyIDs{
		vault:    vault,
		policy:   vault + "/replicationPolicies/tier1",
		failover: vault + "/replicationFabrics/azuredr-centralus/replicationProtectionContainers/azuredr-centralus-container/replicationProtectionContainerMappings/tier1-centralus-to-eastus2",
		failback: vault + "/replicationFabrics/azuredr-eastus2/replicationProtectionContainers/azuredr-eastus2-container/replicationProtectionContainerMappings/tier1-eastus2-to-centralus",
	}
}

func TestAccReplicationPolicy_basic(t *testing.T) {
	site := acctest.RandomName("pol")
	ids := idsOf(site)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(checkPolicyGone(t, site), acctest.CheckDestroy(t, acctest.SiteGone(site)...)),
		Steps: []resource.TestStep{
			{
				Config: policyConfig(t, site, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("id"), knownvalue.StringExact(ids.policy)),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("recovery_point_retention"), knownvalue.StringExact("24h")),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("app_consistent_snapshot_frequency"), knownvalue.StringExact("4h")),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("crash_consistent_snapshot_frequency"), knownvalue.StringExact("5m")),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("multi_vm_sync"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("primary_to_recovery_mapping_id"), knownvalue.StringExact(ids.failover)),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("recovery_to_primary_mapping_id"), knownvalue.StringExact(ids.failback)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkPolicy(t, site, 24*60, 4*60, 5, "Enable"),
					checkMappings(t, site, true),
				),
			},
			{ResourceName: policyAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"timeouts"}},
			{
				// Settings change in place; the user's spelling ("2d") stays.
				Config: policyConfig(t, site, `recovery_point_retention = "2d"
  app_consistent_snapshot_frequency = "0"
  multi_vm_sync = false`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionUpdate)}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("recovery_point_retention"), knownvalue.StringExact("2d")),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("primary_to_recovery_mapping_id"), knownvalue.StringExact(ids.failover)),
				},
				Check: checkPolicy(t, site, 48*60, 0, 5, "Disable"),
			},
			{
				// The policy removed from the configuration, the site kept:
				// both mappings and the policy are gone from the vault.
				Config: siteOnly(t, site),
				Check: resource.ComposeTestCheckFunc(
					checkPolicyGone(t, site),
					func(*terraform.State) error { // the vault still answers
						_, err := acctest.Client(t).Vaults().Get(context.Background(), site+"-dr", site+"-vault", nil)
						return err
					},
				),
			},
		},
	})
}

func siteOnly(t *testing.T, site string) string {
	cfg := policyConfig(t, site, "")
	return cfg[:strings.Index(cfg, `resource "azuredr_replication_policy"`)]
}

// Changes behind Terraform's back show in the plan, and the apply restores
// them: a setting changed in Azure, a mapping deleted, the policy deleted.
func TestAccReplicationPolicy_drift(t *testing.T) {
	site := acctest.RandomName("pold")
	ids := idsOf(site)
	cfg := policyConfig(t, site, `recovery_point_retention = "12h"`)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(checkPolicyGone(t, site), acctest.CheckDestroy(t, acctest.SiteGone(site)...)),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() { updatePolicyBehindTheBack(t, site, 36*60) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(policyAddr, tfjsonpath.New("recovery_point_retention"), knownvalue.StringExact("12h")),
				}},
				Check: checkPolicy(t, site, 12*60, 4*60, 5, "Enable"),
			},
			{
				PreConfig: func() { deleteMapping(t, ids.failback) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(policyAddr, tfjsonpath.New("recovery_to_primary_mapping_id")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("recovery_to_primary_mapping_id"), knownvalue.StringExact(ids.failback)),
				},
				Check: checkMappings(t, site, true),
			},
			{
				PreConfig: func() {
					deleteMapping(t, ids.failover)
					deleteMapping(t, ids.failback)
					deletePolicy(t, site)
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(checkPolicy(t, site, 12*60, 4*60, 5, "Enable"), checkMappings(t, site, true)),
			},
		},
	})
}

// Bad input fails the plan, naming the attribute and the fix; nothing is
// created.
func TestAccBadInput_ReplicationPolicy(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.BadInputReason)
	cases := map[string]struct {
		body string
		want string
	}{
		"negative retention":    {`recovery_point_retention = "-5m"`, `(?s)Invalid duration.*recovery_point_retention = "-5m".*negative`},
		"garbage":               {`crash_consistent_snapshot_frequency = "abc"`, `(?s)Invalid duration.*crash_consistent_snapshot_frequency = "abc".*not a\s+duration`},
		"retention too long":    {`recovery_point_retention = "16d"`, `(?s)Invalid duration.*recovery_point_retention.*out of range.*15d`},
		"seconds":               {`recovery_point_retention = "90s"`, `(?s)Invalid duration.*recovery_point_retention.*whole number of\s+minutes`},
		"app too frequent":      {`app_consistent_snapshot_frequency = "30m"`, `(?s)Invalid duration.*app_consistent_snapshot_frequency.*out of range.*"0" to turn it off`},
		"crash too rare":        {`crash_consistent_snapshot_frequency = "2h"`, `(?s)Invalid duration.*crash_consistent_snapshot_frequency.*out of range`},
		"app above retention":   {`recovery_point_retention = "2h"`, `(?s)Snapshot frequency above retention.*app_consistent_snapshot_frequency.*at most\s+"2h"`},
		"app with no retention": {`recovery_point_retention = "0"`, `(?s)Snapshot frequency above retention.*app_consistent_snapshot_frequency\s+=\s+"0"`},
		"bad name":              {`name = "tier 1"`, `(?s)Invalid Attribute Value Match.*name`},
	}
	attrs := map[string]string{
		"negative retention":    `recovery_point_retention`,
		"garbage":               `crash_consistent_snapshot_frequency`,
		"retention too long":    `recovery_point_retention`,
		"seconds":               `recovery_point_retention`,
		"app too frequent":      `app_consistent_snapshot_frequency`,
		"crash too rare":        `crash_consistent_snapshot_frequency`,
		"app above retention":   `app_consistent_snapshot_frequency`,
		"app with no retention": `app_consistent_snapshot_frequency`,
		"bad name":              `name`,
	}
	suite := acctest.BadInputSuite{Creates: []string{"ReplicationPolicies_Create", "ResourceGroups_CreateOrUpdate"}}
	for name, tc := range cases {
		body := tc.body
		policyName := `"tier1"`
		if strings.HasPrefix(body, "name") {
			policyName, body = strings.TrimPrefix(body, "name = "), ""
		}
		suite.Cases = append(suite.Cases, acctest.BadInput{Name: name, Attribute: attrs[name], Want: tc.want,
			Config: acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_replication_policy" "test" {
  name    = %s
  site_id = "/subscriptions/%s/resourceGroups/never-created-dr"
  %s
}
`, policyName, acctest.SubscriptionID, body)})
	}
	sort.Slice(suite.Cases, func(i, j int) bool { return suite.Cases[i].Name < suite.Cases[j].Name })
	suite.Run(t)
}

// A site_id that is not a site is refused against the attribute.
func TestAccReplicationPolicy_notASite(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_replication_policy" "test" {
  name    = "tier1"
  site_id = "/subscriptions/%s/resourceGroups/no-such-site-dr"
}
`, acctest.SubscriptionID),
			ExpectError: regexp.MustCompile(`(?s)Cannot use the site.*not the id of an azuredr_site`),
		}},
	})
}

func TestAccReplicationPolicy_importRejectsOtherIDs(t *testing.T) {
	site := acctest.RandomName("poli")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:        policyConfig(t, site, ""),
			ResourceName:  policyAddr,
			ImportState:   true,
			ImportStateId: "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/x-dr",
			ExpectError:   regexp.MustCompile(`(?s)Invalid import id.*not the id of a replication policy`),
		}},
	})
}

func checkPolicy(t *testing.T, site string, retention, app, crash int32, sync string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		p, err := acctest.Client(t).ReplicationPolicies().Get(context.Background(), site+"-vault", site+"-dr", "tier1", nil)
		if err != nil {
			return err
		}
		d, ok := p.Properties.ProviderSpecificDetails.(*asr.A2APolicyDetails)
		if !ok {
			return fmt.Errorf("policy details are %T, want A2A", p.Properties.ProviderSpecificDetails)
		}
		got := fmt.Sprintf("%d/%d/%d/%s", val(d.RecoveryPointHistory), val(d.AppConsistentFrequencyInMinutes), val(d.CrashConsistentFrequencyInMinutes), valS(d.MultiVMSyncStatus))
		if want := fmt.Sprintf("%d/%d/%d/%s", retention, app, crash, sync); !strings.HasPrefix(got, want) {
			return fmt.Errorf("policy retention/app/crash/sync = %s, want %s", got, want)
		}
		return nil
	}
}

func checkMappings(t *testing.T, site string, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ids := idsOf(site)
		c := acctest.Client(t).ContainerMappings()
		for _, m := range []struct{ fabric, container, name, target string }{
			{"azuredr-centralus", "azuredr-centralus-container", "tier1-centralus-to-eastus2", "azuredr-eastus2-container"},
			{"azuredr-eastus2", "azuredr-eastus2-container", "tier1-eastus2-to-centralus", "azuredr-centralus-container"},
		} {
			got, err := c.Get(context.Background(), site+"-vault", site+"-dr", m.fabric, m.container, m.name, nil)
			switch {
			case !want && err == nil:
				return fmt.Errorf("mapping %s still exists", m.name)
			case !want:
				continue
			case err != nil:
				return fmt.Errorf("mapping %s: %w", m.name, err)
			case !strings.EqualFold(valS(got.Properties.PolicyID), ids.policy):
				return fmt.Errorf("mapping %s applies %s, want %s", m.name, valS(got.Properties.PolicyID), ids.policy)
			case !strings.HasSuffix(valS(got.Properties.TargetProtectionContainerID), "/"+m.target):
				return fmt.Errorf("mapping %s targets %s, want %s", m.name, valS(got.Properties.TargetProtectionContainerID), m.target)
			}
		}
		return nil
	}
}

// checkPolicyGone runs after the whole configuration (site included) is
// destroyed, so it checks the mappings and policy through the site's vault
// only while that vault still answers.
func checkPolicyGone(t *testing.T, site string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		_, err := acctest.Client(t).ReplicationPolicies().Get(context.Background(), site+"-vault", site+"-dr", "tier1", nil)
		if err == nil {
			return fmt.Errorf("policy tier1 of %s still exists", site)
		}
		return checkMappings(t, site, false)(s)
	}
}

func updatePolicyBehindTheBack(t *testing.T, site string, retention int32) {
	ctx := context.Background()
	body := asr.UpdatePolicyInput{Properties: &asr.UpdatePolicyInputProperties{ReplicationProviderSettings: a2aPolicyInput(retention)}}
	p, err := acctest.Client(t).ReplicationPolicies().BeginUpdate(ctx, site+"-vault", site+"-dr", "tier1", body, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("changing the policy behind Terraform's back: %v", err)
	}
}

// a2aPolicyInput is the provider's default settings with retention (in
// minutes), as the SDK takes them.
func a2aPolicyInput(retention int32) *asr.A2APolicyCreationInput {
	sync := asr.SetMultiVMSyncStatusEnable
	app, crash := int32(240), int32(5)
	return &asr.A2APolicyCreationInput{
		InstanceType: ptr("A2A"), MultiVMSyncStatus: &sync, RecoveryPointHistory: &retention,
		AppConsistentFrequencyInMinutes: &app, CrashConsistentFrequencyInMinutes: &crash,
	}
}

func deleteMapping(t *testing.T, id string) {
	ctx := context.Background()
	// .../replicationFabrics/{f}/replicationProtectionContainers/{c}/replicationProtectionContainerMappings/{m}
	parts := strings.Split(id, "/")
	n := len(parts)
	vault, group := parts[n-7], parts[4]
	body := asr.RemoveProtectionContainerMappingInput{Properties: &asr.RemoveProtectionContainerMappingInputProperties{
		ProviderSpecificInput: &asr.ReplicationProviderContainerUnmappingInput{InstanceType: ptr("A2A")}}}
	p, err := acctest.Client(t).ContainerMappings().BeginDelete(ctx, vault, group, parts[n-5], parts[n-3], parts[n-1], body, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("deleting mapping %s behind Terraform's back: %v", id, err)
	}
}

func deletePolicy(t *testing.T, site string) {
	ctx := context.Background()
	p, err := acctest.Client(t).ReplicationPolicies().BeginDelete(ctx, site+"-vault", site+"-dr", "tier1", nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("deleting the policy behind Terraform's back: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

func val(p *int32) int32 {
	if p == nil {
		return -1
	}
	return *p
}

func valS(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
