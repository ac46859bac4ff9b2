# Replicate the CMS web servers from Central US to East US. Create waits for
# initial replication (TF_LOG=info shows its progress); every refresh reads
# health, RPO and the newest recovery point into state.
resource "azuredr_replicated_vm" "web" {
  for_each = toset(["vm-cms-web-1", "vm-cms-web-2"])

  site_id               = azuredr_site.cms.id
  replication_policy_id = azuredr_replication_policy.tier1.id
  network_id            = azuredr_network.cms.id
  source_vm_id          = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-cms-prod/providers/Microsoft.Compute/virtualMachines/${each.key}"
  recovery_subnet_name  = "web"
  target_vm_size        = "Standard_D2s_v3"
  multi_vm_group_name   = "cms-web" # both servers share recovery points

  # cache_storage_account_id unset: the provider creates the site's cache
  # storage account in Central US (the source region) and deletes it with
  # the site. Disks replicate with their source type unless overridden:
  disk = [{
    disk_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-cms-prod/providers/Microsoft.Compute/disks/${each.key}-osdisk"
    replica_disk_type = "Standard_LRS" # cheaper replica; the failed-over disk stays premium
  }]

  # The drill's test VM: a fixed address in the isolated network and a
  # public IP in East US, so a pipeline outside that network can check it.
  test_failover_nic = {
    subnet_name  = "web"
    public_ip_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-cms-drill/providers/Microsoft.Network/publicIPAddresses/pip-${each.key}-drill"
  }

  timeouts {
    create = "6h" # large disks take hours to copy the first time
  }
}

# A pipeline can fail on these.
output "web_replication" {
  value = {
    for name, vm in azuredr_replicated_vm.web : name => {
      health      = vm.replication_health
      rpo_seconds = vm.rpo_seconds
      latest      = vm.latest_recovery_point
      cache       = vm.cache_storage_account_id
      disks       = { for d in vm.disks : d.name => "${d.replica_disk_type} -> ${d.target_disk_type}" }
    }
  }
}
