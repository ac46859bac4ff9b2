# Region outage: West Europe goes down. The web shop is failed over to North
# Europe with an unplanned failover (the primary is unreachable, so it
# recovers from the newest recovery point), which two people have approved
# in advance with signed tokens; Geo-DNS (Traffic Manager) moves users to
# the DR site and DNS is asked to prove it. Once West Europe is back, the
# shop is re-protected and failed back, and DNS returns to the primary.

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
variable "dns_server" {
  type    = string
  default = ""
}
variable "approver_public_key" {
  description = "The incident manager's ed25519 public key (azuredr-approve keygen)."
  type        = string
}
variable "run_failover" {
  type    = bool
  default = true
}
variable "failover_approval" {
  type      = string
  sensitive = true
  default   = ""
}
variable "failback_approval" {
  type      = string
  sensitive = true
  default   = ""
}

provider "azuredr" {
  subscription_id = var.subscription_id
}

locals {
  subscription = "/subscriptions/${var.subscription_id}/resourceGroups"
}

resource "azuredr_site" "shop" {
  name              = "shop"
  primary_location  = "westeurope"
  recovery_location = "northeurope"
  tags              = { application = "shop" }

  approver {
    name       = "incident-manager"
    public_key = var.approver_public_key
  }
}

resource "azuredr_network" "shop" {
  site_id            = azuredr_site.shop.id
  primary_network_id = "${local.subscription}/rg-shop-prod/providers/Microsoft.Network/virtualNetworks/vnet-shop-prod"
}

resource "azuredr_traffic_manager_profile" "shop" {
  site_id       = azuredr_site.shop.id
  name          = "tm-shop"
  relative_name = "shop-${substr(var.subscription_id, 0, 8)}"
  ttl           = 30

  monitor {
    protocol            = "HTTP"
    port                = var.web_port
    path                = "/healthz"
    interval_in_seconds = 10
    timeout_in_seconds  = 5
    tolerated_failures  = 1
  }

  endpoint {
    name               = "shop-westeurope"
    type               = "azure"
    target_resource_id = "${local.subscription}/rg-shop-prod/providers/Microsoft.Compute/virtualMachines/vm-shop-web-1"
    priority           = 1
    role               = "primary"
  }

  endpoint {
    name               = "shop-northeurope"
    type               = "azure"
    target_resource_id = "${local.subscription}/rg-shop-standby/providers/Microsoft.Compute/virtualMachines/vm-shop-standby"
    priority           = 2
    role               = "recovery"
  }
}

resource "azuredr_replication_policy" "shop" {
  name    = "shop-15min"
  site_id = azuredr_site.shop.id
}

resource "azuredr_replicated_vm" "web" {
  site_id               = azuredr_site.shop.id
  replication_policy_id = azuredr_replication_policy.shop.id
  network_id            = azuredr_network.shop.id
  source_vm_id          = "${local.subscription}/rg-shop-prod/providers/Microsoft.Compute/virtualMachines/vm-shop-web-1"
  recovery_subnet_name  = "web"
}

resource "azuredr_recovery_plan" "shop" {
  name    = "shop"
  site_id = azuredr_site.shop.id

  group {
    replicated_vm_ids = [azuredr_replicated_vm.web.id]

    post_action {
      name    = "announce"
      type    = "script"
      command = ["sh", "-c", "echo \"shop recovered on the DR side: $AZUREDR_ITEMS\""]
    }
  }
}

resource "azuredr_failover" "outage" {
  count = var.run_failover ? 1 : 0

  name             = "shop-region-outage"
  site_id          = azuredr_site.shop.id
  recovery_plan_id = azuredr_recovery_plan.shop.id
  recovery_point   = "latest_processed"
  reprotect        = true
  failback         = true

  traffic_manager_profile_id = azuredr_traffic_manager_profile.shop.id
  dns_server                 = var.dns_server == "" ? null : var.dns_server

  approval          = var.failover_approval
  failback_approval = var.failback_approval

  timeouts {
    create = "2h"
  }
}

output "recovery_plan_id" {
  value = azuredr_recovery_plan.shop.id
}
