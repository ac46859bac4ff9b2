package network_test

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

// unknownConfig feeds every validated attribute of the network pair and the
// NSG from values unknown at plan: terraform_data outputs (known after
// apply), variables, locals built from them, and for_each (or count: the
// harness's legacy state shim cannot read for_each instances, so applied
// steps use count and for_each is proved at validate and plan).
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
	return acctest.ProviderConfig(t) + nsg + fmt.Sprintf(`
variable "tiers" { type = map(string) }
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
`, name, e.NetworkID)
}

// Unknown values are checked later, never refused: the configuration
// validates, plans and applies; the next plan is empty; and a bad value
// still fails at plan once a variable makes it known.
func TestAccNetworkSecurityGroup_unknownValues(t *testing.T) {
	name := acctest.RandomName("nsgu")
	e := acctest.CreateEstate(t, name, "centralus")
	nsg := `azuredr_network_security_group.test[0]`
	vars := func(subnet string) config.Variables {
		return config.Variables{"subnet": config.StringVariable(subnet), "recovery_space": config.StringVariable("10.20.0.0/16"),
			"tiers": config.MapVariable(map[string]config.Variable{"web": config.StringVariable(subnet)})}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// for_each: validates and plans (used to fail with "Value
				// Conversion Error ... Received unknown value").
				Config:             unknownConfig(t, name, e, true),
				ConfigVariables:    vars("web"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config:          unknownConfig(t, name, e, false),
				ConfigVariables: vars("web"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(nsg, tfjsonpath.New("rules").AtSliceIndex(0).AtMapKey("priority")),
						plancheck.ExpectUnknownValue(nsg, tfjsonpath.New("findings")),
						plancheck.ExpectUnknownValue("azuredr_network.test", tfjsonpath.New("primary_network_id")),
						plancheck.ExpectUnknownValue("azuredr_network.test", tfjsonpath.New("recovery_network_name")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(nsg, tfjsonpath.New("subnet_names"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("web")})),
					statecheck.ExpectKnownValue(nsg, tfjsonpath.New("rules").AtSliceIndex(0).AtMapKey("priority"), knownvalue.Int64Exact(200)),
					statecheck.ExpectKnownValue(nsg, tfjsonpath.New("regions_in_sync"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("azuredr_network.test", tfjsonpath.New("recovery_network_name"), knownvalue.StringExact("web-mirror")),
					statecheck.ExpectKnownValue("azuredr_network.test", tfjsonpath.New("recovery_address_space"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("10.20.0.0/16")})),
				},
			},
			{
				Config:          unknownConfig(t, name, e, false),
				ConfigVariables: vars("web"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// A bad value fed by a variable is known at plan and refused there, on its
// attribute.
func TestAccNetworkSecurityGroup_badVariableAtPlan(t *testing.T) {
	acctest.EmulatorOnly(t, "plan only: nothing is created")
	cfg := acctest.ProviderConfig(t) + `
variable "subnet" { type = string }
variable "priority" { type = number }

resource "azuredr_network_security_group" "test" {
  for_each     = toset(["web"])
  network_id   = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/x-dr/providers/Microsoft.Network/virtualNetworks/x-vnet-dr"
  name         = "${each.key}-nsg"
  subnet_names = [var.subnet]
  rules = [
    { name = "a", priority = var.priority, direction = "Inbound", access = "Allow", protocol = "Tcp", destination_port_ranges = ["443"] },
    { name = "b", priority = var.priority, direction = "Inbound", access = "Allow", protocol = "Tcp", destination_port_ranges = ["80"] },
  ]
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:          cfg,
				ConfigVariables: config.Variables{"subnet": config.StringVariable("GatewaySubnet"), "priority": config.IntegerVariable(100)},
				PlanOnly:        true,
				ExpectError:     regexp.MustCompile(`(?s)(GatewaySubnet cannot take an NSG.*Duplicate rule priority|Duplicate rule priority.*rules\[0\] and rules\[1\].*GatewaySubnet cannot take an NSG)`),
			},
		},
	})
}
