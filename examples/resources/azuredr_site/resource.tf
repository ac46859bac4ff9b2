# The CMS web tier runs in Central US and recovers into East US.
resource "azuredr_site" "cms" {
  name              = "milestone-cms"
  primary_location  = "centralus"
  recovery_location = "eastus"

  tags = {
    application = "cms"
    owner       = "platform-team"
  }

  timeouts {
    delete = "2h" # deleting the recovery group removes every replica in it
  }
}

output "recovery_resource_group_id" {
  value = azuredr_site.cms.recovery_resource_group_id
}

output "vault_id" {
  value = azuredr_site.cms.vault_id
}
