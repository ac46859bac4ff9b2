terraform {
  required_version = ">= 1.5.0"
  required_providers {
    azuredr = {
      source  = "azuredr/azuredr"
      version = "~> 0.1"
    }
  }
}

# Against Azure: credentials come from the ARM_* environment variables, as for
# azurerm (a pipeline with OIDC sets ARM_USE_OIDC, ARM_CLIENT_ID, ARM_TENANT_ID
# and ARM_SUBSCRIPTION_ID).
provider "azuredr" {
  subscription_id = "00000000-0000-0000-0000-000000000000"
}

# Against the local emulator (`go run ./cmd/azuredr-emulator --listen 127.0.0.1:8080 --data ./.emulator`):
# no credentials needed, nothing leaves the machine.
provider "azuredr" {
  alias                     = "emulator"
  subscription_id           = "00000000-0000-0000-0000-000000000000"
  resource_manager_endpoint = "http://127.0.0.1:8080"
}
