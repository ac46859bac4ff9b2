package site_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// The site's create makes two resource groups, the vault, two fabrics and
// two protection containers; the recovery container is last. When it
// fails, nothing the create made may remain (Terraform tracks none of it).
func TestAccSite_failedCreateLeavesNothing(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.FailedStepReason)
	name := acctest.RandomName("sitef")
	container := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr/providers/Microsoft.RecoveryServices/vaults/%s-vault/replicationFabrics/azuredr-eastus2/replicationProtectionContainers/",
		acctest.SubscriptionID, name, name)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { acctest.FailNextRequest(t, container) },
				Config: acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_site" "test" {
  name              = %q
  primary_location  = "centralus"
  recovery_location = "eastus2"
}
`, name),
				ExpectError: regexp.MustCompile(`(?i)container`),
			},
			{
				Config: acctest.ProviderConfig(t),
				Check:  acctest.CheckDestroy(t, acctest.SiteGone(name)...),
			},
		},
	})
}
