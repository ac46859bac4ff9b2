# The Milestone parallel drill, nightly: the web tier fails over into the
# isolated test network at the newest recovery point, the CMS is checked
# from inside the DR site (through VM Run Command on each test VM: the
# runner needs no route to the test network, no test VM gets a public IP),
# and the measured RTO and RPO are held to the objectives. Before the
# checks the isolation proof tries production's private addresses, and the
# internet, from a test VM: any answer fails the drill. The file canary
# writes a marker on each primary VM's disk and reads it back on the test
# VMs: the data loss is measured, not assumed. Test VMs are always cleaned
# up, also when a check fails.
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

  isolation_proof = {
    internet_address = "www.microsoft.com:443"
  }

  canary = {
    file = {} # /var/lib/azuredr/canary on Linux, C:\ProgramData\azuredr\canary.txt on Windows
    wait = "10m"
  }

  # Run again every night.
  triggers = { night = formatdate("YYYY-MM-DD", plantimestamp()) }

  timeouts {
    create = "90m"
  }
}

# The whole CMS through its recovery plan: group 1 the database, group 2
# both web servers. Each check is scoped to where it can pass: the SQL port
# on the database's test VM, the storefront on each web server, the editors'
# back office on the one server that runs it, and the search backend (shared
# by the web tier) once, through group 2's first test VM. Drills run
# unattended: a `required` manual step of the plan fails the drill.
resource "azuredr_test_failover" "cms" {
  name             = "milestone-cms"
  network_id       = azuredr_network.cms.id
  recovery_plan_id = azuredr_recovery_plan.cms.id
  rto              = "1h"
  rpo              = "15m"

  # Checks still failing 5 minutes (drill time) after the objective was
  # missed fail the drill with their last attempt's error, and cleanup
  # starts, rather than being retried until the create timeout.
  check_grace = "5m"

  check = [
    {
      name    = "sql-port"
      type    = "tcp"
      address = "{address}:1433"
      group   = 1
    },
    {
      name       = "storefront"
      type       = "http"
      url        = "https://{address}/"
      body_regex = "Milestone CMS"
      group      = 2
    },
    {
      name     = "editor-back-office"
      type     = "http"
      url      = "https://{address}/editor/login"
      vm_names = ["vm-cms-web-1"]
    },
    {
      name       = "search"
      type       = "http"
      url        = "https://{address}/search?q=drill"
      body_regex = "results"
      group      = 2
      once       = true
    },
  ]

  timeouts {
    create = "2h"
  }
}

# Test VMs without the tools the checks use (or without the VM agent):
# the drill makes a small Linux probe VM in the test network's web subnet,
# runs the checks on it, and deletes it at cleanup (probe_vm_id names one
# you keep instead). The isolation proof still runs on the test VMs. One
# check runs from the runner, which has a route to the test network (a
# self-hosted agent peered with it during drills): the drill then gives
# each test VM a public IP for the drill's duration.
resource "azuredr_test_failover" "appliance" {
  name              = "milestone-appliance"
  network_id        = azuredr_network.cms.id
  replicated_vm_ids = [azuredr_replicated_vm.web["vm-cms-web-2"].id]
  probe_vm          = { subnet_name = "web" }

  check = [
    {
      name    = "appliance-port"
      type    = "tcp"
      address = "{private_ip}:8443"
    },
    {
      name = "admin-page-from-the-runner"
      type = "http"
      url  = "http://{address}:8080/admin"
      from = "runner"
    },
  ]
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
