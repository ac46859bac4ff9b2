package network_test

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

// unknownConfig feeds every validated attribute of the network pair and the
// NSG from values unknown at plan: terraform_data outputs (known after
// apply), variables, locals built from them, for_each (or count), and the
// inputs of a child module (testdata/modules/tier, called with for_each)
// fed from all of those.
func unknownConfig(t *testing.T, name string, e acctest.Estate, forEach bool) string {
	nsg := `
resource "azuredr_network_security_group" "test" {
  count        = 1
  network_id   = azuredr_network.test.id
  name         = "web-nsg"
  subnet_names = [terraform_data.later.output.subnet]
  rules        = local.rules
}
`
	if forEach {
		nsg = `
resource "terraform_data" "subnet" {
  for_each = var.tiers
  input    = each.value
}

resource "azuredr_network_security_group" "test" {
  for_each     = var.tiers
  network_id   = azuredr_network.test.id
  name         = "${each.key}-nsg"
  subnet_names = [terraform_data.subnet[each.key].output]
  rules        = local.rules
}
`
	}
	return nsg + fmt.Sprintf(`
variable "tiers" { type = map(string) }
variable "module_tiers" { type = map(string) }
variable "subnet" { type = string }
variable "recovery_space" { type = string }

resource "terraform_data" "later" {
  input = {
    subnet         = var.subnet
    port           = "443"
    priority       = 200
    recovery_space = var.recovery_space
    primary        = %[2]q
  }
}

locals {
  rules = [{
    name                    = "https"
    priority                = terraform_data.later.output.priority
    direction               = "Inbound"
    access                  = "Allow"
    protocol                = "Tcp"
    source_address_prefixes = ["Internet"]
    destination_port_ranges = [terraform_data.later.output.port]
  }]
}

resource "terraform_data" "module_subnet" {
  for_each = var.module_tiers
  input    = each.value
}

module "tier" {
  source     = %[3]s
  for_each   = var.module_tiers
  network_id = azuredr_network.test.id
  name       = "${each.key}-tier-nsg"
  subnet     = terraform_data.module_subnet[each.key].output
  priority   = terraform_data.later.output.priority + 10
  port       = terraform_data.later.output.port
}

output "tier" { value = module.tier["db"] }

resource "azuredr_site" "test" {
  name              = %[1]q
  primary_location  = "centralus"
  recovery_location = "eastus2"
}

resource "azuredr_network" "test" {
  site_id                = azuredr_site.test.id
  primary_network_id     = terraform_data.later.output.primary
  recovery_address_space = [terraform_data.later.output.recovery_space]
  recovery_network_name  = "${terraform_data.later.output.subnet}-mirror"
}
`, name, e.NetworkID, acctest.Module(t, "testdata/modules/tier"))
}

// Unknown values are checked later, never refused: the configuration
// (for_each, and the count variant) validates, plans and applies, through a
// module too; the next plan is empty.
func TestAccNetworkSecurityGroup_unknownValues(t *testing.T) {
	name := acctest.RandomName("nsgu")
	e := acctest.CreateEstate(t, name, "centralus")
	nsg := `azuredr_network_security_group.test["web"]`
	tier := `module.tier["db"].azuredr_network_security_group.this`
	acctest.UnknownValues{
		Config: unknownConfig(t, name, e, true),
		// count: validates and plans too (for_each used to fail with
		// "Value Conversion Error ... Received unknown value").
		AlsoPlans: []string{unknownConfig(t, name, e, false)},
		Variables: config.Variables{"subnet": config.StringVariable("web"), "recovery_space": config.StringVariable("10.20.0.0/16"),
			"tiers": acctest.StringMap(map[string]string{"web": "web"}), "module_tiers": acctest.StringMap(map[string]string{"db": "db"})},
		Unknown: []plancheck.PlanCheck{
			plancheck.ExpectUnknownValue(nsg, tfjsonpath.New("rules").AtSliceIndex(0).AtMapKey("priority")),
			plancheck.ExpectUnknownValue(nsg, tfjsonpath.New("subnet_names").AtSliceIndex(0)),
			plancheck.ExpectUnknownValue(nsg, tfjsonpath.New("findings")),
			plancheck.ExpectUnknownValue(tier, tfjsonpath.New("network_id")),
			plancheck.ExpectUnknownValue(tier, tfjsonpath.New("subnet_names").AtSliceIndex(0)),
			plancheck.ExpectUnknownValue(tier, tfjsonpath.New("rules").AtSliceIndex(0).AtMapKey("priority")),
			plancheck.ExpectUnknownValue("azuredr_network.test", tfjsonpath.New("primary_network_id")),
			plancheck.ExpectUnknownValue("azuredr_network.test", tfjsonpath.New("recovery_network_name")),
		},
		Known: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(nsg, tfjsonpath.New("subnet_names"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("web")})),
			statecheck.ExpectKnownValue(nsg, tfjsonpath.New("rules").AtSliceIndex(0).AtMapKey("priority"), knownvalue.Int64Exact(200)),
			statecheck.ExpectKnownValue(nsg, tfjsonpath.New("regions_in_sync"), knownvalue.Bool(true)),
			statecheck.ExpectKnownOutputValueAtPath("tier", tfjsonpath.New("subnet_names"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("db")})),
			statecheck.ExpectKnownOutputValueAtPath("tier", tfjsonpath.New("priority"), knownvalue.Int64Exact(210)),
			statecheck.ExpectKnownOutputValueAtPath("tier", tfjsonpath.New("regions_in_sync"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue("azuredr_network.test", tfjsonpath.New("recovery_network_name"), knownvalue.StringExact("web-mirror")),
			statecheck.ExpectKnownValue("azuredr_network.test", tfjsonpath.New("recovery_address_space"),
				knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("10.20.0.0/16")})),
		},
		Gone: acctest.CheckDestroy(t, acctest.SiteGone(name)...),
	}.Run(t)
}

// A bad value fed by a variable is known at plan and refused there, on its
// attribute: on the resource, and through a module's inputs.
func TestAccNetworkSecurityGroup_badVariableAtPlan(t *testing.T) {
	acctest.EmulatorOnly(t, "plan only: nothing is created")
	const network = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/x-dr/providers/Microsoft.Network/virtualNetworks/x-vnet-dr"
	vars := config.Variables{"subnet": config.StringVariable("GatewaySubnet"), "priority": config.IntegerVariable(100)}
	acctest.PlanRefused(t, `
variable "subnet" { type = string }
variable "priority" { type = number }

resource "azuredr_network_security_group" "test" {
  for_each     = toset(["web"])
  network_id   = "`+network+`"
  name         = "${each.key}-nsg"
  subnet_names = [var.subnet]
  rules = [
    { name = "a", priority = var.priority, direction = "Inbound", access = "Allow", protocol = "Tcp", destination_port_ranges = ["443"] },
    { name = "b", priority = var.priority, direction = "Inbound", access = "Allow", protocol = "Tcp", destination_port_ranges = ["80"] },
  ]
}
`, vars, `(GatewaySubnet cannot take an NSG.*Duplicate rule priority|Duplicate rule priority.*rules\[0\] and rules\[1\].*GatewaySubnet cannot take an NSG)`)

	acctest.PlanRefused(t, fmt.Sprintf(`
variable "subnet" { type = string }
variable "priority" { type = number }

module "tier" {
  source     = %s
  for_each   = toset(["gateway"])
  network_id = %q
  name       = "${each.key}-nsg"
  subnet     = var.subnet
  priority   = var.priority + 50
  port       = "443"
}
`, acctest.Module(t, "testdata/modules/tier"), network), vars, `(GatewaySubnet cannot take an NSG.*module\.tier\["gateway"\]|module\.tier\["gateway"\].*GatewaySubnet cannot take an NSG)`)
}
