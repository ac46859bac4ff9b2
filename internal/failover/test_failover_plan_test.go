package failover_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// A recovery plan with two ordered groups (database, then web) and a
// script between them: the groups fail over in order, the script runs in
// between with the drill's context in its environment, and nothing is left.
func TestAccTestFailover_recoveryPlanTwoGroups(t *testing.T) {
	e := newEstate(t, "tfoplan")
	db := acctest.CreateVM(t, e.Group, e.name+"-db", "", e.NetworkID+"/subnets/db", acctest.WithSiteTitle("CMS database"))
	log := filepath.Join(t.TempDir(), "actions.log")
	plan := replicatedVMConfig("db", db.ID, "db") + fmt.Sprintf(`
resource "azuredr_recovery_plan" "cms" {
  name    = "%s-plan"
  site_id = azuredr_site.test.id

  group {
    replicated_vm_ids = [azuredr_replicated_vm.db.id]
    post_action {
      name    = "warm-cache"
      type    = "script"
      command = ["sh", "-c", "echo \"$AZUREDR_DRILL_PHASE group=$AZUREDR_GROUP\" >> %s"]
      timeout = "1m"
    }
  }

  group {
    replicated_vm_ids = [azuredr_replicated_vm.web.id]
    pre_action {
      name        = "tell-the-service-desk"
      type        = "manual"
      description = "Tell the service desk the web tier is being tested"
    }
  }
}
`, e.name, log)
	drillBody := `
resource "azuredr_test_failover" "drill" {
  name             = "plan-drill"
  network_id       = azuredr_network.test.id
  recovery_plan_id = azuredr_recovery_plan.cms.id
  check = [{
    name = "site"
    type = "http"
    url  = "http://{address}:` + fmt.Sprint(acctest.Emulator(t).WebPort()) + `/"
  }]
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(noTestVMs(t, e), estateGone(t, e)),
		Steps: []resource.TestStep{
			{Config: drillConfig(t, e, "") + plan},
			{
				PreConfig: func() { waitForPoints(t, e, 1) },
				Config:    drillConfig(t, e, "") + plan + drillBody,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(drillAddr, "passed", "true"),
					resource.TestCheckResourceAttr(drillAddr, "items.#", "2"),
					resource.TestCheckResourceAttr(drillAddr, "items.0.vm_name", db.Name),
					resource.TestCheckResourceAttr(drillAddr, "items.1.vm_name", e.VM.Name),
					groupsInOrder,
					func(*terraform.State) error {
						raw, err := os.ReadFile(log)
						if err != nil {
							return fmt.Errorf("the script action did not run: %v", err)
						}
						if got := strings.TrimSpace(string(raw)); !strings.Contains(got, "group=1") {
							return fmt.Errorf("script output %q: want it run after group 1 with AZUREDR_GROUP set", got)
						}
						return nil
					},
					noTestVMs(t, e),
				),
			},
		},
	})
}

// groupsInOrder: the web group's failover starts only after the database
// group was ready.
func groupsInOrder(s *terraform.State) error {
	a := s.RootModule().Resources[drillAddr].Primary.Attributes
	ready, err1 := time.Parse(time.RFC3339, a["items.0.ready_at"])
	started, err2 := time.Parse(time.RFC3339, a["items.1.failover_started_at"])
	if err1 != nil || err2 != nil {
		return fmt.Errorf("times missing: %v %v", err1, err2)
	}
	if started.Before(ready) {
		return fmt.Errorf("group 2 started failing over at %s, before group 1 was ready at %s", started, ready)
	}
	return nil
}
