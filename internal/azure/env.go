package azure

import (
	"fmt"
	"strconv"
	"strings"
)

// ConfigFromEnv reads the provider's ARM_* environment variables (azurerm's
// names) into a client configuration, for the programs that talk to Azure
// without a provider block: azuredr-sweep, the acceptance tests' own
// client against Azure and their sweepers. userAgent names the program.
// (The provider reads the same variables as fallbacks of its block.)
func ConfigFromEnv(env func(string) string, userAgent string) (Config, error) {
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
	c := Config{
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

// ExplicitCredentialNeeds says what ExplicitCredentialProblem asks for.
const ExplicitCredentialNeeds = "needs ARM_SUBSCRIPTION_ID and credentials (ARM_CLIENT_ID+ARM_CLIENT_SECRET, ARM_USE_OIDC, ARM_USE_MSI or ARM_USE_CLI)"

// ExplicitCredentialProblem says what the ARM_* environment lacks to reach
// Azure with a credential it names: a subscription, and a secret,
// certificate, OIDC, managed identity or an explicit ARM_USE_CLI. Test
// runs against Azure (acceptance tests, the drill harness) never fall back
// to whatever `az login` happens to hold without being told to.
func ExplicitCredentialProblem(env func(string) string) error {
	var missing []string
	if env("ARM_SUBSCRIPTION_ID") == "" {
		missing = append(missing, "ARM_SUBSCRIPTION_ID is not set")
	}
	isTrue := func(key string) bool { b, _ := strconv.ParseBool(strings.TrimSpace(env(key))); return b }
	if env("ARM_CLIENT_SECRET") == "" && env("ARM_CLIENT_CERTIFICATE_PATH") == "" &&
		!isTrue("ARM_USE_OIDC") && !isTrue("ARM_USE_MSI") && !isTrue("ARM_USE_CLI") {
		missing = append(missing, "no credential is set")
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: %s", ExplicitCredentialNeeds, strings.Join(missing, ", "))
	}
	if endpoint := env("ARM_RESOURCE_MANAGER_ENDPOINT"); endpoint != "" && (Config{ResourceManagerEndpoint: endpoint}).IsEmulator() {
		return fmt.Errorf("ARM_RESOURCE_MANAGER_ENDPOINT=%s is a loopback emulator, not Azure: unset it", endpoint)
	}
	if _, err := ConfigFromEnv(env, "azuredr-check"); err != nil {
		return err
	}
	return nil
}
