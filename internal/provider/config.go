package provider

import (
	"fmt"
	"os"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

type providerModel struct {
	SubscriptionID            types.String `tfsdk:"subscription_id"`
	TenantID                  types.String `tfsdk:"tenant_id"`
	ClientID                  types.String `tfsdk:"client_id"`
	ClientSecret              types.String `tfsdk:"client_secret"`
	ClientCertificatePath     types.String `tfsdk:"client_certificate_path"`
	ClientCertificatePassword types.String `tfsdk:"client_certificate_password"`
	UseCLI                    types.Bool   `tfsdk:"use_cli"`
	UseOIDC                   types.Bool   `tfsdk:"use_oidc"`
	OIDCToken                 types.String `tfsdk:"oidc_token"`
	OIDCTokenFilePath         types.String `tfsdk:"oidc_token_file_path"`
	OIDCRequestURL            types.String `tfsdk:"oidc_request_url"`
	OIDCRequestToken          types.String `tfsdk:"oidc_request_token"`
	UseMSI                    types.Bool   `tfsdk:"use_msi"`
	Environment               types.String `tfsdk:"environment"`
	ResourceManagerEndpoint   types.String `tfsdk:"resource_manager_endpoint"`
}

// envLookup is the process environment; tests pass their own.
func envLookup(key string) string { return os.Getenv(key) }

// resolve merges the provider block with the ARM_* environment variables
// (the block wins), as azurerm does, so pipelines reuse their settings.
// Unknown values (computed by other resources) and unparsable booleans are
// reported against the setting.
func (m providerModel) resolve(env func(string) string) (azure.Config, []azure.SettingError) {
	var errs []azure.SettingError
	str := func(setting string, v types.String, keys ...string) string {
		if v.IsUnknown() {
			errs = append(errs, azure.SettingError{Setting: setting, Summary: "Unknown " + setting,
				Detail: setting + " must be known when the provider is configured; do not derive it from a resource created in the same apply."})
			return ""
		}
		if !v.IsNull() {
			return v.ValueString()
		}
		for _, k := range keys {
			if s := env(k); s != "" {
				return s
			}
		}
		return ""
	}
	flag := func(setting string, v types.Bool, key string, def bool) bool {
		if v.IsUnknown() {
			errs = append(errs, azure.SettingError{Setting: setting, Summary: "Unknown " + setting, Detail: setting + " must be known when the provider is configured."})
			return def
		}
		if !v.IsNull() {
			return v.ValueBool()
		}
		s := env(key)
		if s == "" {
			return def
		}
		b, err := strconv.ParseBool(s)
		if err != nil {
			errs = append(errs, azure.SettingError{Setting: setting, Summary: "Invalid " + key,
				Detail: fmt.Sprintf("environment variable %s=%q is not a boolean: use true or false.", key, s)})
			return def
		}
		return b
	}
	c := azure.Config{
		SubscriptionID:            str("subscription_id", m.SubscriptionID, "ARM_SUBSCRIPTION_ID"),
		TenantID:                  str("tenant_id", m.TenantID, "ARM_TENANT_ID"),
		ClientID:                  str("client_id", m.ClientID, "ARM_CLIENT_ID"),
		ClientSecret:              str("client_secret", m.ClientSecret, "ARM_CLIENT_SECRET"),
		ClientCertificatePath:     str("client_certificate_path", m.ClientCertificatePath, "ARM_CLIENT_CERTIFICATE_PATH"),
		ClientCertificatePassword: str("client_certificate_password", m.ClientCertificatePassword, "ARM_CLIENT_CERTIFICATE_PASSWORD"),
		UseCLI:                    flag("use_cli", m.UseCLI, "ARM_USE_CLI", true),
		UseOIDC:                   flag("use_oidc", m.UseOIDC, "ARM_USE_OIDC", false),
		OIDCToken:                 str("oidc_token", m.OIDCToken, "ARM_OIDC_TOKEN"),
		OIDCTokenFilePath:         str("oidc_token_file_path", m.OIDCTokenFilePath, "ARM_OIDC_TOKEN_FILE_PATH"),
		OIDCRequestURL:            str("oidc_request_url", m.OIDCRequestURL, "ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL"),
		OIDCRequestToken:          str("oidc_request_token", m.OIDCRequestToken, "ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"),
		UseMSI:                    flag("use_msi", m.UseMSI, "ARM_USE_MSI", false),
		Environment:               str("environment", m.Environment, "ARM_ENVIRONMENT"),
		ResourceManagerEndpoint:   str("resource_manager_endpoint", m.ResourceManagerEndpoint, "ARM_RESOURCE_MANAGER_ENDPOINT"),
	}
	return c, errs
}
