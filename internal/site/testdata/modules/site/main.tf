# A DR site as a user's module writes it: every validated attribute of
# azuredr_site is a module input, the approvers a dynamic block over one.

terraform {
  required_providers {
    azuredr = { source = "registry.terraform.io/hashicorp/azuredr" }
  }
}

variable "name" { type = string }
variable "primary_location" { type = string }
variable "recovery_location" { type = string }
variable "approvers" { type = map(string) }

resource "azuredr_site" "this" {
  name              = var.name
  primary_location  = var.primary_location
  recovery_location = var.recovery_location

  dynamic "approver" {
    for_each = var.approvers
    content {
      name       = approver.key
      public_key = approver.value
    }
  }
}

# What the caller checks (state checks see the root module's outputs, not a
# child module's resources).
output "paired_location" { value = azuredr_site.this.paired_location }
output "recovery_location" { value = azuredr_site.this.recovery_location }
output "approver_names" { value = azuredr_site.this.approver[*].name }
