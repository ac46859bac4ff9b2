package replication_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// An estate unlike the quickstart: four tiers (four subnets, each with its
// NSG) and eight VMs replicated into one network pair, written as users
// write them (for_each over variables, on the NSGs and on the replicated
// VMs), in one apply at Terraform's default parallelism (10). Azure
// serialises writes on a virtual network, so the NSGs' subnet associations
// would collide (409 AnotherOperationInProgress) unless the provider
// serialises them and retries; the destroy does the same in reverse.
func TestAccReplicatedVM_fourTiersInOnePair(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.SeededVMReason)
	name := acctest.RandomName("tiers")
	e := acctest.CreateEstate(t, name, "centralus") // subnets web and db
	addEstateSubnet(t, e.NetworkID, "app", "10.10.3.0/24")
	addEstateSubnet(t, e.NetworkID, "mgmt", "10.10.4.0/24")
	tiers := []string{"web", "app", "db", "mgmt"}
	var tierVars []config.Variable
	vms := map[string]config.Variable{}
	for _, tier := range tiers {
		tierVars = append(tierVars, config.StringVariable(tier))
		for i := 1; i <= 2; i++ {
			vm := acctest.CreateVM(t, e.Group, fmt.Sprintf("%s-%s-%d", name, tier, i), "", e.NetworkID+"/subnets/"+tier)
			vms[fmt.Sprintf("%s-%d", tier, i)] = config.ObjectVariable(map[string]config.Variable{
				"id": config.StringVariable(vm.ID), "subnet": config.StringVariable(tier)})
		}
	}
	vars := config.Variables{"tiers": config.SetVariable(tierVars...), "vms": config.MapVariable(vms)}
	d := drEstate{name: name, Estate: e}
	cfg := drConfig(t, d, "", `
variable "tiers" { type = set(string) }
variable "vms" { type = map(object({ id = string, subnet = string })) }

resource "azuredr_network_security_group" "tier" {
  for_each     = var.tiers
  network_id   = azuredr_network.test.id
  name         = "${each.key}-nsg"
  subnet_names = [each.key]
  rules = [{
    name                    = "https"
    priority                = 200
    direction               = "Inbound"
    access                  = "Allow"
    protocol                = "Tcp"
    source_address_prefixes = ["VirtualNetwork"]
    destination_port_ranges = ["443"]
  }]
}

resource "azuredr_replicated_vm" "vm" {
  for_each              = var.vms
  site_id               = azuredr_site.test.id
  replication_policy_id = azuredr_replication_policy.test.id
  network_id            = azuredr_network.test.id
  source_vm_id          = each.value.id
  recovery_subnet_name  = each.value.subnet
}
`)
	// terraform validate knows no variable: both for_each are unknown.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	acctest.Validate(t, dir)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:          cfg,
				ConfigVariables: vars,
				ConfigStateChecks: []statecheck.StateCheck{acctest.AfterApply(func(*terraform.State) error {
					if items := d.vaultItems(t); len(items) != 8 {
						return fmt.Errorf("vault items = %v, want the 8 VMs", items)
					}
					for _, tier := range tiers {
						if got := subnetNSG(t, e.NetworkID+"/subnets/"+tier); !strings.HasSuffix(got, "/networkSecurityGroups/"+tier+"-nsg") {
							return fmt.Errorf("production subnet %s has NSG %q, want %s-nsg", tier, got, tier)
						}
					}
					return nil
				})},
			},
			// The destroy is a step (at default parallelism too): the
			// harness's own post-test destroy reads a state shim that
			// cannot hold for_each instances.
			{Config: cfg, ConfigVariables: vars, Destroy: true},
		},
	})
	// After the destroy (checked here: CheckDestroy, like Check, reads
	// that shim).
	if items := d.vaultItems(t); len(items) != 0 {
		t.Errorf("replication still enabled after destroy: %v", items)
	}
	if err := acctest.CheckDestroy(t, acctest.SiteGone(name)...)(nil); err != nil {
		t.Error(err)
	}
	for _, tier := range tiers {
		if got := subnetNSG(t, e.NetworkID+"/subnets/"+tier); got != "" {
			t.Errorf("after destroy, production subnet %s still has NSG %s", tier, got)
		}
	}
}

func addEstateSubnet(t *testing.T, vnetID, name, prefix string) {
	t.Helper()
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

// subnetNSG is the id of the NSG a subnet is associated with, or "".
func subnetNSG(t *testing.T, subnetID string) string {
	t.Helper()
	rid, _ := arm.ParseResourceID(subnetID)
	s, err := acctest.Client(t).Subnets().Get(context.Background(), rid.ResourceGroupName, rid.Parent.Name, rid.Name, nil)
	if err != nil {
		t.Fatalf("reading subnet %s: %v", subnetID, err)
	}
	if s.Properties == nil || s.Properties.NetworkSecurityGroup == nil || s.Properties.NetworkSecurityGroup.ID == nil {
		return ""
	}
	return *s.Properties.NetworkSecurityGroup.ID
}
