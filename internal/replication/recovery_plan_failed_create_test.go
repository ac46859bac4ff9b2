package replication_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

const onePlan = `
  group {
    replicated_vm_ids = [azuredr_replicated_vm.vm0.id]
  }
`

// The recovery plan is one object: once Azure accepted its PUT, a failure
// after it (here the wait for the create: the operation status poll) keeps
// the plan in state, tainted, instead of leaving it untracked in the
// vault. The next plan replaces it; taking it out of the configuration
// destroys it.
func TestAccRecoveryPlan_failedCreateIsTracked(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.FailedStepReason)
	p := newPlanEstate(t, "rpf", 1)
	status := "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + p.name + "-dr/providers/Microsoft.RecoveryServices/vaults/" + p.name + "-vault/replicationOperationStatus/"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(p.gone(t), acctest.CheckDestroy(t, acctest.IDGone(p.planID()))),
		Steps: []resource.TestStep{
			{Config: planConfig(t, p, "")},
			{
				PreConfig:   func() { acctest.FailNextRequest(t, status) },
				Config:      planConfig(t, p, onePlan),
				ExpectError: regexp.MustCompile(`Cannot create recovery plan cms[\s\S]*501`),
			},
			{
				// The plan Azure made is in state, tainted: the same
				// configuration replaces it.
				PreConfig: func() { planExists(t, p) },
				Config:    planConfig(t, p, onePlan),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(planAddr, plancheck.ResourceActionReplace),
				}},
				Check: p.checkStored(t, "Shutdown[] start:<> end:<>", "Failover[] start:<> end:<>", "Boot["+p.vms[0].Name+"] start:<> end:<>"),
			},
		},
	})
}

// planExists fails the test unless the vault holds the plan.
func planExists(t *testing.T, p planEstate) {
	t.Helper()
	if _, err := acctest.Client(t).RecoveryPlans().Get(context.Background(), p.name+"-vault", p.name+"-dr", "cms", nil); err != nil {
		t.Fatalf("the failed create should have left the plan (tracked, tainted): %v", err)
	}
}
