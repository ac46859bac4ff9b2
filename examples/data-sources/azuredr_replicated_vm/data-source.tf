# The replication status of a VM whose replication another configuration
# manages, for a nightly check.
data "azuredr_replicated_vm" "web1" {
  site_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/milestone-cms-dr"
  name    = "vm-cms-web-1"
}

check "web1_rpo" {
  assert {
    condition     = data.azuredr_replicated_vm.web1.replication_health == "Normal" && data.azuredr_replicated_vm.web1.rpo_seconds <= 900
    error_message = "vm-cms-web-1 misses its 15-minute RPO: ${data.azuredr_replicated_vm.web1.rpo_seconds} s, health ${data.azuredr_replicated_vm.web1.replication_health}."
  }
}
