package network_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

const netAddr = "azuredr_network.test"

// pairConfig is a site in centralus -> eastus2 and a network pair for the
// estate's network; extra is appended inside the azuredr_network block.
func pairConfig(t *testing.T, name string, e acctest.Estate, extra string) string {
	return acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_site" "test" {
  name              = %[1]q
  primary_location  = "centralus"
  recovery_location = "eastus2"
}

resource "azuredr_network" "test" {
  site_id            = azuredr_site.test.id
  primary_network_id = %[2]q
  %[3]s
}
`, name, e.NetworkID, extra)
}

func TestAccNetwork_basic(t *testing.T) {
	name := acctest.RandomName("net")
	e := acctest.CreateEstate(t, name, "centralus")
	recID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr/providers/Microsoft.Network/virtualNetworks/%s-vnet-dr", acctest.SubscriptionID, name, name)
	testID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-drill/providers/Microsoft.Network/virtualNetworks/%s-vnet-drill", acctest.SubscriptionID, name, name)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             pairGone(t, name),
		Steps: []resource.TestStep{
			{
				Config: pairConfig(t, name, e, `tags = { tier = "web" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(netAddr, tfjsonpath.New("id"), knownvalue.StringExact(recID)),
					statecheck.ExpectKnownValue(netAddr, tfjsonpath.New("test_network_id"), knownvalue.StringExact(testID)),
					statecheck.ExpectKnownValue(netAddr, tfjsonpath.New("test_network_isolated"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(netAddr, tfjsonpath.New("address_space"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("10.10.0.0/16")})),
					statecheck.ExpectKnownValue(netAddr, tfjsonpath.New("subnets").AtMapKey("web").AtMapKey("address_prefix"), knownvalue.StringExact("10.10.1.0/24")),
					statecheck.ExpectKnownValue(netAddr, tfjsonpath.New("subnets").AtMapKey("db").AtMapKey("test_id"), knownvalue.StringExact(testID+"/subnets/db")),
					statecheck.ExpectKnownValue(netAddr, tfjsonpath.New("subnets").AtMapKey("db").AtMapKey("primary_id"), knownvalue.StringExact(e.NetworkID+"/subnets/db")),
				},
				Check: resource.ComposeTestCheckFunc(
					checkSubnets(t, recID, map[string]string{"web": "10.10.1.0/24", "db": "10.10.2.0/24"}),
					checkSubnets(t, testID, map[string]string{"web": "10.10.1.0/24", "db": "10.10.2.0/24"}),
				),
			},
			{ResourceName: netAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"timeouts"}},
			{
				Config:           pairConfig(t, name, e, `tags = { tier = "web", owner = "dr" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(netAddr, plancheck.ResourceActionUpdate)}},
			},
			{
				// Production gains a subnet: the next plan shows the mirror's change.
				PreConfig: func() { addSubnet(t, e.NetworkID, "app", "10.10.3.0/24") },
				Config:    pairConfig(t, name, e, `tags = { tier = "web", owner = "dr" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(netAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(netAddr, tfjsonpath.New("subnets").AtMapKey("app").AtMapKey("address_prefix"), knownvalue.StringExact("10.10.3.0/24")),
				}},
				Check: resource.ComposeTestCheckFunc(
					checkSubnets(t, recID, map[string]string{"web": "10.10.1.0/24", "db": "10.10.2.0/24", "app": "10.10.3.0/24"}),
					checkSubnets(t, testID, map[string]string{"web": "10.10.1.0/24", "db": "10.10.2.0/24", "app": "10.10.3.0/24"}),
				),
			},
			{
				// The test network deleted behind Terraform's back: recreated.
				PreConfig:        func() { deleteNetwork(t, testID) },
				Config:           pairConfig(t, name, e, `tags = { tier = "web", owner = "dr" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(netAddr, plancheck.ResourceActionCreate)}},
				Check:            checkSubnets(t, testID, map[string]string{"web": "10.10.1.0/24", "db": "10.10.2.0/24", "app": "10.10.3.0/24"}),
			},
		},
	})
}

// A peering added to the test network outside Terraform fails the next apply,
// saying why; once removed, the apply goes through.
func TestAccNetwork_isolation(t *testing.T) {
	name := acctest.RandomName("iso")
	e := acctest.CreateEstate(t, name, "centralus")
	testID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-drill/providers/Microsoft.Network/virtualNetworks/%s-vnet-drill", acctest.SubscriptionID, name, name)
	// A hub connected to production; the test network shares production's
	// addresses, so Azure would refuse a peering straight to production.
	hubID := acctest.CreateNetwork(t, e.Group, name+"-hub", e.Location, "10.99.0.0/16")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             pairGone(t, name),
		Steps: []resource.TestStep{
			{Config: pairConfig(t, name, e, "")},
			{
				PreConfig:   func() { peer(t, testID, "to-hub", hubID) },
				Config:      pairConfig(t, name, e, ""),
				ExpectError: regexp.MustCompile(`(?s)Test network not isolated.*peering to-hub ->\s*.*` + regexp.QuoteMeta(name) + `-hub.*could reach\s+production`),
			},
			{
				PreConfig: func() {
					unpeer(t, testID, "to-hub")
					addSubnet(t, testID, "GatewaySubnet", "10.10.255.0/27")
				},
				Config:      pairConfig(t, name, e, ""),
				ExpectError: regexp.MustCompile(`(?s)Test network not isolated.*GatewaySubnet`),
			},
			{
				PreConfig: func() { deleteSubnet(t, testID, "GatewaySubnet") },
				Config:    pairConfig(t, name, e, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(netAddr, tfjsonpath.New("test_network_isolated"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

func TestAccNetwork_recoveryAddressSpace(t *testing.T) {
	name := acctest.RandomName("ras")
	e := acctest.CreateEstate(t, name, "centralus")
	recID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr/providers/Microsoft.Network/virtualNetworks/%s-vnet-dr", acctest.SubscriptionID, name, name)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             pairGone(t, name),
		Steps: []resource.TestStep{{
			Config: pairConfig(t, name, e, `recovery_address_space = ["10.20.0.0/16"]`),
			Check:  checkSubnets(t, recID, map[string]string{"web": "10.20.1.0/24", "db": "10.20.2.0/24"}),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(netAddr, tfjsonpath.New("primary_address_space"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("10.10.0.0/16")})),
			},
		}, {
			ResourceName: netAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"timeouts"},
		}},
	})
}

func TestAccNetwork_dataSource(t *testing.T) {
	name := acctest.RandomName("nds")
	e := acctest.CreateEstate(t, name, "centralus")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             pairGone(t, name),
		Steps: []resource.TestStep{{
			Config: pairConfig(t, name, e, "") + `
data "azuredr_network" "pair" {
  id = azuredr_network.test.id
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.azuredr_network.pair", tfjsonpath.New("primary_network_id"), knownvalue.StringExact(e.NetworkID)),
				statecheck.ExpectKnownValue("data.azuredr_network.pair", tfjsonpath.New("test_network_isolated"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.azuredr_network.pair", tfjsonpath.New("subnets").AtMapKey("web").AtMapKey("address_prefix"), knownvalue.StringExact("10.10.1.0/24")),
			},
		}},
	})
}

func checkSubnets(t *testing.T, vnetID string, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		id, _ := arm.ParseResourceID(vnetID)
		v, err := acctest.Client(t).VirtualNetworks().Get(context.Background(), id.ResourceGroupName, id.Name, nil)
		if err != nil {
			return err
		}
		got := map[string]string{}
		for _, s := range v.Properties.Subnets {
			got[*s.Name] = *s.Properties.AddressPrefix
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("%s has subnets %v, want %v", vnetID, got, want)
		}
		return nil
	}
}

// pairGone checks after the destroy that the site of pairConfig and both
// networks of its pair are gone (404 through the SDK), and the resources of
// more (ids of NSGs and the like the test created).
func pairGone(t *testing.T, name string, more ...string) resource.TestCheckFunc {
	ids := append([]string{
		fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr/providers/Microsoft.Network/virtualNetworks/%s-vnet-dr", acctest.SubscriptionID, name, name),
		fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-drill/providers/Microsoft.Network/virtualNetworks/%s-vnet-drill", acctest.SubscriptionID, name, name),
	}, more...)
	gone := acctest.SiteGone(name)
	for _, id := range ids {
		gone = append(gone, acctest.IDGone(id))
	}
	return acctest.CheckDestroy(t, gone...)
}

func addSubnet(t *testing.T, vnetID, name, prefix string) {
	id, _ := arm.ParseResourceID(vnetID)
	ctx := context.Background()
	p, err := acctest.Client(t).Subnets().BeginCreateOrUpdate(ctx, id.ResourceGroupName, id.Name, name,
		armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: &prefix}}, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("adding subnet %s to %s: %v", name, vnetID, err)
	}
}

func deleteSubnet(t *testing.T, vnetID, name string) {
	id, _ := arm.ParseResourceID(vnetID)
	ctx := context.Background()
	p, err := acctest.Client(t).Subnets().BeginDelete(ctx, id.ResourceGroupName, id.Name, name, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("deleting subnet %s of %s: %v", name, vnetID, err)
	}
}

func deleteNetwork(t *testing.T, vnetID string) {
	id, _ := arm.ParseResourceID(vnetID)
	ctx := context.Background()
	p, err := acctest.Client(t).VirtualNetworks().BeginDelete(ctx, id.ResourceGroupName, id.Name, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("deleting %s: %v", vnetID, err)
	}
}

func peer(t *testing.T, vnetID, name, remoteID string) {
	id, _ := arm.ParseResourceID(vnetID)
	ctx := context.Background()
	body := armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork: &armnetwork.SubResource{ID: &remoteID}, AllowVirtualNetworkAccess: ptrTo(true)}}
	p, err := acctest.Client(t).VirtualNetworkPeerings().BeginCreateOrUpdate(ctx, id.ResourceGroupName, id.Name, name, body, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("peering %s to %s: %v", vnetID, remoteID, err)
	}
}

func unpeer(t *testing.T, vnetID, name string) {
	id, _ := arm.ParseResourceID(vnetID)
	ctx := context.Background()
	p, err := acctest.Client(t).VirtualNetworkPeerings().BeginDelete(ctx, id.ResourceGroupName, id.Name, name, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("removing peering %s of %s: %v", name, vnetID, err)
	}
}

func ptrTo[T any](v T) *T { return &v }
