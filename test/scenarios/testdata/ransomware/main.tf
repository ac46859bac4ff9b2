# Ransomware: the file server in North Europe is encrypted by an attacker,
# and replication has faithfully copied the encrypted data to West Europe.
# Recovery must come from the newest recovery point taken strictly before
# the infection; the drill proves that point holds clean data, and that
# the infected data version is absent from the recovered server.

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    azuredr = { source = "azuredr/azuredr", version = "~> 0.1" }
  }
}

variable "subscription_id" { type = string }
variable "web_port" {
  type    = number
  default = 443
}
variable "run_drill" {
  type    = bool
  default = true
}
variable "infected_at" {
  description = "When the infection was first written (RFC 3339), from the incident's forensics."
  type        = string
  default     = null
}

provider "azuredr" {
  subscription_id = var.subscription_id
}

locals {
  production = "/subscriptions/${var.subscription_id}/resourceGroups/rg-files-prod/providers"
}

resource "azuredr_site" "files" {
  name              = "files"
  primary_location  = "northeurope"
  recovery_location = "westeurope"
  tags              = { application = "files" }
}

resource "azuredr_network" "files" {
  site_id            = azuredr_site.files.id
  primary_network_id = "${local.production}/Microsoft.Network/virtualNetworks/vnet-files-prod"
}

# Keep a day of points: an infection is often found hours after it began.
resource "azuredr_replication_policy" "files" {
  name                     = "files-24h"
  site_id                  = azuredr_site.files.id
  recovery_point_retention = "24h"
}

resource "azuredr_replicated_vm" "files" {
  site_id               = azuredr_site.files.id
  replication_policy_id = azuredr_replication_policy.files.id
  network_id            = azuredr_network.files.id
  source_vm_id          = "${local.production}/Microsoft.Compute/virtualMachines/vm-files-1"
  recovery_subnet_name  = "files"
}

resource "azuredr_test_failover" "clean_restore" {
  count = var.run_drill ? 1 : 0

  name                  = "files-ransomware-restore"
  network_id            = azuredr_network.files.id
  replicated_vm_ids     = [azuredr_replicated_vm.files.id]
  recovery_point        = "before"
  recovery_point_before = var.infected_at
  rto                   = "1h"

  check = [{
    name       = "file-shares-page"
    type       = "http"
    url        = "http://{address}:${var.web_port}/"
    body_regex = "File shares"
  }]
}
