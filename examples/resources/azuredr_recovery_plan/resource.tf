# The CMS fails over in two steps: the database first, then (once its cache
# is warm) both web servers together. A person confirms the payment
# provider allow-lists the DR addresses before the web tier starts; an
# unattended nightly drill fails on that step, since it is required.
resource "azuredr_recovery_plan" "cms" {
  name    = "cms"
  site_id = azuredr_site.cms.id

  group {
    replicated_vm_ids = [azuredr_replicated_vm.db.id]

    post_action {
      name    = "warm-cache"
      type    = "script"
      command = ["./scripts/warm-cache.sh", "--tier", "db"] # run by the drill, with AZUREDR_* in its environment
      timeout = "10m"
    }
  }

  group {
    replicated_vm_ids = [for vm in azuredr_replicated_vm.web : vm.id]

    pre_action {
      name        = "payment-allow-list"
      type        = "manual"
      description = "Confirm the payment provider allow-lists the DR addresses"
      required    = true
    }

    post_action {
      name    = "smoke-test"
      type    = "script"
      command = ["./scripts/smoke.sh", "https://cms.example.com/healthz"]
    }
  }
}
