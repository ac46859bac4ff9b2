package provider_test

import (
	"sort"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// Bad provider settings fail at configure time with a diagnostic naming the
// setting, before any resource is touched.
func TestAccBadInput_Provider(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.BadInputReason)
	endpoint := acctest.Emulator(t).URL()
	cases := map[string]struct {
		provider string
		want     string
	}{
		"secret without client id": {`subscription_id = "` + acctest.SubscriptionID + `"
  tenant_id = "72f988bf-86f1-41af-91ab-2d7cd011db47"
  client_secret = "s"`, `(?s)Missing client_id.*client_secret needs client_id`},
		"endpoint not a url": {`subscription_id = "` + acctest.SubscriptionID + `"
  resource_manager_endpoint = "127.0.0.1 port 8080"`, `(?s)Invalid resource_manager_endpoint.*resource_manager_endpoint`},
		"plain http elsewhere": {`subscription_id = "` + acctest.SubscriptionID + `"
  resource_manager_endpoint = "http://arm.example.com"`, `(?s)Plain HTTP endpoint is not loopback.*resource_manager_endpoint`},
		"subscription not a guid": {`subscription_id = "production"
  resource_manager_endpoint = "` + endpoint + `"`, `(?s)Invalid subscription_id.*subscription_id`},
		"unknown environment": {`subscription_id = "` + acctest.SubscriptionID + `"
  environment = "germany"`, `(?s)environment.*value must be one of`},
		"two credentials": {`subscription_id = "` + acctest.SubscriptionID + `"
  tenant_id = "72f988bf-86f1-41af-91ab-2d7cd011db47"
  client_id = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
  client_secret = "s"
  use_msi = true`, `(?s)Conflicting credential settings.*use_msi`},
		"oidc without a token": {`subscription_id = "` + acctest.SubscriptionID + `"
  tenant_id = "72f988bf-86f1-41af-91ab-2d7cd011db47"
  client_id = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
  use_oidc = true`, `(?s)No OIDC token source.*use_oidc`},
	}
	attrs := map[string]string{
		"secret without client id": `client_id`,
		"endpoint not a url":       `resource_manager_endpoint`,
		"plain http elsewhere":     `resource_manager_endpoint`,
		"subscription not a guid":  `subscription_id`,
		"unknown environment":      `environment`,
		"two credentials":          `use_msi`,
		"oidc without a token":     `use_oidc`,
	}
	// Settings from the developer's environment must not mask the cases.
	for _, k := range []string{"ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ARM_TENANT_ID", "ARM_USE_OIDC", "ARM_USE_MSI", "ARM_OIDC_TOKEN",
		"ARM_OIDC_TOKEN_FILE_PATH", "ARM_OIDC_REQUEST_URL", "ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
		"ARM_ENVIRONMENT", "ARM_RESOURCE_MANAGER_ENDPOINT", "ARM_CLIENT_CERTIFICATE_PATH", "ARM_CLIENT_CERTIFICATE_PASSWORD"} {
		t.Setenv(k, "")
	}
	suite := acctest.BadInputSuite{Creates: []string{"ResourceGroups_CreateOrUpdate", "Vaults_CreateOrUpdate"}}
	for name, tc := range cases {
		suite.Cases = append(suite.Cases, acctest.BadInput{Name: name, Attribute: attrs[name], Want: tc.want, Config: `
provider "azuredr" {
  ` + tc.provider + `
}
resource "azuredr_site" "test" {
  name              = "cfg"
  primary_location  = "centralus"
  recovery_location = "eastus2"
}
`})
	}
	sort.Slice(suite.Cases, func(i, j int) bool { return suite.Cases[i].Name < suite.Cases[j].Name })
	suite.Run(t)
}
