# The CMS web tier runs in Central US and recovers into East US.
resource "azuredr_site" "cms" {
  name              = "milestone-cms"
  primary_location  = "centralus"
  recovery_location = "eastus"

  tags = {
    application = "cms"
    owner       = "platform-team"
  }

  # The pre-appointed approvers: a real failover (not a drill) runs only with
  # an approval one of them signed. Each makes a key with
  #   go run ./cmd/azuredr-approve keygen -name NAME -out NAME.key
  # and hands over the public key it prints.
  approver {
    name       = "cio@contoso.com"
    public_key = "ed25519:EkGTJCtPQLRq7Gz4EqgLdIqo26jO9PAvMn14AkRnr1c="
  }
  approver {
    name       = "head-of-it-ops"
    public_key = "ed25519:0Ok1FgkqjpOvFm4OwOQjDjTxzMis7oewrNf587pWmrc="
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
