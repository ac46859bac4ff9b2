# A site and its replication policy as a user's module writes them: every
# validated attribute of the policy is a module input. (Its own site: a
# site has one policy per region pair.)

terraform {
  required_providers {
    azuredr = { source = "registry.terraform.io/hashicorp/azuredr" }
  }
}

variable "name" { type = string }
variable "retention" { type = string }
variable "app_frequency" { type = string }

resource "azuredr_site" "this" {
  name              = var.name
  primary_location  = "centralus"
  recovery_location = "eastus"
}

resource "azuredr_replication_policy" "this" {
  name                              = "${var.name}-policy"
  site_id                           = azuredr_site.this.id
  recovery_point_retention          = var.retention
  app_consistent_snapshot_frequency = var.app_frequency
}

# What the caller checks (state checks see the root module's outputs, not a
# child module's resources).
output "retention" { value = azuredr_replication_policy.this.recovery_point_retention }
output "app_frequency" { value = azuredr_replication_policy.this.app_consistent_snapshot_frequency }
