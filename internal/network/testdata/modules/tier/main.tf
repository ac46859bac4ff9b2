# A tier's NSG, as a user's module writes it: every validated attribute of
# azuredr_network_security_group is a module input.

terraform {
  required_providers {
    azuredr = { source = "registry.terraform.io/hashicorp/azuredr" }
  }
}

variable "network_id" { type = string }
variable "name" { type = string }
variable "subnet" { type = string }
variable "priority" { type = number }
variable "port" { type = string }

resource "azuredr_network_security_group" "this" {
  network_id   = var.network_id
  name         = var.name
  subnet_names = [var.subnet]
  rules = [{
    name                    = "tier"
    priority                = var.priority
    direction               = "Inbound"
    access                  = "Allow"
    protocol                = "Tcp"
    source_address_prefixes = ["VirtualNetwork"]
    destination_port_ranges = [var.port]
  }]
}

# What the caller checks (state checks see the root module's outputs, not a
# child module's resources).
output "subnet_names" { value = azuredr_network_security_group.this.subnet_names }
output "priority" { value = azuredr_network_security_group.this.rules[0].priority }
output "regions_in_sync" { value = azuredr_network_security_group.this.regions_in_sync }
