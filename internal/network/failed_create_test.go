package network_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// A failed create leaves nothing behind: Terraform does not track what a
// failed create made, so whatever remained would sit in Azure unmanaged.
// Each test makes the create's last step fail and then looks, through the
// SDK, for everything the create had made.

// The NSG create's last step is the test network's subnet association: by
// then the three NSGs exist (one in the production resource group) and the
// production and recovery subnets point at them.
func TestAccNetworkSecurityGroup_failedCreateLeavesNothing(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.FailedStepReason)
	name := acctest.RandomName("nsgf")
	e := acctest.CreateEstate(t, name, "centralus")
	primary, recovery, test := nsgIDs(name, e)
	subnet := func(group, vnet string) string {
		return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/virtualNetworks/%s/subnets/web", acctest.SubscriptionID, group, vnet)
	}
	prodWeb, recWeb, testWeb := e.NetworkID+"/subnets/web", subnet(name+"-dr", name+"-vnet-dr"), subnet(name+"-drill", name+"-vnet-drill")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             pairGone(t, name, primary, recovery, test),
		Steps: []resource.TestStep{
			{Config: pairConfig(t, name, e, "")},
			{
				PreConfig:   func() { acctest.FailNextRequest(t, testWeb) },
				Config:      nsgConfig(t, name, e, 200),
				ExpectError: regexp.MustCompile(`Cannot associate subnet`),
			},
			{
				// Only the pair is in state; the NSGs and associations are gone.
				Config: pairConfig(t, name, e, ""),
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.CheckDestroy(t, acctest.IDGone(primary), acctest.IDGone(recovery), acctest.IDGone(test)),
					checkAssociated(t, prodWeb, ""), checkAssociated(t, recWeb, ""), checkAssociated(t, testWeb, ""),
				),
			},
		},
	})
}

// The network pair's create makes the recovery and test networks, then
// the failover and failback network mappings; the failback one is last.
func TestAccNetwork_failedCreateLeavesNothing(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.FailedStepReason)
	name := acctest.RandomName("netf")
	e := acctest.CreateEstate(t, name, "centralus")
	mappings := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr/providers/Microsoft.RecoveryServices/vaults/%s-vault/replicationFabrics/%%s/replicationNetworks/azureNetwork/replicationNetworkMappings/%s-vnet-dr-%%s",
		acctest.SubscriptionID, name, name, name)
	failover, failback := fmt.Sprintf(mappings, "azuredr-centralus", "failover"), fmt.Sprintf(mappings, "azuredr-eastus2", "failback")
	siteOnly := acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_site" "test" {
  name              = %q
  primary_location  = "centralus"
  recovery_location = "eastus2"
}
`, name)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             pairGone(t, name),
		Steps: []resource.TestStep{
			{Config: siteOnly},
			{
				PreConfig:   func() { acctest.FailNextRequest(t, failback) },
				Config:      pairConfig(t, name, e, ""),
				ExpectError: regexp.MustCompile(`Cannot create the Site Recovery network mapping`),
			},
			{
				Config: siteOnly,
				Check: resource.ComposeAggregateTestCheckFunc(
					pairNetworksGone(t, name),
					mappingGone(t, failover), mappingGone(t, failback),
				),
			},
		},
	})
}

// pairNetworksGone: the recovery and test networks of the pair named name
// do not exist (the site does).
func pairNetworksGone(t *testing.T, name string) resource.TestCheckFunc {
	return acctest.CheckDestroy(t,
		acctest.IDGone(fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr/providers/Microsoft.Network/virtualNetworks/%s-vnet-dr", acctest.SubscriptionID, name, name)),
		acctest.IDGone(fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-drill/providers/Microsoft.Network/virtualNetworks/%s-vnet-drill", acctest.SubscriptionID, name, name)))
}

// mappingGone: the Site Recovery network mapping id answers 404.
func mappingGone(t *testing.T, id string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ref := regexp.MustCompile(`(?i)/resourceGroups/([^/]+)/.*/vaults/([^/]+)/replicationFabrics/([^/]+)/replicationNetworks/([^/]+)/replicationNetworkMappings/([^/]+)$`).FindStringSubmatch(id)
		_, err := acctest.Client(t).NetworkMappings().Get(context.Background(), ref[2], ref[1], ref[3], ref[4], ref[5], nil)
		if err == nil {
			return fmt.Errorf("network mapping %s still exists after the failed create", id)
		}
		return nil
	}
}
