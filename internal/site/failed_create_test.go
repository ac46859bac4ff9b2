package site_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// recoveryContainers is the path under which the site's recovery
// container is made: the site's last step.
func recoveryContainers(name string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr/providers/Microsoft.RecoveryServices/vaults/%s-vault/replicationFabrics/azuredr-eastus2/replicationProtectionContainers/",
		acctest.SubscriptionID, name, name)
}

// failedContainer is the error of a site whose recovery container fails.
var failedContainer = regexp.MustCompile(`Cannot create protection container\s+\S*/replicationFabrics/azuredr-eastus2/replicationProtectionContainers/[\s\S]*501`)

func failingSiteConfig(t *testing.T, name string) string {
	return acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_site" "test" {
  name              = %q
  primary_location  = "centralus"
  recovery_location = "eastus2"
}
`, name)
}

// The site's create makes two resource groups, then the backbone in three
// stages: the vault, both fabrics, both protection containers side by
// side. The last stage fails here (the recovery container's first
// request): by then everything else exists, the primary container
// included. Nothing the create made may remain (Terraform tracks none of
// it), and the error names the part that failed.
func TestAccSite_failedCreateLeavesNothing(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.FailedStepReason)
	name := acctest.RandomName("sitef")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { acctest.FailNextRequest(t, recoveryContainers(name)) },
				Config:      failingSiteConfig(t, name),
				ExpectError: failedContainer,
			},
			{
				Config: acctest.ProviderConfig(t),
				Check:  acctest.CheckDestroy(t, acctest.SiteGone(name)...),
			},
		},
	})
}

// Groups found at create (an earlier apply was interrupted after making
// them) are not this create's to remove: when the backbone then fails, its
// parts go and the groups stay for the next apply to adopt. That the
// vault is gone while its group stays shows the parts were undone one by
// one, not swept away with the group.
func TestAccSite_failedCreateKeepsFoundGroups(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.FailedStepReason)
	name := acctest.RandomName("sitek")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroy(t, acctest.SiteGone(name)...),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					putSiteGroup(t, name+"-dr", map[string]string{tags.Site: name, tags.Role: tags.RoleRecovery})
					putSiteGroup(t, name+"-drill", map[string]string{tags.Site: name, tags.Role: tags.RoleTestFailover})
					acctest.FailNextRequest(t, recoveryContainers(name))
				},
				Config:      failingSiteConfig(t, name),
				ExpectError: failedContainer,
			},
			{
				Config: acctest.ProviderConfig(t),
				Check: func(*terraform.State) error {
					c := acctest.Client(t)
					if _, err := c.Vaults().Get(context.Background(), name+"-dr", name+"-vault", nil); err == nil {
						return fmt.Errorf("vault %s-vault is left after the failed create", name)
					}
					for _, g := range []string{name + "-dr", name + "-drill"} {
						if _, err := c.ResourceGroups().Get(context.Background(), g, nil); err != nil {
							return fmt.Errorf("resource group %s, found at create, was removed by its undo: %w", g, err)
						}
					}
					return nil
				},
			},
			{
				// The next apply adopts the groups and builds the backbone.
				Config: failingSiteConfig(t, name),
				Check:  resource.TestCheckResourceAttr("azuredr_site.test", "recovery_resource_group_name", name+"-dr"),
			},
		},
	})
}

// putSiteGroup makes a resource group in eastus2 with tags, as a site's
// interrupted create leaves it.
func putSiteGroup(t *testing.T, name string, tags map[string]string) {
	body := armresources.ResourceGroup{Location: ptr("eastus2"), Tags: map[string]*string{}}
	for k, v := range tags {
		body.Tags[k] = ptr(v)
	}
	if _, err := acctest.Client(t).ResourceGroups().CreateOrUpdate(context.Background(), name, body, nil); err != nil {
		t.Fatalf("creating resource group %s: %v", name, err)
	}
}

func ptr[T any](v T) *T { return &v }
