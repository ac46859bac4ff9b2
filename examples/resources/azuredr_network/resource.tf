# Mirror the production network of the CMS into the site's recovery region,
# and get an isolated test-failover network with the same subnets for drills.
resource "azuredr_network" "cms" {
  site_id            = azuredr_site.cms.id
  primary_network_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-cms-prod/providers/Microsoft.Network/virtualNetworks/vnet-cms-prod"

  # Optional: other address blocks for the recovery side (same size as the
  # primary's, one per block). By default the addresses stay the same, as
  # Site Recovery keeps private IPs.
  # recovery_address_space = ["10.21.0.0/16"]

  tags = {
    application = "cms"
  }
}

output "test_network_isolated" {
  value = azuredr_network.cms.test_network_isolated
}
