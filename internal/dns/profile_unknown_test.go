package dns_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// unknownProfileConfig feeds the profile's validated attributes (monitor
// timing, endpoint roles, priorities, locations) from a variable and from
// values known only after apply, with the endpoints a dynamic block over a
// variable (for_each); and a second profile, in a child module called with
// for_each, whose inputs are the same values.
func unknownProfileConfig(t *testing.T) string {
	return fmt.Sprintf(`
variable "name" { type = string }
variable "endpoints" {
  type = map(object({ target = string, location = string, priority = number, role = string }))
}

resource "terraform_data" "later" {
  input = { endpoints = var.endpoints, interval = 30, timeout = 10 }
}

resource "azuredr_site" "test" {
  name              = var.name
  primary_location  = "centralus"
  recovery_location = "eastus2"
}

resource "azuredr_traffic_manager_profile" "test" {
  site_id       = azuredr_site.test.id
  name          = "tm-cms"
  relative_name = var.name

  monitor {
    protocol            = "HTTP"
    port                = 80
    path                = "/healthz"
    interval_in_seconds = terraform_data.later.output.interval
    timeout_in_seconds  = terraform_data.later.output.timeout
  }

  dynamic "endpoint" {
    for_each = var.endpoints
    content {
      name     = endpoint.key
      type     = "external"
      target   = endpoint.value.target
      location = terraform_data.later.output.endpoints[endpoint.key].location
      priority = terraform_data.later.output.endpoints[endpoint.key].priority
      role     = terraform_data.later.output.endpoints[endpoint.key].role
    }
  }
}

module "profile" {
  source        = %s
  for_each      = toset(["m"])
  site_id       = azuredr_site.test.id
  relative_name = "${var.name}-${each.key}"
  interval      = terraform_data.later.output.interval
  timeout       = terraform_data.later.output.timeout
  endpoints     = { for k, v in var.endpoints : k => terraform_data.later.output.endpoints[k] }
}

output "module_profile" { value = module.profile["m"] }
`, acctest.Module(t, "testdata/modules/profile"))
}

func endpointVars(name string, primaryPriority int) config.Variables {
	ep := func(target, location, role string, priority int) config.Variable {
		return config.ObjectVariable(map[string]config.Variable{"target": config.StringVariable(target),
			"location": config.StringVariable(location), "priority": config.IntegerVariable(priority), "role": config.StringVariable(role)})
	}
	return config.Variables{"name": config.StringVariable(name), "endpoints": config.MapVariable(map[string]config.Variable{
		"cms-centralus": ep("192.0.2.10", "Central US", "primary", primaryPriority),
		"cms-eastus2":   ep("192.0.2.20", "eastus2", "recovery", 2),
	})}
}

// Roles and priorities unknown at plan gave no false "No recovery endpoint";
// the profile validates, plans and applies, through a module too; the next
// plan is empty.
func TestAccTrafficManagerProfile_unknownValues(t *testing.T) {
	name := acctest.RandomName("tmu")
	mod := `module.profile["m"].azuredr_traffic_manager_profile.this`
	acctest.UnknownValues{
		Config:    unknownProfileConfig(t),
		Variables: endpointVars(name, 1),
		Unknown: []plancheck.PlanCheck{
			plancheck.ExpectUnknownValue(tmAddr, tfjsonpath.New("endpoint").AtSliceIndex(0).AtMapKey("role")),
			plancheck.ExpectUnknownValue(tmAddr, tfjsonpath.New("monitor").AtMapKey("timeout_in_seconds")),
			plancheck.ExpectUnknownValue(mod, tfjsonpath.New("endpoint").AtSliceIndex(0).AtMapKey("role")),
			plancheck.ExpectUnknownValue(mod, tfjsonpath.New("endpoint").AtSliceIndex(1).AtMapKey("priority")),
			plancheck.ExpectUnknownValue(mod, tfjsonpath.New("monitor").AtMapKey("timeout_in_seconds")),
		},
		Known: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(tmAddr, tfjsonpath.New("endpoint").AtSliceIndex(0).AtMapKey("location"), knownvalue.StringExact("Central US")),
			statecheck.ExpectKnownValue(tmAddr, tfjsonpath.New("endpoint").AtSliceIndex(1).AtMapKey("role"), knownvalue.StringExact("recovery")),
			statecheck.ExpectKnownOutputValueAtPath("module_profile", tfjsonpath.New("roles"),
				knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("primary"), knownvalue.StringExact("recovery")})),
			statecheck.ExpectKnownOutputValueAtPath("module_profile", tfjsonpath.New("timeout"), knownvalue.Int64Exact(10)),
		},
		Gone: acctest.CheckDestroy(t, acctest.SiteGone(name)...),
	}.Run(t)
}

// A bad value from a variable is known at plan and refused there: on the
// resource, and through a module's inputs.
func TestAccTrafficManagerProfile_badVariableAtPlan(t *testing.T) {
	acctest.EmulatorOnly(t, "plan only: nothing is created")
	const site = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/x-dr"
	acctest.PlanRefused(t, `
variable "endpoints" { type = map(number) }
resource "azuredr_traffic_manager_profile" "test" {
  site_id       = "`+site+`"
  name          = "tm-cms"
  relative_name = "tm-bad-variable"
  monitor {
    protocol = "HTTP"
    port     = 80
    path     = "/healthz"
  }
  dynamic "endpoint" {
    for_each = var.endpoints
    content {
      name     = endpoint.key
      type     = "external"
      target   = "192.0.2.10"
      priority = endpoint.value
      role     = endpoint.key
    }
  }
}
`, config.Variables{"endpoints": config.MapVariable(map[string]config.Variable{
		"primary": config.IntegerVariable(3), "recovery": config.IntegerVariable(3)})},
		`Duplicate priority.*endpoint\[1\]\.priority`)

	acctest.PlanRefused(t, fmt.Sprintf(`
variable "priority" { type = number }
module "profile" {
  source        = %s
  for_each      = toset(["bad"])
  site_id       = %q
  relative_name = "tm-bad-${each.key}"
  interval      = 30
  timeout       = 10
  endpoints = {
    primary  = { target = "192.0.2.10", priority = var.priority, role = "primary" }
    recovery = { target = "192.0.2.20", priority = var.priority, role = "recovery" }
  }
}
`, acctest.Module(t, "testdata/modules/profile"), site), config.Variables{"priority": config.IntegerVariable(3)},
		`Duplicate priority.*module\.profile\["bad"\].*endpoint\[1\]\.priority`)
}
