# Hardware failure of one VM in a multi-VM estate: the ERP runs on two
# application servers and a database in West US 2, all replicated to West
# Central US. When the host under one application server fails, only that
# server is recovered, from its newest recovery point, while the rest of the
# estate keeps running in production. The drill proves that recovery works
# for the one VM without touching the others.

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
variable "failed_vm" {
  description = "The VM whose host failed."
  type        = string
  default     = "vm-erp-app-2"
}

provider "azuredr" {
  subscription_id = var.subscription_id
}

locals {
  production = "/subscriptions/${var.subscription_id}/resourceGroups/rg-erp-prod/providers"
  vms        = { "vm-erp-app-1" = "app", "vm-erp-app-2" = "app", "vm-erp-db-1" = "db" }
}

resource "azuredr_site" "erp" {
  name              = "erp"
  primary_location  = "westus2"
  recovery_location = "westcentralus"
  tags              = { application = "erp" }
}

resource "azuredr_network" "erp" {
  site_id            = azuredr_site.erp.id
  primary_network_id = "${local.production}/Microsoft.Network/virtualNetworks/vnet-erp-prod"
}

resource "azuredr_replication_policy" "erp" {
  name    = "erp-15min"
  site_id = azuredr_site.erp.id
}

resource "azuredr_replicated_vm" "erp" {
  for_each = local.vms

  site_id               = azuredr_site.erp.id
  replication_policy_id = azuredr_replication_policy.erp.id
  network_id            = azuredr_network.erp.id
  source_vm_id          = "${local.production}/Microsoft.Compute/virtualMachines/${each.key}"
  recovery_subnet_name  = each.value
}

# Recover the failed server alone, at its newest recovery point (taken
# before its host failed), and check the ERP answers from the DR side.
resource "azuredr_test_failover" "failed_host" {
  count = var.run_drill ? 1 : 0

  name              = "erp-host-failure"
  network_id        = azuredr_network.erp.id
  replicated_vm_ids = [azuredr_replicated_vm.erp[var.failed_vm].id]
  recovery_point    = "latest_processed"
  rto               = "30m"
  rpo               = "15m"

  check = [{
    name       = "erp-page"
    type       = "http"
    url        = "http://{address}:${var.web_port}/"
    body_regex = "ERP"
  }]
}

output "replicated_vm_ids" {
  value = { for name, vm in azuredr_replicated_vm.erp : name => vm.id }
}
