# A tier's VMs replicated to the recovery region, one multi-VM consistency
# group for the whole shop.
terraform {
  required_providers {
    azuredr = { source = "azuredr/azuredr" }
  }
}

variable "site_id" { type = string }
variable "replication_policy_id" { type = string }
variable "network_id" { type = string }
variable "subnet_name" { type = string }
variable "vm_ids" { type = list(string) }

resource "azuredr_replicated_vm" "vm" {
  for_each = toset(var.vm_ids)

  site_id               = var.site_id
  replication_policy_id = var.replication_policy_id
  network_id            = var.network_id
  source_vm_id          = each.key
  recovery_subnet_name  = var.subnet_name
  multi_vm_group_name   = "shop"
}

output "replicated_vm_ids" {
  description = "Replicated VM ids by source VM name."
  value       = { for id, vm in azuredr_replicated_vm.vm : element(split("/", id), 8) => vm.id }
}
