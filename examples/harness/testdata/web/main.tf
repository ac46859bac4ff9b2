# The web tier's DR, as a user's repository keeps it beside its drill test:
# one VM replicated from East US 2 to Central US and drilled into the
# isolated test network.

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    azuredr = { source = "azuredr/azuredr", version = "~> 0.1" }
  }
}

# The harness passes subscription_id (the emulator's fresh subscription)
# and web_port (the port the emulator's sites answer on).
variable "subscription_id" { type = string }
variable "web_port" {
  type    = number
  default = 443
}
variable "run_drill" {
  type    = bool
  default = true
}

provider "azuredr" {
  subscription_id = var.subscription_id
}

locals {
  production = "/subscriptions/${var.subscription_id}/resourceGroups/rg-web-prod/providers"
}

resource "azuredr_site" "web" {
  name              = "web"
  primary_location  = "eastus2"
  recovery_location = "centralus"
}

resource "azuredr_network" "web" {
  site_id            = azuredr_site.web.id
  primary_network_id = "${local.production}/Microsoft.Network/virtualNetworks/vnet-web-prod"
}

resource "azuredr_replication_policy" "web" {
  name    = "web-15min"
  site_id = azuredr_site.web.id
}

resource "azuredr_replicated_vm" "web" {
  site_id               = azuredr_site.web.id
  replication_policy_id = azuredr_replication_policy.web.id
  network_id            = azuredr_network.web.id
  source_vm_id          = "${local.production}/Microsoft.Compute/virtualMachines/vm-web-1"
  recovery_subnet_name  = "web"
}

resource "azuredr_test_failover" "web" {
  count = var.run_drill ? 1 : 0

  name              = "web-nightly"
  network_id        = azuredr_network.web.id
  replicated_vm_ids = [azuredr_replicated_vm.web.id]
  recovery_point    = "latest_processed"
  rto               = "1h"
  rpo               = "15m"

  check = [{
    name       = "home-page"
    type       = "http"
    url        = "http://{address}:${var.web_port}/"
    body_regex = "Example web shop"
  }]
}
