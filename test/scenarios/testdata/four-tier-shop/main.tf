# An 8-VM shop in four tiers, written the way Terraform users write
# configurations: the tiers are a variable, the NSGs and replicated VMs come
# from for_each over it, the checks are variables too. Four NSGs in one
# network pair are created at Terraform's default parallelism (the provider
# serialises its writes per virtual network). The recovery plan has three
# groups (database; API and queue; storefront) and each check is scoped to
# the group it can pass on.

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

variable "tiers" {
  description = "Production tiers: their subnet (and NSG) and VMs, in recovery order."
  type = map(object({
    vms   = list(string)
    group = number
  }))
  default = {
    db    = { vms = ["vm-shop-db-1", "vm-shop-db-2"], group = 1 }
    queue = { vms = ["vm-shop-queue-1"], group = 2 }
    api   = { vms = ["vm-shop-api-1", "vm-shop-api-2"], group = 2 }
    web   = { vms = ["vm-shop-web-1", "vm-shop-web-2", "vm-shop-web-3"], group = 3 }
  }
}

variable "storefront_check" {
  description = "The check proving the storefront serves its pages."
  type = object({
    name          = string
    type          = string
    url           = string
    body_regex    = string
    expect_status = number
  })
  default = {
    name          = "storefront"
    type          = "http"
    url           = "http://{address}:{port}/"
    body_regex    = "Shop storefront"
    expect_status = 200
  }
}

provider "azuredr" {
  subscription_id = var.subscription_id
}

locals {
  production = "/subscriptions/${var.subscription_id}/resourceGroups/rg-shop-prod/providers"
  vms        = merge([for tier, t in var.tiers : { for vm in t.vms : vm => { tier = tier, group = t.group } }]...)
}

resource "azuredr_site" "shop" {
  name              = "shop"
  primary_location  = "West Europe"
  recovery_location = "northeurope"
  tags              = { application = "shop" }
}

resource "azuredr_network" "shop" {
  site_id            = azuredr_site.shop.id
  primary_network_id = "${local.production}/Microsoft.Network/virtualNetworks/vnet-shop-prod"
}

resource "azuredr_network_security_group" "tier" {
  for_each = var.tiers

  network_id                       = azuredr_network.shop.id
  name                             = "nsg-shop-${each.key}"
  source_network_security_group_id = "${local.production}/Microsoft.Network/networkSecurityGroups/nsg-shop-${each.key}"
  subnet_names                     = [each.key]
}

resource "azuredr_replication_policy" "shop" {
  name    = "shop-15min"
  site_id = azuredr_site.shop.id
}

# One module per tier replicates its VMs (for_each inside, module inputs
# known only after the site, network and policy are created).
module "tier" {
  source   = "./tier"
  for_each = var.tiers

  site_id               = azuredr_site.shop.id
  replication_policy_id = azuredr_replication_policy.shop.id
  network_id            = azuredr_network.shop.id
  vm_ids                = [for vm in each.value.vms : "${local.production}/Microsoft.Compute/virtualMachines/${vm}"]
  subnet_name           = each.key
}

resource "azuredr_recovery_plan" "shop" {
  name    = "shop"
  site_id = azuredr_site.shop.id

  dynamic "group" {
    for_each = sort(distinct([for vm in local.vms : vm.group])) # sort gives strings: compared with tonumber below
    content {
      replicated_vm_ids = flatten([for tier, t in var.tiers : values(module.tier[tier].replicated_vm_ids) if t.group == tonumber(group.value)])
    }
  }
}

resource "azuredr_test_failover" "shop" {
  count = var.run_drill ? 1 : 0

  name             = "shop-four-tiers"
  network_id       = azuredr_network.shop.id
  recovery_plan_id = azuredr_recovery_plan.shop.id
  recovery_point   = "latest_processed"
  rto              = "1h"
  rpo              = "15m"

  check = [
    # Each check where it can pass: the storefront on group 3's VMs, the
    # database's pages on group 1's, the API once against its first VM.
    {
      name          = var.storefront_check.name
      type          = var.storefront_check.type
      url           = replace(var.storefront_check.url, "{port}", tostring(var.web_port))
      body_regex    = var.storefront_check.body_regex
      expect_status = var.storefront_check.expect_status
      group         = 3
    },
    { name = "database", type = "tcp", address = "{address}:${var.web_port}", group = 1 },
    { name = "database-page", type = "http", url = "http://{address}:${var.web_port}/", body_regex = "Shop database", vm_names = var.tiers.db.vms },
    { name = "api", type = "http", url = "http://{address}:${var.web_port}/", body_regex = "Shop API", group = 2, once = true },
  ]
}

output "drill" {
  value = var.run_drill ? {
    passed   = azuredr_test_failover.shop[0].passed
    breaches = azuredr_test_failover.shop[0].breaches
  } : null
}
