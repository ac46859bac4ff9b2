package replication_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// unknownDRConfig feeds the policy, the replicated VM (disk overrides,
// test_failover_nic) and the recovery plan (groups, actions) from variables,
// dynamic blocks over variables and values known only after apply; and, in
// child modules called with for_each whose inputs are those values, a second
// VM's replicated VM and recovery plan (testdata/modules/tier) and a second
// site's policy (testdata/modules/policy: a site has one per region pair).
func unknownDRConfig(t *testing.T, d drEstate, osDisk string, app acctest.VM) string {
	return fmt.Sprintf(`
variable "retention" { type = string }
variable "app_frequency" { type = string }
variable "disk_types" { type = map(string) }
variable "actions" { type = map(string) }

resource "terraform_data" "later" {
  input = {
    retention = var.retention
    subnet    = "db"
    static_ip = "10.10.2.41"
    disk_id   = %[3]q
    timeout   = "10m"
  }
}

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
  name                              = "%[1]s-policy"
  site_id                           = azuredr_site.test.id
  recovery_point_retention          = terraform_data.later.output.retention
  app_consistent_snapshot_frequency = var.app_frequency
}

resource "azuredr_replicated_vm" "web" {
  site_id               = azuredr_site.test.id
  replication_policy_id = azuredr_replication_policy.test.id
  network_id            = azuredr_network.test.id
  source_vm_id          = %[4]q
  recovery_subnet_name  = "web"
  disk = [for target, replica in var.disk_types : {
    disk_id           = terraform_data.later.output.disk_id
    target_disk_type  = target
    replica_disk_type = replica
  }]
  test_failover_nic = {
    subnet_name = terraform_data.later.output.subnet
    static_ip   = terraform_data.later.output.static_ip
  }
}

resource "azuredr_recovery_plan" "test" {
  name    = "%[1]s-plan"
  site_id = azuredr_site.test.id
  group {
    replicated_vm_ids = [azuredr_replicated_vm.web.id]
    dynamic "post_action" {
      for_each = var.actions
      content {
        name    = post_action.key
        type    = "script"
        command = [post_action.value, terraform_data.later.output.subnet]
        timeout = terraform_data.later.output.timeout
      }
    }
  }
}

module "tier" {
  source          = %[5]s
  for_each        = { app = %[6]q }
  name            = "%[1]s-${each.key}"
  site_id         = azuredr_site.test.id
  network_id      = azuredr_network.test.id
  source_vm_id    = each.value
  recovery_subnet = terraform_data.later.output.subnet
  replication_policy_id = azuredr_replication_policy.test.id
  disks = [for target, replica in var.disk_types : {
    disk_id           = %[7]q
    target_disk_type  = target
    replica_disk_type = replica
  }]
  test_failover_nic = { subnet_name = terraform_data.later.output.subnet, static_ip = "10.10.2.42" }
  actions           = { for name, script in var.actions : name => [script, terraform_data.later.output.subnet] }
  action_timeout    = terraform_data.later.output.timeout
}

output "tier" { value = module.tier["app"] }

module "policy" {
  source        = %[8]s
  for_each      = toset(["p"])
  name          = "%[1]s-${each.key}"
  retention     = terraform_data.later.output.retention
  app_frequency = var.app_frequency
}

output "policy" { value = module.policy["p"] }
`, d.name, d.NetworkID, osDisk, d.VM.ID, acctest.Module(t, "testdata/modules/tier"), app.ID,
		"/subscriptions/"+acctest.SubscriptionID+"/resourceGroups/"+app.ResourceGroup+"/providers/Microsoft.Compute/disks/"+app.Name+"-osdisk",
		acctest.Module(t, "testdata/modules/policy"))
}

func TestAccReplication_unknownValues(t *testing.T) {
	d := newDREstate(t, "rvmu")
	app := acctest.CreateVM(t, d.Group, d.name+"-app-1", "", d.NetworkID+"/subnets/db")
	osDisk := "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + d.VM.ResourceGroup + "/providers/Microsoft.Compute/disks/" + d.VM.Name + "-osdisk"
	vars := func(retention, app string) config.Variables {
		return config.Variables{
			"retention": config.StringVariable(retention), "app_frequency": config.StringVariable(app),
			"disk_types": acctest.StringMap(map[string]string{"StandardSSD_LRS": "Standard_LRS"}),
			"actions":    acctest.StringMap(map[string]string{"warm-cache": "./scripts/warm-cache.sh"}),
		}
	}
	tier, policy := `module.tier["app"]`, `module.policy["p"].azuredr_replication_policy.this`
	appItem := "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + d.name + "-dr/providers/Microsoft.RecoveryServices/vaults/" + d.name +
		"-vault/replicationFabrics/azuredr-centralus/replicationProtectionContainers/azuredr-centralus-container/replicationProtectedItems/" + app.Name
	gone := d.gone(t)
	acctest.UnknownValues{
		Config:    unknownDRConfig(t, d, osDisk, app),
		Variables: vars("24h", "4h"),
		// Known at plan from a variable: refused at plan on the attribute,
		// on the resource and through the module; before the apply, alone
		// (the retention is unknown then), and after it, against the
		// retention.
		Bad: []acctest.BadVariables{
			{Variables: vars("24h", "48h"), Want: `Invalid duration\s+with azuredr_replication_policy\.test,.*app_consistent_snapshot_frequency = "48h": .*out of range`},
			{Variables: vars("24h", "48h"), Want: `Invalid duration\s+with ` + regexp.QuoteMeta(policy) + `,.*app_consistent_snapshot_frequency = "48h": .*out of range`},
		},
		BadAfterApply: []acctest.BadVariables{
			{Variables: vars("24h", "48h"), Want: `Snapshot frequency above retention.*app_consistent_snapshot_frequency`},
			{Variables: vars("24h", "48h"), Want: `Snapshot frequency above retention\s+with ` + regexp.QuoteMeta(policy)},
		},
		Unknown: []plancheck.PlanCheck{
			plancheck.ExpectUnknownValue("azuredr_replication_policy.test", tfjsonpath.New("recovery_point_retention")),
			plancheck.ExpectUnknownValue(vmAddr, tfjsonpath.New("test_failover_nic").AtMapKey("static_ip")),
			plancheck.ExpectUnknownValue(policy, tfjsonpath.New("recovery_point_retention")),
			plancheck.ExpectUnknownValue(tier+".azuredr_replicated_vm.this", tfjsonpath.New("test_failover_nic").AtMapKey("subnet_name")),
			plancheck.ExpectUnknownValue(tier+".azuredr_replicated_vm.this", tfjsonpath.New("network_id")),
			plancheck.ExpectUnknownValue(tier+".azuredr_recovery_plan.this", tfjsonpath.New("group").AtSliceIndex(0).AtMapKey("post_action").AtSliceIndex(0).AtMapKey("timeout")),
		},
		Known: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("test_failover_nic").AtMapKey("static_ip"), knownvalue.StringExact("10.10.2.41")),
			statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("disk").AtSliceIndex(0).AtMapKey("target_disk_type"), knownvalue.StringExact("StandardSSD_LRS")),
			statecheck.ExpectKnownValue("azuredr_recovery_plan.test", tfjsonpath.New("group").AtSliceIndex(0).AtMapKey("post_action").AtSliceIndex(0).AtMapKey("timeout"), knownvalue.StringExact("10m")),
			statecheck.ExpectKnownOutputValueAtPath("tier", tfjsonpath.New("static_ip"), knownvalue.StringExact("10.10.2.42")),
			statecheck.ExpectKnownOutputValueAtPath("tier", tfjsonpath.New("target_disk_type"), knownvalue.StringExact("StandardSSD_LRS")),
			statecheck.ExpectKnownOutputValueAtPath("tier", tfjsonpath.New("action_timeout"), knownvalue.StringExact("10m")),
			statecheck.ExpectKnownOutputValueAtPath("policy", tfjsonpath.New("retention"), knownvalue.StringExact("24h")),
			statecheck.ExpectKnownOutputValueAtPath("policy", tfjsonpath.New("app_frequency"), knownvalue.StringExact("4h")),
		},
		Gone: func(s *terraform.State) error {
			if err := gone(s); err != nil {
				return err
			}
			return acctest.CheckDestroy(t, append(acctest.SiteGone(d.name+"-p"), acctest.IDGone(appItem))...)(s)
		},
	}.Run(t)
}
