# Rules declared once, realised in the primary region, the recovery region and
# on the isolated test network, each associated with the "web" subnet.
resource "azuredr_network_security_group" "web" {
  network_id   = azuredr_network.cms.id
  name         = "nsg-cms-web"
  subnet_names = ["web"]

  rules = [
    {
      name                    = "allow-https"
      priority                = 100
      direction               = "Inbound"
      access                  = "Allow"
      protocol                = "Tcp"
      source_address_prefixes = ["Internet"]
      destination_port_ranges = ["443"]
    },
    {
      name                    = "allow-ssh-from-office"
      priority                = 200
      direction               = "Inbound"
      access                  = "Allow"
      protocol                = "Tcp"
      source_address_prefixes = ["203.0.113.0/24"]
      destination_port_ranges = ["22"]
    },
  ]
}

# Or mirror the production NSG as it is, without managing it.
resource "azuredr_network_security_group" "db" {
  network_id                       = azuredr_network.cms.id
  name                             = "nsg-cms-db"
  source_network_security_group_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-cms-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-cms-db"
  subnet_names                     = ["db"]
}

# Internet-exposed management ports and differences between regions.
output "nsg_findings" {
  value = concat(azuredr_network_security_group.web.findings, azuredr_network_security_group.db.findings)
}
