# Imported by the id of the recovery-region NSG.
terraform import azuredr_network_security_group.web /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/milestone-cms-dr/providers/Microsoft.Network/networkSecurityGroups/nsg-cms-web
