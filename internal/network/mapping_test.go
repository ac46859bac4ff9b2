package network_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// mappingIDs are the ids of a pair's failover (primary -> recovery) and
// failback (recovery -> primary) network mappings in the site's vault.
func mappingIDs(name string) (failover, failback string) {
	vault := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr/providers/Microsoft.RecoveryServices/vaults/%s-vault", acctest.SubscriptionID, name, name)
	return vault + "/replicationFabrics/azuredr-centralus/replicationNetworks/azureNetwork/replicationNetworkMappings/" + name + "-vnet-dr-failover",
		vault + "/replicationFabrics/azuredr-eastus2/replicationNetworks/azureNetwork/replicationNetworkMappings/" + name + "-vnet-dr-failback"
}

// The pair maps production to recovery and back; the test network is never
// mapped; a mapping deleted behind Terraform's back is planned and repaired;
// destroy removes both.
func TestAccNetwork_mappings(t *testing.T) {
	name := acctest.RandomName("map")
	e := acctest.CreateEstate(t, name, "centralus")
	failover, failback := mappingIDs(name)
	recID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr/providers/Microsoft.Network/virtualNetworks/%s-vnet-dr", acctest.SubscriptionID, name, name)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(checkMappingsGone(t, name), pairGone(t, name)),
		Steps: []resource.TestStep{
			{
				Config: pairConfig(t, name, e, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(netAddr, tfjsonpath.New("primary_to_recovery_network_mapping_id"), knownvalue.StringExact(failover)),
					statecheck.ExpectKnownValue(netAddr, tfjsonpath.New("recovery_to_primary_network_mapping_id"), knownvalue.StringExact(failback)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkMapping(t, failover, e.NetworkID, recID),
					checkMapping(t, failback, recID, e.NetworkID),
					checkOnlyMappings(t, name, 2),
				),
			},
			{ResourceName: netAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"timeouts"}},
			{
				PreConfig: func() { deleteNetworkMapping(t, failover) },
				Config:    pairConfig(t, name, e, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(netAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(netAddr, tfjsonpath.New("primary_to_recovery_network_mapping_id")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(netAddr, tfjsonpath.New("primary_to_recovery_network_mapping_id"), knownvalue.StringExact(failover)),
				},
				Check: checkMapping(t, failover, e.NetworkID, recID),
			},
			{
				// The pair removed, the site kept: both mappings are gone.
				Config: pairConfig(t, name, e, "")[:strings.Index(pairConfig(t, name, e, ""), `resource "azuredr_network"`)],
				Check:  resource.ComposeTestCheckFunc(checkMappingsGone(t, name), checkOnlyMappings(t, name, 0)),
			},
		},
	})
}

// ref splits a network mapping id into the SDK's arguments.
type ref struct{ group, vault, fabric, name string }

func refOf(id string) ref {
	p := strings.Split(id, "/")
	n := len(p)
	return ref{group: p[4], vault: p[8], fabric: p[10], name: p[n-1]}
}

func checkMapping(t *testing.T, id, from, to string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		r := refOf(id)
		m, err := acctest.Client(t).NetworkMappings().Get(context.Background(), r.vault, r.group, r.fabric, "azureNetwork", r.name, nil)
		if err != nil {
			return fmt.Errorf("network mapping %s: %w", id, err)
		}
		p := m.Properties
		if p == nil || p.RecoveryNetworkID == nil || !strings.EqualFold(*p.RecoveryNetworkID, to) {
			return fmt.Errorf("network mapping %s maps to %v, want %s", id, p, to)
		}
		if p.PrimaryNetworkID != nil && !strings.EqualFold(*p.PrimaryNetworkID, from) {
			return fmt.Errorf("network mapping %s maps from %s, want %s", id, *p.PrimaryNetworkID, from)
		}
		return nil
	}
}

// checkOnlyMappings asserts the vault holds exactly n network mappings: the
// test network has none.
func checkOnlyMappings(t *testing.T, name string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		pager := acctest.Client(t).NetworkMappings().NewListPager(name+"-vault", name+"-dr", nil)
		var got []string
		for pager.More() {
			page, err := pager.NextPage(context.Background())
			if err != nil {
				return err
			}
			for _, m := range page.Value {
				got = append(got, *m.ID)
				if m.Properties != nil && m.Properties.RecoveryNetworkID != nil && strings.Contains(*m.Properties.RecoveryNetworkID, "-drill") {
					return fmt.Errorf("the test network is mapped by %s", *m.ID)
				}
			}
		}
		if len(got) != n {
			return fmt.Errorf("vault has network mappings %v, want %d", got, n)
		}
		return nil
	}
}

func checkMappingsGone(t *testing.T, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		failover, failback := mappingIDs(name)
		for _, id := range []string{failover, failback} {
			r := refOf(id)
			if _, err := acctest.Client(t).NetworkMappings().Get(context.Background(), r.vault, r.group, r.fabric, "azureNetwork", r.name, nil); err == nil {
				return fmt.Errorf("network mapping %s still exists", id)
			}
		}
		return nil
	}
}

func deleteNetworkMapping(t *testing.T, id string) {
	ctx := context.Background()
	r := refOf(id)
	p, err := acctest.Client(t).NetworkMappings().BeginDelete(ctx, r.vault, r.group, r.fabric, "azureNetwork", r.name, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("deleting network mapping %s behind Terraform's back: %v", id, err)
	}
}
