# A Traffic Manager profile as a user's module writes it: the monitor timing
# and every endpoint (a dynamic block) are module inputs.

terraform {
  required_providers {
    azuredr = { source = "registry.terraform.io/hashicorp/azuredr" }
  }
}

variable "site_id" { type = string }
variable "relative_name" { type = string }
variable "interval" { type = number }
variable "timeout" { type = number }
variable "endpoints" {
  type = map(object({ target = string, location = optional(string), priority = number, role = string }))
}

resource "azuredr_traffic_manager_profile" "this" {
  site_id       = var.site_id
  name          = "tm-${var.relative_name}"
  relative_name = var.relative_name

  monitor {
    protocol            = "HTTP"
    port                = 80
    path                = "/healthz"
    interval_in_seconds = var.interval
    timeout_in_seconds  = var.timeout
  }

  dynamic "endpoint" {
    for_each = var.endpoints
    content {
      name     = endpoint.key
      type     = "external"
      target   = endpoint.value.target
      location = endpoint.value.location
      priority = endpoint.value.priority
      role     = endpoint.value.role
    }
  }
}

# What the caller checks (state checks see the root module's outputs, not a
# child module's resources).
output "roles" { value = azuredr_traffic_manager_profile.this.endpoint[*].role }
output "timeout" { value = azuredr_traffic_manager_profile.this.monitor.timeout_in_seconds }
