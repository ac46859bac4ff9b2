# Ransomware struck at 08:30 UTC: the newest app-consistent point before it.
data "azuredr_recovery_points" "before_infection" {
  replicated_vm_id = azuredr_replicated_vm.web["vm-cms-web-1"].id
  type             = "AppConsistent"
  before           = "2026-11-25T08:30:00Z"
}

output "clean_point" {
  value = data.azuredr_recovery_points.before_infection.latest
}
