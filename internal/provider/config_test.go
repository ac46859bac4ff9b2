package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestResolveReadsARMEnvironment(t *testing.T) {
	m := providerModel{}
	cfg, errs := m.resolve(env(map[string]string{
		"ARM_SUBSCRIPTION_ID":            "6f1c7a52-3b9e-4d1a-9c3e-2a5b7d9e0f11",
		"ARM_TENANT_ID":                  "tenant",
		"ARM_CLIENT_ID":                  "client",
		"ARM_CLIENT_SECRET":              "secret",
		"ARM_USE_OIDC":                   "true",
		"ARM_USE_CLI":                    "false",
		"ARM_ENVIRONMENT":                "china",
		"ARM_RESOURCE_MANAGER_ENDPOINT":  "http://127.0.0.1:1",
		"ACTIONS_ID_TOKEN_REQUEST_URL":   "https://gh/token",
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN": "ghtoken",
	}))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if cfg.SubscriptionID != "6f1c7a52-3b9e-4d1a-9c3e-2a5b7d9e0f11" || cfg.TenantID != "tenant" || cfg.ClientID != "client" ||
		cfg.ClientSecret != "secret" || !cfg.UseOIDC || cfg.UseCLI || cfg.Environment != "china" ||
		cfg.ResourceManagerEndpoint != "http://127.0.0.1:1" || cfg.OIDCRequestURL != "https://gh/token" || cfg.OIDCRequestToken != "ghtoken" {
		t.Fatalf("unexpected %+v", cfg)
	}
}

func TestResolveConfigurationWinsOverEnvironment(t *testing.T) {
	m := providerModel{SubscriptionID: types.StringValue("from-config"), UseCLI: types.BoolValue(true)}
	cfg, _ := m.resolve(env(map[string]string{"ARM_SUBSCRIPTION_ID": "from-env", "ARM_USE_CLI": "false",
		"ARM_OIDC_REQUEST_URL": "arm-url", "ACTIONS_ID_TOKEN_REQUEST_URL": "gh-url"}))
	if cfg.SubscriptionID != "from-config" || !cfg.UseCLI {
		t.Fatalf("configuration must win: %+v", cfg)
	}
	if cfg.OIDCRequestURL != "arm-url" {
		t.Fatalf("ARM_OIDC_REQUEST_URL must win over the GitHub variable: %q", cfg.OIDCRequestURL)
	}
	if def, _ := (providerModel{}).resolve(env(nil)); !def.UseCLI || def.UseMSI || def.UseOIDC {
		t.Fatalf("defaults: use_cli true, others false: %+v", def)
	}
}

func TestResolveReportsBadBooleansAndUnknowns(t *testing.T) {
	_, errs := providerModel{}.resolve(env(map[string]string{"ARM_USE_MSI": "yes please"}))
	if len(errs) != 1 || errs[0].Setting != "use_msi" || errs[0].Summary != "Invalid ARM_USE_MSI" {
		t.Fatalf("want one error on use_msi, got %v", errs)
	}
	_, errs = providerModel{SubscriptionID: types.StringUnknown()}.resolve(env(nil))
	if len(errs) != 1 || errs[0].Setting != "subscription_id" {
		t.Fatalf("want one error on subscription_id, got %v", errs)
	}
}
