# A network pair is imported by the id of its recovery network.
terraform import azuredr_network.cms /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/milestone-cms-dr/providers/Microsoft.Network/virtualNetworks/vnet-cms-prod-dr
