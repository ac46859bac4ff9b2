package site_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

func spelledSiteConfig(t *testing.T, name, primary, recovery string) string {
	return acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_site" "test" {
  name              = %q
  primary_location  = %q
  recovery_location = %q
}
`, name, primary, recovery)
}

// ARM compares locations ignoring case and spaces: "CentralUS" and
// "East US 2" are accepted, Azure gets the canonical names, the state keeps
// the spelling written, and the next plan is empty. Respelling the same
// regions is an in-place update, never a new site.
func TestAccSite_locationSpelling(t *testing.T) {
	name := acctest.RandomName("site")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsGone(t, name+"-dr", name+"-drill"),
		Steps: []resource.TestStep{
			{
				Config: spelledSiteConfig(t, name, "CentralUS", "East US 2"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("primary_location"), knownvalue.StringExact("CentralUS")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("recovery_location"), knownvalue.StringExact("East US 2")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("paired_location"), knownvalue.StringExact("eastus2")),
				},
				Check: resource.ComposeTestCheckFunc(
					checkGroup(t, name+"-dr", "eastus2", map[string]string{"azuredr-site": name, "azuredr-primary-location": "centralus"}),
					checkGroup(t, name+"-drill", "eastus2", map[string]string{"azuredr-site": name}),
				),
			},
			{
				Config: spelledSiteConfig(t, name, "CentralUS", "East US 2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config: spelledSiteConfig(t, name, "centralus", "eastus2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("primary_location"), knownvalue.StringExact("centralus")),
				},
			},
			{
				Config: spelledSiteConfig(t, name, "centralus", "eastus2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}
