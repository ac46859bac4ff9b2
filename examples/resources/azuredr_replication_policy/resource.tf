resource "azuredr_site" "cms" {
  name              = "milestone-cms"
  primary_location  = "centralus"
  recovery_location = "eastus"
}

# Tier 1: recovery points kept for three days, app-consistent every 4 hours.
resource "azuredr_replication_policy" "tier1" {
  name                                = "tier1-3d"
  site_id                             = azuredr_site.cms.id
  recovery_point_retention            = "3d"
  app_consistent_snapshot_frequency   = "4h"
  crash_consistent_snapshot_frequency = "5m" # Azure takes crash-consistent points every 5 minutes
  multi_vm_sync                       = true
}

# Tier 3 in the same vault: latest point only, no app-consistent snapshots.
resource "azuredr_replication_policy" "tier3" {
  name                              = "tier3-latest"
  site_id                           = azuredr_site.cms.id
  recovery_point_retention          = "0"
  app_consistent_snapshot_frequency = "0"
}
