# A tier's DR as a user's module writes it: its replicated VM and its
# recovery plan, every validated attribute a module input (the disk
# overrides and the post actions dynamic over inputs). The policy is the
# caller's: a site has one per region pair (see ../policy).

terraform {
  required_providers {
    azuredr = { source = "registry.terraform.io/hashicorp/azuredr" }
  }
}

variable "name" { type = string }
variable "site_id" { type = string }
variable "network_id" { type = string }
variable "source_vm_id" { type = string }
variable "recovery_subnet" { type = string }
variable "replication_policy_id" { type = string }
variable "disks" {
  type = list(object({ disk_id = string, target_disk_type = string, replica_disk_type = string }))
}
variable "test_failover_nic" { type = object({ subnet_name = string, static_ip = string }) }
variable "actions" { type = map(list(string)) }
variable "action_timeout" { type = string }

resource "azuredr_replicated_vm" "this" {
  site_id               = var.site_id
  replication_policy_id = var.replication_policy_id
  network_id            = var.network_id
  source_vm_id          = var.source_vm_id
  recovery_subnet_name  = var.recovery_subnet
  disk                  = var.disks
  test_failover_nic     = var.test_failover_nic
}

resource "azuredr_recovery_plan" "this" {
  name    = "${var.name}-plan"
  site_id = var.site_id
  group {
    replicated_vm_ids = [azuredr_replicated_vm.this.id]
    dynamic "post_action" {
      for_each = var.actions
      content {
        name    = post_action.key
        type    = "script"
        command = post_action.value
        timeout = var.action_timeout
      }
    }
  }
}

# What the caller checks (state checks see the root module's outputs, not a
# child module's resources).
output "static_ip" { value = azuredr_replicated_vm.this.test_failover_nic.static_ip }
output "target_disk_type" { value = azuredr_replicated_vm.this.disk[0].target_disk_type }
output "action_timeout" { value = azuredr_recovery_plan.this.group[0].post_action[0].timeout }
