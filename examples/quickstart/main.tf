# Quickstart: the Milestone CMS web tier runs in Central US; its disaster
# recovery site is East US. `make demo` applies this against the local
# emulator, seeded with the production estate in estate.json. Against Azure,
# leave ARM_RESOURCE_MANAGER_ENDPOINT unset and provide credentials.

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    azuredr = {
      source  = "azuredr/azuredr"
      version = "~> 0.1"
    }
  }
}

variable "subscription_id" {
  description = "Subscription holding the production estate (the emulator's seed uses this one)."
  type        = string
  default     = "6f1c7a52-3b9e-4d1a-9c3e-2a5b7d9e0f11"
}

# The endpoint comes from ARM_RESOURCE_MANAGER_ENDPOINT (set by make demo).
provider "azuredr" {
  subscription_id = var.subscription_id
}

resource "azuredr_site" "cms" {
  name              = "milestone-cms"
  primary_location  = "centralus"
  recovery_location = "eastus"

  tags = {
    application = "cms"
    rpo         = "15m"
    rto         = "45m"
  }
}

variable "web_port" {
  description = "Port the CMS web servers answer on: 443 in Azure; make demo passes the emulator's."
  type        = number
  default     = 443
}

variable "dns_server" {
  description = "host:port of the DNS server to ask; empty for the system resolver. make demo passes the emulator's."
  type        = string
  default     = ""
}

locals {
  production = "/subscriptions/${var.subscription_id}/resourceGroups/rg-cms-prod/providers/Microsoft.Network"
}

# The production network, mirrored into East US, plus an isolated network
# (same subnets, no peering, no gateway) for test failovers.
resource "azuredr_network" "cms" {
  site_id            = azuredr_site.cms.id
  primary_network_id = "${local.production}/virtualNetworks/vnet-cms-prod"
  # The recovery and test networks get their own addresses (failed-over
  # VMs are re-addressed), so the drill's isolation proof can try every
  # production address from the test network.
  recovery_address_space = ["10.21.0.0/16"]
}

# Production's web NSG, mirrored into the recovery region and the test network.
resource "azuredr_network_security_group" "web" {
  network_id                       = azuredr_network.cms.id
  name                             = "nsg-cms-web"
  source_network_security_group_id = "${local.production}/networkSecurityGroups/nsg-cms-web"
  subnet_names                     = ["web"]
}

# Geo-DNS: users go to the web server in Central US while its probes pass,
# to the standby in East US when they fail. (In Azure the endpoints would be
# public IPs or App Services; the emulator also accepts the VMs themselves.)
resource "azuredr_traffic_manager_profile" "cms" {
  site_id       = azuredr_site.cms.id
  name          = "tm-cms"
  relative_name = "milestone-cms"
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
    name               = "cms-centralus"
    type               = "azure"
    target_resource_id = "/subscriptions/${var.subscription_id}/resourceGroups/rg-cms-prod/providers/Microsoft.Compute/virtualMachines/vm-cms-web-1"
    priority           = 1
    role               = "primary"
  }

  endpoint {
    name               = "cms-eastus"
    type               = "azure"
    target_resource_id = "/subscriptions/${var.subscription_id}/resourceGroups/rg-cms-standby/providers/Microsoft.Compute/virtualMachines/vm-cms-standby"
    priority           = 2
    role               = "recovery"
  }
}

# Replication: the web tier's VMs copied continuously to East US by Azure
# Site Recovery. The Milestone report's target RPO is 10-15 minutes:
# crash-consistent points every 5 minutes, app-consistent every hour, a day
# of history.
resource "azuredr_replication_policy" "cms" {
  name                              = "cms-15min"
  site_id                           = azuredr_site.cms.id
  recovery_point_retention          = "24h"
  app_consistent_snapshot_frequency = "1h"
}

resource "azuredr_replicated_vm" "web" {
  for_each = toset(["vm-cms-web-1", "vm-cms-web-2"])

  site_id               = azuredr_site.cms.id
  replication_policy_id = azuredr_replication_policy.cms.id
  network_id            = azuredr_network.cms.id
  source_vm_id          = "/subscriptions/${var.subscription_id}/resourceGroups/rg-cms-prod/providers/Microsoft.Compute/virtualMachines/${each.key}"
  recovery_subnet_name  = "web"
  multi_vm_group_name   = "cms-web"
  # No cache_storage_account_id: Site Recovery needs a cache storage account
  # in Central US for every disk, and the provider creates the site's own
  # (see the cache_storage_accounts output). Disks keep their source type.
}

variable "canary_url" {
  description = "An application URL that implements the canary's POST, for the application canary; empty (the default) for the file canary, which needs no application change: a marker file written on each primary web server through Run Command."
  type        = string
  default     = ""
}

variable "run_drill" {
  description = "Whether to run the drill (make demo runs it last, once replication has recovery points)."
  type        = bool
  default     = true
}

variable "drill_round" {
  description = "Change it (e.g. the date) to run the drill again."
  type        = string
  default     = "first"
}

# The Milestone drill, as code: a parallel drill of the web tier. A marker
# file is written on both web servers and replicated; both fail over into
# the isolated test network at the newest recovery point; a test VM proves
# the test network cannot reach production; the CMS is checked from inside
# the DR site (VM Run Command on each test VM: no public IP, no route from
# here); RTO, RPO and the data loss the marker shows are measured against
# the report's objectives, and the test VMs are always cleaned up.
resource "azuredr_test_failover" "web" {
  count = var.run_drill ? 1 : 0

  name              = "milestone-web-tier"
  network_id        = azuredr_network.cms.id
  replicated_vm_ids = [for vm in azuredr_replicated_vm.web : vm.id]
  recovery_point    = "latest_processed"
  rto               = "45m"
  rpo               = "15m"

  check = [{
    name       = "cms-home-page"
    type       = "http"
    url        = "http://{address}:${var.web_port}/"
    body_regex = "Milestone CMS"
  }]

  canary = {
    file = var.canary_url == "" ? {} : null
    url  = var.canary_url == "" ? null : var.canary_url
    wait = "6m" # one crash-consistent interval plus the replication lag
  }

  triggers = { round = var.drill_round }

  timeouts {
    create = "30m"
  }
}

output "drill" {
  description = "The drill's verdict and measured figures."
  value = var.run_drill ? {
    passed           = azuredr_test_failover.web[0].passed
    measured_rto     = azuredr_test_failover.web[0].measured_rto
    measured_rpo     = azuredr_test_failover.web[0].measured_rpo
    canary_data_loss = azuredr_test_failover.web[0].canary_data_loss
    breaches         = azuredr_test_failover.web[0].breaches
    # What the isolation proof and the canary found, from the timeline.
    evidence = [for line in azuredr_test_failover.web[0].timeline : line if can(regex("isolation proof|canary marker", line))]
  } : null
}

# Where the name sends users right now, proven by asking DNS.
data "azuredr_dns_answer" "cms" {
  name       = azuredr_traffic_manager_profile.cms.fqdn
  nameserver = var.dns_server == "" ? null : var.dns_server
  profile_id = azuredr_traffic_manager_profile.cms.id
}

output "site" {
  description = "The DR site: regions and the resource groups created in the recovery region."
  value = {
    primary_location           = azuredr_site.cms.primary_location
    recovery_location          = azuredr_site.cms.recovery_location
    paired_location            = azuredr_site.cms.paired_location
    recovery_resource_group_id = azuredr_site.cms.recovery_resource_group_id
    test_resource_group_id     = azuredr_site.cms.test_resource_group_id
  }
}

output "network" {
  description = "The network pair: mirrored subnets and whether the drill network is isolated."
  value = {
    recovery_network_id   = azuredr_network.cms.recovery_network_id
    test_network_id       = azuredr_network.cms.test_network_id
    subnets               = { for name, s in azuredr_network.cms.subnets : name => s.address_prefix }
    test_network_isolated = azuredr_network.cms.test_network_isolated
  }
}

output "nsg_findings" {
  description = "Management ports open to the Internet and differences between regions."
  value       = azuredr_network_security_group.web.findings
}

output "replication" {
  description = "Per web VM: protection state, health, RPO and the newest recovery point, as Site Recovery reports them."
  value = {
    for name, vm in azuredr_replicated_vm.web : name => {
      protection_state      = vm.protection_state
      replication_health    = vm.replication_health
      rpo_seconds           = vm.rpo_seconds
      latest_recovery_point = vm.latest_recovery_point == null ? "none yet" : "${vm.latest_recovery_point.time} (${vm.latest_recovery_point.type})"
      health_errors         = [for e in vm.health_errors : e.message]
      disks                 = { for d in vm.disks : d.name => d.target_disk_type }
    }
  }
}

output "cache_storage_accounts" {
  description = "The cache storage account staging each web VM's disk writes in Central US: the site's own, which the provider created (no cache_storage_account_id set) and deletes with the site."
  value       = distinct([for vm in azuredr_replicated_vm.web : vm.cache_storage_account_id])
}

output "users_go_to" {
  description = "The Traffic Manager endpoint DNS answers with, and its role."
  value       = "${data.azuredr_dns_answer.cms.matched_endpoint} (${data.azuredr_dns_answer.cms.matched_role})"
}
