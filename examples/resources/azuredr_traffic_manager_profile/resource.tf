# Users go to production in Central US while its probes pass, and to the DR
# site in East US when they fail: failover takes about
# (tolerated_failures + 1) * interval_in_seconds plus the TTL.
resource "azuredr_traffic_manager_profile" "cms" {
  site_id       = azuredr_site.cms.id
  name          = "tm-cms"
  relative_name = "milestone-cms"
  ttl           = 30

  monitor {
    protocol            = "HTTPS"
    port                = 443
    path                = "/healthz"
    interval_in_seconds = 10
    timeout_in_seconds  = 5
    tolerated_failures  = 2
    custom_headers      = { Host = "cms.example.com" }
  }

  endpoint {
    name               = "cms-centralus"
    type               = "azure"
    target_resource_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-cms-prod/providers/Microsoft.Network/publicIPAddresses/pip-cms-web"
    priority           = 1
    role               = "primary"
  }

  endpoint {
    name     = "cms-eastus"
    type     = "external"
    target   = "cms-dr.example.com"
    location = "eastus"
    priority = 2
    role     = "recovery"
  }
}

output "fqdn" {
  value = azuredr_traffic_manager_profile.cms.fqdn
}
