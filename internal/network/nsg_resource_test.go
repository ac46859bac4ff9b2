package network_test

import (
	"context"
	"fmt"
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

const nsgAddr = "azuredr_network_security_group.test"

func nsgConfig(t *testing.T, name string, e acctest.Estate, webPriority int) string {
	return pairConfig(t, name, e, "") + fmt.Sprintf(`
resource "azuredr_network_security_group" "test" {
  network_id   = azuredr_network.test.id
  name         = "web-nsg"
  subnet_names = ["web"]
  rules = [
    {
      name                    = "https"
      priority                = %d
      direction               = "Inbound"
      access                  = "Allow"
      protocol                = "Tcp"
      source_address_prefixes = ["Internet"]
      destination_port_ranges = ["443"]
    },
    {
      name                    = "ssh"
      priority                = 300
      direction               = "Inbound"
      access                  = "Allow"
      protocol                = "Tcp"
      destination_port_ranges = ["22"]
    },
  ]
}
`, webPriority)
}

func nsgIDs(name string, e acctest.Estate) (primary, recovery, test string) {
	f := "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/networkSecurityGroups/web-nsg"
	return fmt.Sprintf(f, acctest.SubscriptionID, e.Group), fmt.Sprintf(f, acctest.SubscriptionID, name+"-dr"), fmt.Sprintf(f, acctest.SubscriptionID, name+"-drill")
}

func TestAccNetworkSecurityGroup_basic(t *testing.T) {
	name := acctest.RandomName("nsg")
	e := acctest.CreateEstate(t, name, "centralus")
	primary, recovery, test := nsgIDs(name, e)
	sshFinding := func(region string) knownvalue.Check {
		return knownvalue.StringExact(region + `: rule "ssh" (priority 300) allows SSH (port 22) from the Internet`)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: nsgConfig(t, name, e, 200),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(nsgAddr, tfjsonpath.New("id"), knownvalue.StringExact(recovery)),
					statecheck.ExpectKnownValue(nsgAddr, tfjsonpath.New("primary_id"), knownvalue.StringExact(primary)),
					statecheck.ExpectKnownValue(nsgAddr, tfjsonpath.New("test_id"), knownvalue.StringExact(test)),
					statecheck.ExpectKnownValue(nsgAddr, tfjsonpath.New("regions_in_sync"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(nsgAddr, tfjsonpath.New("findings"), knownvalue.ListExact([]knownvalue.Check{
						sshFinding("primary"), sshFinding("recovery"), sshFinding("test")})),
				},
				Check: resource.ComposeTestCheckFunc(
					checkRulePriority(t, primary, "https", 200), checkRulePriority(t, recovery, "https", 200), checkRulePriority(t, test, "https", 200),
					checkAssociated(t, e.NetworkID+"/subnets/web", primary),
					checkAssociated(t, fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr/providers/Microsoft.Network/virtualNetworks/%s-vnet-dr/subnets/web", acctest.SubscriptionID, name, name), recovery),
					checkAssociated(t, fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-drill/providers/Microsoft.Network/virtualNetworks/%s-vnet-drill/subnets/web", acctest.SubscriptionID, name, name), test),
					checkAssociated(t, e.NetworkID+"/subnets/db", ""),
				),
			},
			{ResourceName: nsgAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"timeouts"}},
			{
				Config:           nsgConfig(t, name, e, 210),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(nsgAddr, plancheck.ResourceActionUpdate)}},
				Check:            resource.ComposeTestCheckFunc(checkRulePriority(t, primary, "https", 210), checkRulePriority(t, test, "https", 210)),
			},
			{
				// A rule changed in the recovery region only, outside Terraform:
				// the plan shows that rule's change and the apply restores it.
				PreConfig: func() { setRulePriority(t, recovery, "https", 250) },
				Config:    nsgConfig(t, name, e, 210),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(nsgAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(nsgAddr, tfjsonpath.New("rules").AtSliceIndex(0).AtMapKey("priority"), knownvalue.Int64Exact(210)),
				}},
				Check: checkRulePriority(t, recovery, "https", 210),
			},
			{
				// The same in the primary region.
				PreConfig: func() { setRulePriority(t, primary, "ssh", 320) },
				Config:    nsgConfig(t, name, e, 210),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(nsgAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(nsgAddr, tfjsonpath.New("rules").AtSliceIndex(1).AtMapKey("priority"), knownvalue.Int64Exact(300)),
				}},
				Check: checkRulePriority(t, primary, "ssh", 300),
			},
			{
				// An association removed in the test network only.
				PreConfig: func() {
					disassociate(t, fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-drill/providers/Microsoft.Network/virtualNetworks/%s-vnet-drill/subnets/web", acctest.SubscriptionID, name, name))
				},
				Config: nsgConfig(t, name, e, 210),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(nsgAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(nsgAddr, tfjsonpath.New("regions_in_sync"), knownvalue.Bool(true)),
				}},
				Check: checkAssociated(t, fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-drill/providers/Microsoft.Network/virtualNetworks/%s-vnet-drill/subnets/web", acctest.SubscriptionID, name, name), test),
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if err := checkAssociated(t, e.NetworkID+"/subnets/web", "")(nil); err != nil {
				return fmt.Errorf("destroy must remove the production association: %w", err)
			}
			return pairGone(t, name, primary, recovery, test)(nil)
		},
	})
}

// Mirroring a production NSG: the rules come from it, and it is never changed.
func TestAccNetworkSecurityGroup_mirrorsSource(t *testing.T) {
	name := acctest.RandomName("src")
	e := acctest.CreateEstate(t, name, "centralus")
	source := createNSG(t, e.Group, "prod-nsg", e.Location, 120, "3389")
	_, recovery, test := nsgIDs(name, e)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: pairConfig(t, name, e, "") + fmt.Sprintf(`
resource "azuredr_network_security_group" "test" {
  network_id                       = azuredr_network.test.id
  name                             = "web-nsg"
  source_network_security_group_id = %q
}
`, source),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(nsgAddr, tfjsonpath.New("primary_id"), knownvalue.StringExact(source)),
					statecheck.ExpectKnownValue(nsgAddr, tfjsonpath.New("findings"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(`primary: rule "admin" (priority 120) allows RDP (port 3389) from the Internet`),
						knownvalue.StringExact(`recovery: rule "admin" (priority 120) allows RDP (port 3389) from the Internet`),
						knownvalue.StringExact(`test: rule "admin" (priority 120) allows RDP (port 3389) from the Internet`),
					})),
				},
				Check: resource.ComposeTestCheckFunc(checkRulePriority(t, recovery, "admin", 120), checkRulePriority(t, test, "admin", 120)),
			},
			{
				// Production's NSG changes: the mirror follows on the next apply.
				PreConfig: func() { setRulePriority(t, source, "admin", 130) },
				Config: pairConfig(t, name, e, "") + fmt.Sprintf(`
resource "azuredr_network_security_group" "test" {
  network_id                       = azuredr_network.test.id
  name                             = "web-nsg"
  source_network_security_group_id = %q
}
`, source),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(nsgAddr, plancheck.ResourceActionUpdate)}},
				Check:            resource.ComposeTestCheckFunc(checkRulePriority(t, recovery, "admin", 130), checkRulePriority(t, source, "admin", 130)),
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(
			// The production NSG it mirrored is never changed, nor deleted.
			checkRulePriority(t, source, "admin", 130),
			pairGone(t, name, recovery, test),
		),
	})
}

func nsgClientID(id string) (group, name string) {
	rid, _ := arm.ParseResourceID(id)
	return rid.ResourceGroupName, rid.Name
}

func checkRulePriority(t *testing.T, nsgID, rule string, want int32) resource.TestCheckFunc {
	return func(*terraform.State) error {
		g, n := nsgClientID(nsgID)
		r, err := acctest.Client(t).SecurityRules().Get(context.Background(), g, n, rule, nil)
		if err != nil {
			return fmt.Errorf("rule %s of %s: %w", rule, nsgID, err)
		}
		if got := *r.Properties.Priority; got != want {
			return fmt.Errorf("rule %s of %s has priority %d, want %d", rule, nsgID, got, want)
		}
		return nil
	}
}

func setRulePriority(t *testing.T, nsgID, rule string, priority int32) {
	ctx := context.Background()
	g, n := nsgClientID(nsgID)
	c := acctest.Client(t).SecurityRules()
	r, err := c.Get(ctx, g, n, rule, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Properties.Priority = &priority
	p, err := c.BeginCreateOrUpdate(ctx, g, n, rule, r.SecurityRule, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("changing rule %s of %s behind Terraform's back: %v", rule, nsgID, err)
	}
}

func checkAssociated(t *testing.T, subnetID, nsgID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		rid, _ := arm.ParseResourceID(subnetID)
		s, err := acctest.Client(t).Subnets().Get(context.Background(), rid.ResourceGroupName, rid.Parent.Name, rid.Name, nil)
		if err != nil {
			return err
		}
		got := ""
		if s.Properties.NetworkSecurityGroup != nil {
			got = *s.Properties.NetworkSecurityGroup.ID
		}
		if got != nsgID {
			return fmt.Errorf("subnet %s has NSG %q, want %q", subnetID, got, nsgID)
		}
		return nil
	}
}

func disassociate(t *testing.T, subnetID string) {
	ctx := context.Background()
	rid, _ := arm.ParseResourceID(subnetID)
	c := acctest.Client(t).Subnets()
	s, err := c.Get(ctx, rid.ResourceGroupName, rid.Parent.Name, rid.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Properties.NetworkSecurityGroup = nil
	p, err := c.BeginCreateOrUpdate(ctx, rid.ResourceGroupName, rid.Parent.Name, rid.Name, s.Subnet, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("removing the NSG of %s: %v", subnetID, err)
	}
}

// createNSG makes a production NSG with one inbound rule "admin" open to the Internet.
func createNSG(t *testing.T, group, name, location string, priority int32, port string) string {
	ctx := context.Background()
	body := armnetwork.SecurityGroup{Location: &location, Properties: &armnetwork.SecurityGroupPropertiesFormat{
		SecurityRules: []*armnetwork.SecurityRule{{Name: ptrTo("admin"), Properties: &armnetwork.SecurityRulePropertiesFormat{
			Priority: &priority, Direction: ptrTo(armnetwork.SecurityRuleDirectionInbound), Access: ptrTo(armnetwork.SecurityRuleAccessAllow),
			Protocol: ptrTo(armnetwork.SecurityRuleProtocolTCP), SourceAddressPrefix: ptrTo("*"), SourcePortRange: ptrTo("*"),
			DestinationAddressPrefix: ptrTo("*"), DestinationPortRange: &port,
		}}}}}
	p, err := acctest.Client(t).SecurityGroups().BeginCreateOrUpdate(ctx, group, name, body, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := p.PollUntilDone(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return *resp.ID
}

// Internet-exposed management ports are flagged in whichever region they
// are open: a rule opened in the recovery region only (someone "fixing"
// access during an incident), then one in production only, each found on
// refresh with its region, and with the difference between the regions.
func TestAccNetworkSecurityGroup_findingsInEitherRegion(t *testing.T) {
	name := acctest.RandomName("exp")
	e := acctest.CreateEstate(t, name, "centralus")
	source := createNSG(t, e.Group, "prod-nsg", e.Location, 120, "443") // HTTPS only: no finding
	_, recovery, test := nsgIDs(name, e)
	config := pairConfig(t, name, e, "") + fmt.Sprintf(`
resource "azuredr_network_security_group" "test" {
  network_id                       = azuredr_network.test.id
  name                             = "web-nsg"
  source_network_security_group_id = %q
}
`, source)
	findings := func(checks ...knownvalue.Check) []statecheck.StateCheck {
		return []statecheck.StateCheck{statecheck.ExpectKnownValue(nsgAddr, tfjsonpath.New("findings"), knownvalue.ListExact(checks))}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             pairGone(t, name, recovery, test),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: findings()},
			{
				PreConfig:          func() { addRule(t, recovery, "rdp-vendor", 300, "Internet", "3389") },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: checkFindings(
					`recovery: rule "rdp-vendor" (priority 300) allows RDP (port 3389) from the Internet`,
					`recovery: rule "rdp-vendor" is not in primary`,
				),
			},
			{
				// The mirror is restored from production, then production
				// itself opens SSH: flagged in primary (and, once mirrored,
				// in the recovery and test regions).
				Config: config,
				Check:  resource.ComposeTestCheckFunc(checkRuleGone(t, recovery, "rdp-vendor")),
			},
			{
				PreConfig:          func() { addRule(t, source, "ssh-any", 310, "*", "22") },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: checkFindings(
					`primary: rule "ssh-any" (priority 310) allows SSH (port 22) from the Internet`,
					`recovery: rule "ssh-any" of primary is missing`,
					`test: rule "ssh-any" of primary is missing`,
				),
			},
			{
				Config: config,
				ConfigStateChecks: findings(
					knownvalue.StringExact(`primary: rule "ssh-any" (priority 310) allows SSH (port 22) from the Internet`),
					knownvalue.StringExact(`recovery: rule "ssh-any" (priority 310) allows SSH (port 22) from the Internet`),
					knownvalue.StringExact(`test: rule "ssh-any" (priority 310) allows SSH (port 22) from the Internet`),
				),
				Check: checkRulePriority(t, test, "ssh-any", 310),
			},
		},
	})
}

// addRule adds an inbound Allow TCP rule behind Terraform's back.
func addRule(t *testing.T, nsgID, name string, priority int32, source, port string) {
	ctx := context.Background()
	g, n := nsgClientID(nsgID)
	body := armnetwork.SecurityRule{Properties: &armnetwork.SecurityRulePropertiesFormat{
		Priority: &priority, Direction: ptrTo(armnetwork.SecurityRuleDirectionInbound), Access: ptrTo(armnetwork.SecurityRuleAccessAllow),
		Protocol: ptrTo(armnetwork.SecurityRuleProtocolTCP), SourceAddressPrefix: &source, SourcePortRange: ptrTo("*"),
		DestinationAddressPrefix: ptrTo("*"), DestinationPortRange: &port,
	}}
	p, err := acctest.Client(t).SecurityRules().BeginCreateOrUpdate(ctx, g, n, name, body, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("adding rule %s to %s behind Terraform's back: %v", name, nsgID, err)
	}
}

func checkRuleGone(t *testing.T, nsgID, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		g, n := nsgClientID(nsgID)
		if _, err := acctest.Client(t).SecurityRules().Get(context.Background(), g, n, name, nil); err == nil {
			return fmt.Errorf("rule %s is still in %s", name, nsgID)
		}
		return nil
	}
}

// checkFindings: the state's findings are exactly these, in order.
func checkFindings(want ...string) resource.TestCheckFunc {
	checks := []resource.TestCheckFunc{resource.TestCheckResourceAttr(nsgAddr, "findings.#", fmt.Sprint(len(want)))}
	for i, w := range want {
		checks = append(checks, resource.TestCheckResourceAttr(nsgAddr, fmt.Sprintf("findings.%d", i), w))
	}
	return resource.ComposeAggregateTestCheckFunc(checks...)
}
