package replication_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// unknownDRConfig feeds the policy, the replicated VM (disk overrides,
// test_failover_nic) and the recovery plan (groups, actions) from variables,
// dynamic blocks over variables and values known only after apply.
func unknownDRConfig(t *testing.T, d drEstate, osDisk string) string {
	return acctest.ProviderConfig(t) + fmt.Sprintf(`
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
`, d.name, d.NetworkID, osDisk, d.VM.ID)
}

func TestAccReplication_unknownValues(t *testing.T) {
	d := newDREstate(t, "rvmu")
	osDisk := "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + d.VM.ResourceGroup + "/providers/Microsoft.Compute/disks/" + d.VM.Name + "-osdisk"
	vars := func(retention, app string) config.Variables {
		return config.Variables{
			"retention": config.StringVariable(retention), "app_frequency": config.StringVariable(app),
			"disk_types": config.MapVariable(map[string]config.Variable{"StandardSSD_LRS": config.StringVariable("Standard_LRS")}),
			"actions":    config.MapVariable(map[string]config.Variable{"warm-cache": config.StringVariable("./scripts/warm-cache.sh")}),
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             d.gone(t),
		Steps: []resource.TestStep{
			{
				Config:          unknownDRConfig(t, d, osDisk),
				ConfigVariables: vars("24h", "4h"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue("azuredr_replication_policy.test", tfjsonpath.New("recovery_point_retention")),
					plancheck.ExpectUnknownValue(vmAddr, tfjsonpath.New("test_failover_nic").AtMapKey("static_ip")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("test_failover_nic").AtMapKey("static_ip"), knownvalue.StringExact("10.10.2.41")),
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("disk").AtSliceIndex(0).AtMapKey("target_disk_type"), knownvalue.StringExact("StandardSSD_LRS")),
					statecheck.ExpectKnownValue("azuredr_recovery_plan.test", tfjsonpath.New("group").AtSliceIndex(0).AtMapKey("post_action").AtSliceIndex(0).AtMapKey("timeout"), knownvalue.StringExact("10m")),
				},
			},
			{
				Config:           unknownDRConfig(t, d, osDisk),
				ConfigVariables:  vars("24h", "4h"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Known at plan from a variable: refused at plan on the attribute.
				Config:          unknownDRConfig(t, d, osDisk),
				ConfigVariables: vars("24h", "48h"),
				PlanOnly:        true,
				ExpectError:     regexp.MustCompile(`(?s)Snapshot frequency above retention.*app_consistent_snapshot_frequency`),
			},
		},
	})
}
