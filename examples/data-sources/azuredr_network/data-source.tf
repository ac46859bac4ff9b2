# Read a network pair, e.g. in the configuration that runs drills.
data "azuredr_network" "cms" {
  id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/milestone-cms-dr/providers/Microsoft.Network/virtualNetworks/vnet-cms-prod-dr"
}

output "test_subnet_ids" {
  value = { for name, s in data.azuredr_network.cms.subnets : name => s.test_id }
}
