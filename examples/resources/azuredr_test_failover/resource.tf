# The Milestone parallel drill, nightly: the web tier fails over into the
# isolated test network at the newest recovery point, the CMS is checked
# from the DR side, and the measured RTO and RPO are held to the objectives.
# Test VMs are always cleaned up, also when a check fails.
resource "azuredr_test_failover" "web" {
  name              = "milestone-web-tier"
  network_id        = azuredr_network.cms.id
  replicated_vm_ids = [for vm in azuredr_replicated_vm.web : vm.id]
  recovery_point    = "latest_processed"
  rto               = "45m"
  rpo               = "15m"
  on_breach         = "error"

  check = [{
    name       = "cms-home-page"
    type       = "http"
    url        = "https://{address}/"
    body_regex = "Milestone CMS"
  }]

  # Run again every night.
  triggers = { night = formatdate("YYYY-MM-DD", plantimestamp()) }

  timeouts {
    create = "90m"
  }
}

# Ransomware scenario: recover from the newest point before the infection.
resource "azuredr_test_failover" "ransomware" {
  name                  = "milestone-ransomware"
  network_id            = azuredr_network.cms.id
  replicated_vm_ids     = [azuredr_replicated_vm.web["vm-cms-web-1"].id]
  recovery_point        = "before"
  recovery_point_before = "2026-11-25T08:30:00Z"

  check = [{
    name    = "cms-port"
    type    = "tcp"
    address = "{address}:443"
  }]
}

output "drill" {
  value = {
    passed       = azuredr_test_failover.web.passed
    measured_rto = azuredr_test_failover.web.measured_rto
    measured_rpo = azuredr_test_failover.web.measured_rpo
    breaches     = azuredr_test_failover.web.breaches
  }
}
