package sweep

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// ConfigFromEnv reads the provider's ARM_* environment variables (azurerm's
// names) into a client configuration, for the programs that talk to Azure
// without a provider block: azuredr-sweep, the acceptance tests' own
// client against Azure and their sweepers. userAgent names the program.
func ConfigFromEnv(env func(string) string, userAgent string) (azure.Config, error) {
	flagVar := func(key string, def bool) (bool, error) {
		s := strings.TrimSpace(env(key))
		if s == "" {
			return def, nil
		}
		b, err := strconv.ParseBool(s)
		if err != nil {
			return false, fmt.Errorf("%s=%q is not a boolean: use true or false", key, s)
		}
		return b, nil
	}
	c := azure.Config{
		SubscriptionID:            env("ARM_SUBSCRIPTION_ID"),
		TenantID:                  env("ARM_TENANT_ID"),
		ClientID:                  env("ARM_CLIENT_ID"),
		ClientSecret:              env("ARM_CLIENT_SECRET"),
		ClientCertificatePath:     env("ARM_CLIENT_CERTIFICATE_PATH"),
		ClientCertificatePassword: env("ARM_CLIENT_CERTIFICATE_PASSWORD"),
		OIDCToken:                 env("ARM_OIDC_TOKEN"),
		OIDCTokenFilePath:         env("ARM_OIDC_TOKEN_FILE_PATH"),
		OIDCRequestURL:            firstOf(env, "ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL"),
		OIDCRequestToken:          firstOf(env, "ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"),
		Environment:               env("ARM_ENVIRONMENT"),
		ResourceManagerEndpoint:   env("ARM_RESOURCE_MANAGER_ENDPOINT"),
		UserAgent:                 userAgent,
	}
	var err error
	if c.UseCLI, err = flagVar("ARM_USE_CLI", c.ClientSecret == "" && c.ClientCertificatePath == ""); err != nil {
		return c, err
	}
	if c.UseOIDC, err = flagVar("ARM_USE_OIDC", false); err != nil {
		return c, err
	}
	if c.UseMSI, err = flagVar("ARM_USE_MSI", false); err != nil {
		return c, err
	}
	if c.UseOIDC || c.UseMSI {
		c.UseCLI = false
	}
	if errs := c.Validate(); len(errs) > 0 {
		return c, errs[0]
	}
	return c, nil
}

// firstOf is the first of the variables that is set.
func firstOf(env func(string) string, keys ...string) string {
	for _, k := range keys {
		if v := env(k); v != "" {
			return v
		}
	}
	return ""
}
