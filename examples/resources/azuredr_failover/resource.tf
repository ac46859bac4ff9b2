# The yearly cutover drill of the Milestone CMS: Site Recovery's unplanned
# failover of the recovery plan to the recovery region (Azure to Azure
# replication has no planned failover; with shutdown_source_vms Site
# Recovery shuts the primary VMs down first, so they stop taking writes),
# commit, Geo-DNS switched to the recovery endpoints and checked,
# re-protect (replication back to the primary, through the site's cache
# storage account in the recovery region, which the provider creates when
# missing), then failback to the primary (an unplanned failover back,
# commit) and re-protect again.
#
# Approvals are signed by the site's approvers, outside Terraform:
#   go run ./cmd/azuredr-approve sign -key cio.key \
#     -plan <azuredr_recovery_plan.cms.id> -action failover -expires 4h
#   go run ./cmd/azuredr-approve sign -key cio.key \
#     -plan <azuredr_recovery_plan.cms.id> -action failback -expires 4h
variable "failover_approval" {
  type      = string
  sensitive = true
}

variable "failback_approval" {
  type      = string
  sensitive = true
}

resource "azuredr_failover" "cutover" {
  name                = "milestone-cutover-2026"
  site_id             = azuredr_site.cms.id
  recovery_plan_id    = azuredr_recovery_plan.cms.id
  shutdown_source_vms = true
  reprotect           = true
  failback            = true

  traffic_manager_profile_id = azuredr_traffic_manager_profile.cms.id

  approval          = var.failover_approval
  failback_approval = var.failback_approval

  timeouts {
    create = "4h"
  }
}

# A real disaster: the primary region is lost. Fail over to the newest
# application-consistent point and stay there (re-protect once the primary
# is back). Site Recovery still tries to shut the primary VMs down and goes
# on when it cannot. Destroying this resource does not fail back.
resource "azuredr_failover" "disaster" {
  name             = "milestone-dr-invocation"
  site_id          = azuredr_site.cms.id
  recovery_plan_id = azuredr_recovery_plan.cms.id
  recovery_point   = "latest_app_consistent"
  reprotect        = false
  approval         = var.failover_approval
}
