# A drill whose check can never pass: the harness must record the failure,
# destroy everything anyway, and leave no test VM behind.
terraform {
  required_version = ">= 1.5.0"
  required_providers {
    azuredr = { source = "azuredr/azuredr", version = "~> 0.1" }
  }
}

variable "subscription_id" { type = string }
variable "web_port" { type = number }
variable "run_drill" {
  type    = bool
  default = true
}

provider "azuredr" {
  subscription_id = var.subscription_id
}

locals {
  production = "/subscriptions/${var.subscription_id}/resourceGroups/rg-app-prod/providers"
}

resource "azuredr_site" "app" {
  name              = "app"
  primary_location  = "southcentralus"
  recovery_location = "northcentralus"
}

resource "azuredr_network" "app" {
  site_id            = azuredr_site.app.id
  primary_network_id = "${local.production}/Microsoft.Network/virtualNetworks/vnet-app"
}

resource "azuredr_replication_policy" "app" {
  name    = "app"
  site_id = azuredr_site.app.id
}

resource "azuredr_replicated_vm" "app" {
  site_id               = azuredr_site.app.id
  replication_policy_id = azuredr_replication_policy.app.id
  network_id            = azuredr_network.app.id
  source_vm_id          = "${local.production}/Microsoft.Compute/virtualMachines/vm-app-1"
  recovery_subnet_name  = "app"
}

resource "azuredr_test_failover" "app" {
  count = var.run_drill ? 1 : 0

  name              = "app-never-passes"
  network_id        = azuredr_network.app.id
  replicated_vm_ids = [azuredr_replicated_vm.app.id]
  check_interval    = "1s"

  check = [{
    name       = "impossible"
    type       = "http"
    url        = "http://{address}:${var.web_port}/"
    body_regex = "this text is on no page"
  }]

  timeouts {
    create = "20s"
  }
}
