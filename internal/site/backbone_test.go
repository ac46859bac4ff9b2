package site_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// backboneIDs are the ids a site named name (centralus -> eastus2) gets.
func backboneIDs(name string) map[string]string {
	vault := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr/providers/Microsoft.RecoveryServices/vaults/%s-vault", acctest.SubscriptionID, name, name)
	return map[string]string{
		"vault_id":              vault,
		"primary_fabric_id":     vault + "/replicationFabrics/azuredr-centralus",
		"recovery_fabric_id":    vault + "/replicationFabrics/azuredr-eastus2",
		"primary_container_id":  vault + "/replicationFabrics/azuredr-centralus/replicationProtectionContainers/azuredr-centralus-container",
		"recovery_container_id": vault + "/replicationFabrics/azuredr-eastus2/replicationProtectionContainers/azuredr-eastus2-container",
	}
}

func backboneChecks(name string) []statecheck.StateCheck {
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("vault_name"), knownvalue.StringExact(name+"-vault")),
	}
	for attr, id := range backboneIDs(name) {
		checks = append(checks, statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), knownvalue.StringExact(id)))
	}
	return checks
}

// The site builds the vault, both fabrics and both containers; the plan
// already shows their ids; destroy removes the vault.
func TestAccSite_backbone(t *testing.T) {
	name := acctest.RandomName("bb")
	ids := backboneIDs(name)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(
			checkVaultGone(t, name),
			checkGroupsGone(t, name+"-dr", name+"-drill"),
		),
		Steps: []resource.TestStep{
			{
				Config: siteConfig(t, name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("recovery_container_id"), knownvalue.StringExact(ids["recovery_container_id"])),
				}},
				ConfigStateChecks: backboneChecks(name),
				Check:             checkBackbone(t, name, true),
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr", acctest.SubscriptionID, name),
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// A container, then a fabric and the vault, deleted behind Terraform's back:
// the refresh records them as "", the plan shows the repair, the apply makes
// them again.
func TestAccSite_backboneDrift(t *testing.T) {
	name := acctest.RandomName("bbd")
	ids := backboneIDs(name)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkVaultGone(t, name),
		Steps: []resource.TestStep{
			{Config: siteConfig(t, name, "")},
			{
				PreConfig: func() { deleteContainer(t, name, "eastus2") },
				Config:    siteConfig(t, name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("recovery_container_id"), knownvalue.StringExact(ids["recovery_container_id"])),
				}},
				ConfigStateChecks: backboneChecks(name),
				Check:             checkBackbone(t, name, true),
			},
			{
				// Refresh only: the missing container shows as "" in state.
				PreConfig:          func() { deleteContainer(t, name, "centralus") },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check:              resource.TestCheckResourceAttr(addr, "primary_container_id", ""),
			},
			{
				Config:            siteConfig(t, name, ""),
				ConfigStateChecks: backboneChecks(name),
				Check:             checkBackbone(t, name, true),
			},
			{
				PreConfig: func() { deleteVault(t, name) },
				Config:    siteConfig(t, name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: backboneChecks(name),
				Check:             checkBackbone(t, name, true),
			},
		},
	})
}

// checkBackbone asserts through the SDK that the vault, fabrics and
// containers exist (or, with want false, that the vault does not).
func checkBackbone(t *testing.T, name string, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		c := acctest.Client(t)
		group, vault := name+"-dr", name+"-vault"
		v, err := c.Vaults().Get(ctx, group, vault, nil)
		if !want {
			if err == nil {
				return fmt.Errorf("vault %s still exists", vault)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("vault %s: %w", vault, err)
		}
		if *v.Location != "eastus2" || v.SKU == nil || string(*v.SKU.Name) != "Standard" {
			return fmt.Errorf("vault %s: location %s, sku %+v; want eastus2, Standard", vault, *v.Location, v.SKU)
		}
		for _, region := range []string{"centralus", "eastus2"} {
			if _, err := c.ReplicationFabrics().Get(ctx, vault, group, "azuredr-"+region, nil); err != nil {
				return fmt.Errorf("fabric of %s: %w", region, err)
			}
			if _, err := c.ProtectionContainers().Get(ctx, vault, group, "azuredr-"+region, "azuredr-"+region+"-container", nil); err != nil {
				return fmt.Errorf("container of %s: %w", region, err)
			}
		}
		return nil
	}
}

func checkVaultGone(t *testing.T, name string) resource.TestCheckFunc {
	return checkBackbone(t, name, false)
}

func deleteContainer(t *testing.T, name, region string) {
	ctx := context.Background()
	p, err := acctest.Client(t).ProtectionContainers().BeginDelete(ctx, name+"-vault", name+"-dr", "azuredr-"+region, "azuredr-"+region+"-container", nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("deleting the %s container behind Terraform's back: %v", region, err)
	}
}

// deleteVault removes the whole backbone behind Terraform's back, as a
// person cleaning up in the portal would: containers, fabrics, vault.
func deleteVault(t *testing.T, name string) {
	ctx := context.Background()
	c := acctest.Client(t)
	for _, region := range []string{"centralus", "eastus2"} {
		deleteContainer(t, name, region)
		p, err := c.ReplicationFabrics().BeginDelete(ctx, name+"-vault", name+"-dr", "azuredr-"+region, nil)
		if err == nil {
			_, err = p.PollUntilDone(ctx, nil)
		}
		if err != nil {
			t.Fatalf("deleting the %s fabric behind Terraform's back: %v", region, err)
		}
	}
	if _, err := c.Vaults().Delete(ctx, name+"-dr", name+"-vault", nil); err != nil {
		t.Fatalf("deleting the vault behind Terraform's back: %v", err)
	}
}
