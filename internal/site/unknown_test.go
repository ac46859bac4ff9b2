package site_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// unknownSiteConfig feeds every validated attribute of the site from values
// unknown at plan (terraform_data outputs) and variables, with the approver
// blocks a dynamic block over a variable (for_each); and a second site, in
// a child module called with for_each, whose inputs are the same values.
func unknownSiteConfig(t *testing.T) string {
	return fmt.Sprintf(`
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

module "site" {
  source            = %s
  for_each          = toset(["m"])
  name              = "${var.name}-${each.key}"
  primary_location  = var.primary
  recovery_location = terraform_data.later.output.recovery
  approvers         = { for k, v in var.approvers : k => terraform_data.later.output.keys[k] }
}

output "module_site" { value = module.site["m"] }
`, acctest.Module(t, "testdata/modules/site"))
}

// Unknown values are checked later: the site validates, plans and applies,
// through a module too; the next plan is empty; a bad value from a variable
// fails at plan on its attribute.
func TestAccSite_unknownValues(t *testing.T) {
	name := acctest.RandomName("siteu")
	alice := newApprover(t, "alice")
	vars := func(primary, key string) config.Variables {
		return config.Variables{"name": config.StringVariable(name), "primary": config.StringVariable(primary),
			"approvers": acctest.StringMap(map[string]string{"alice": key})}
	}
	mod := `module.site["m"].azuredr_site.this`
	groupsGone := checkGroupsGone(t, name+"-recovery", name+"-drill")
	acctest.UnknownValues{
		Config:    unknownSiteConfig(t),
		Variables: vars("CentralUS", alice.key),
		// Known at plan, refused at plan on the attribute.
		Bad: []acctest.BadVariables{{Variables: vars("atlantis", alice.key), Want: `Unknown Azure region.*primary_location.*"atlantis"`}},
		Unknown: []plancheck.PlanCheck{
			plancheck.ExpectUnknownValue(addr, tfjsonpath.New("recovery_location")),
			plancheck.ExpectUnknownValue(addr, tfjsonpath.New("recovery_resource_group_name")),
			plancheck.ExpectKnownValue(addr, tfjsonpath.New("paired_location"), knownvalue.StringExact("eastus2")),
			plancheck.ExpectUnknownValue(mod, tfjsonpath.New("recovery_location")),
			plancheck.ExpectUnknownValue(mod, tfjsonpath.New("approver").AtSliceIndex(0).AtMapKey("public_key")),
			plancheck.ExpectKnownValue(mod, tfjsonpath.New("paired_location"), knownvalue.StringExact("eastus2")),
		},
		Known: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("recovery_location"), knownvalue.StringExact("East US 2")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("approver").AtSliceIndex(0).AtMapKey("public_key"), knownvalue.StringExact(alice.key)),
			acctest.AfterApply(checkGroup(t, name+"-recovery", "eastus2", map[string]string{"owner": name + "-recovery"})),
			statecheck.ExpectKnownOutputValueAtPath("module_site", tfjsonpath.New("recovery_location"), knownvalue.StringExact("East US 2")),
			statecheck.ExpectKnownOutputValueAtPath("module_site", tfjsonpath.New("approver_names"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("alice")})),
			acctest.AfterApply(checkGroup(t, name+"-m-dr", "eastus2", nil)),
		},
		Gone: func(s *terraform.State) error {
			if err := groupsGone(s); err != nil {
				return err
			}
			return acctest.CheckDestroy(t, acctest.SiteGone(name+"-m")...)(s)
		},
	}.Run(t)
}
