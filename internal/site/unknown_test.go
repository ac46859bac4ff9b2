package site_test

import (
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

// unknownSiteConfig feeds every validated attribute of the site from values
// unknown at plan (terraform_data outputs) and variables, with the approver
// blocks a dynamic block over a variable (for_each).
func unknownSiteConfig(t *testing.T) string {
	return acctest.ProviderConfig(t) + `
variable "name" { type = string }
variable "primary" { type = string }
variable "approvers" { type = map(string) }

resource "terraform_data" "later" {
  input = {
    recovery = "East US 2"
    group    = "${var.name}-recovery"
    keys     = var.approvers
  }
}

resource "azuredr_site" "test" {
  name                         = var.name
  primary_location             = var.primary
  recovery_location            = terraform_data.later.output.recovery
  recovery_resource_group_name = terraform_data.later.output.group
  tags                         = { owner = terraform_data.later.output.group }

  dynamic "approver" {
    for_each = var.approvers
    content {
      name       = approver.key
      public_key = terraform_data.later.output.keys[approver.key]
    }
  }
}
`
}

// Unknown values are checked later: the site validates, plans and applies,
// the next plan is empty; a bad value from a variable fails at plan on its
// attribute.
func TestAccSite_unknownValues(t *testing.T) {
	name := acctest.RandomName("siteu")
	alice := newApprover(t, "alice")
	vars := func(primary, key string) config.Variables {
		return config.Variables{"name": config.StringVariable(name), "primary": config.StringVariable(primary),
			"approvers": config.MapVariable(map[string]config.Variable{"alice": config.StringVariable(key)})}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsGone(t, name+"-recovery", name+"-drill"),
		Steps: []resource.TestStep{
			{
				// Known at plan, refused at plan on the attribute.
				Config:          unknownSiteConfig(t),
				ConfigVariables: vars("atlantis", alice.key),
				ExpectError:     regexp.MustCompile(`(?s)Unknown Azure region.*primary_location.*"atlantis"`),
			},
			{
				Config:          unknownSiteConfig(t),
				ConfigVariables: vars("CentralUS", alice.key),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("recovery_location")),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("recovery_resource_group_name")),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("paired_location"), knownvalue.StringExact("eastus2")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("recovery_location"), knownvalue.StringExact("East US 2")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("approver").AtSliceIndex(0).AtMapKey("public_key"), knownvalue.StringExact(alice.key)),
				},
				Check: checkGroup(t, name+"-recovery", "eastus2", map[string]string{"owner": name + "-recovery"}),
			},
			{
				Config:          unknownSiteConfig(t),
				ConfigVariables: vars("CentralUS", alice.key),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}
