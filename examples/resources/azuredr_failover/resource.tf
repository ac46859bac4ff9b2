# The yearly cutover drill of the Milestone CMS: a planned failover of the
# recovery plan to the recovery region (final sync, no data loss), commit,
# Geo-DNS switched to the recovery endpoints and checked, re-protect, then
# failback to the primary and re-protect again.
#
# Approvals are signed by the site's approvers, outside Terraform:
#   go run ./cmd/azuredr-approve sign -key cio.key \
#     -plan <azuredr_recovery_plan.cms.id> -action planned_failover -expires 4h
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
  name             = "milestone-cutover-2026"
  site_id          = azuredr_site.cms.id
  recovery_plan_id = azuredr_recovery_plan.cms.id
  type             = "planned"
  reprotect        = true
  failback         = true

  traffic_manager_profile_id = azuredr_traffic_manager_profile.cms.id

  approval          = var.failover_approval
  failback_approval = var.failback_approval

  timeouts {
    create = "4h"
  }
}

# A real disaster: the primary region is lost. Fail over to the newest
# application-consistent point and stay there (re-protect once the primary
# is back). Destroying this resource does not fail back.
resource "azuredr_failover" "disaster" {
  name             = "milestone-dr-invocation"
  site_id          = azuredr_site.cms.id
  recovery_plan_id = azuredr_recovery_plan.cms.id
  type             = "unplanned"
  recovery_point   = "latest_app_consistent"
  reprotect        = false
  approval         = var.failover_approval
}
