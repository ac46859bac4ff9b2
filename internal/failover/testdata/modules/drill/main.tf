# A drill as a user's module writes it: every validated attribute of
# azuredr_test_failover (the checks, the objectives, the grace, the probe VM) is a module
# input.

terraform {
  required_providers {
    azuredr = { source = "registry.terraform.io/hashicorp/azuredr" }
  }
}

variable "name" { type = string }
variable "network_id" { type = string }
variable "replicated_vm_ids" { type = set(string) }
variable "checks" {
  type = list(object({
    name          = string
    type          = string
    url           = optional(string)
    body_regex    = optional(string)
    expect_status = optional(number)
    address       = optional(string)
    group         = optional(number)
    once          = optional(bool)
  }))
}
variable "rto" { type = string }
variable "rpo" { type = string }
variable "check_grace" { type = string }
variable "probe_vm" {
  type    = object({ subnet_name = optional(string), size = optional(string) })
  default = null
}

resource "azuredr_test_failover" "this" {
  name              = var.name
  network_id        = var.network_id
  replicated_vm_ids = var.replicated_vm_ids
  check             = var.checks
  rto               = var.rto
  rpo               = var.rpo
  check_grace       = var.check_grace
  probe_vm          = var.probe_vm
}

# What the caller checks (state checks see the root module's outputs, not a
# child module's resources).
output "passed" { value = azuredr_test_failover.this.passed }
output "breaches" { value = azuredr_test_failover.this.breaches }
output "test_vm_name" { value = azuredr_test_failover.this.items[0].test_vm_name }
