package replication_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// The policy create makes the policy, then the failover mapping, then the
// failback mapping. When the failback mapping fails, Terraform tracks
// none of it, so the policy and the failover mapping must be gone too.
func TestAccReplicationPolicy_failedCreateLeavesNothing(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.FailedStepReason)
	site := acctest.RandomName("polf")
	ids := idsOf(site)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(checkPolicyGone(t, site), acctest.CheckDestroy(t, acctest.SiteGone(site)...)),
		Steps: []resource.TestStep{
			{Config: siteOnly(t, site)},
			{
				PreConfig:   func() { acctest.FailNextRequest(t, ids.failback) },
				Config:      policyConfig(t, site, ""),
				ExpectError: regexp.MustCompile(`Cannot create protection container mapping\s+\S*tier1-eastus2-to-centralus[\s\S]*501`),
			},
			{
				// Only the site is in state, and the vault holds neither
				// the policy nor a mapping.
				Config: siteOnly(t, site),
				Check:  checkPolicyGone(t, site),
			},
		},
	})
}

// A policy found at create (an earlier apply was interrupted after making
// it) is not this create's to remove: when a mapping then fails, the
// policy stays for the next apply to adopt, and the mapping this create
// made goes.
func TestAccReplicationPolicy_failedCreateKeepsFoundPolicy(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.FailedStepReason)
	site := acctest.RandomName("polk")
	ids := idsOf(site)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(checkPolicyGone(t, site), acctest.CheckDestroy(t, acctest.SiteGone(site)...)),
		Steps: []resource.TestStep{
			{Config: siteOnly(t, site)},
			{
				PreConfig: func() {
					createPolicyBehindTheBack(t, site)
					acctest.FailNextRequest(t, ids.failback)
				},
				Config:      policyConfig(t, site, ""),
				ExpectError: regexp.MustCompile(`Cannot create protection container mapping\s+\S*tier1-eastus2-to-centralus`),
			},
			{
				Config: siteOnly(t, site),
				Check: resource.ComposeTestCheckFunc(
					func(*terraform.State) error {
						_, err := acctest.Client(t).ReplicationPolicies().Get(context.Background(), site+"-vault", site+"-dr", "tier1", nil)
						if err != nil {
							return fmt.Errorf("the policy found at create was removed by its undo: %w", err)
						}
						return nil
					},
					checkMappings(t, site, false),
				),
			},
			{
				// The next apply adopts the policy and makes both mappings.
				Config: policyConfig(t, site, ""),
				Check:  checkMappings(t, site, true),
			},
		},
	})
}

// createPolicyBehindTheBack makes policy tier1 in the site's vault as an
// interrupted apply would have left it.
func createPolicyBehindTheBack(t *testing.T, site string) {
	ctx := context.Background()
	body := asr.CreatePolicyInput{Properties: &asr.CreatePolicyInputProperties{ProviderSpecificInput: a2aPolicyInput(24 * 60)}}
	p, err := acctest.Client(t).ReplicationPolicies().BeginCreate(ctx, site+"-vault", site+"-dr", "tier1", body, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("creating the policy behind Terraform's back: %v", err)
	}
}
