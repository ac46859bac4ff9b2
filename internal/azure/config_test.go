package azure

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sub = "6f1c7a52-3b9e-4d1a-9c3e-2a5b7d9e0f11"
const tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
const client = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

func TestValidateNamesTheSetting(t *testing.T) {
	certFile := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(certFile, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		cfg     Config
		setting string // the setting the first error must name
		text    string // and a fragment of its detail
	}{
		{"no subscription", Config{}, "subscription_id", "ARM_SUBSCRIPTION_ID"},
		{"subscription not a guid", Config{SubscriptionID: "prod"}, "subscription_id", "GUID"},
		{"secret without client id", Config{SubscriptionID: sub, TenantID: tenant, ClientSecret: "s"}, "client_id", "client_secret needs client_id"},
		{"secret without tenant", Config{SubscriptionID: sub, ClientID: client, ClientSecret: "s"}, "tenant_id", "client_secret needs tenant_id"},
		{"endpoint not a url", Config{SubscriptionID: sub, ResourceManagerEndpoint: "localhost:8080"}, "resource_manager_endpoint", "not an absolute http(s) URL"},
		{"endpoint relative", Config{SubscriptionID: sub, ResourceManagerEndpoint: "/arm"}, "resource_manager_endpoint", "absolute"},
		{"plain http off loopback", Config{SubscriptionID: sub, ResourceManagerEndpoint: "http://arm.example.com"}, "resource_manager_endpoint", "plain http"},
		{"unknown environment", Config{SubscriptionID: sub, Environment: "mars"}, "environment", "public, usgovernment or china"},
		{"client id not a guid", Config{SubscriptionID: sub, ClientID: "app"}, "client_id", "GUID"},
		{"bad tenant", Config{SubscriptionID: sub, TenantID: "not a tenant"}, "tenant_id", "GUID nor a domain"},
		{"secret and certificate", Config{SubscriptionID: sub, TenantID: tenant, ClientID: client, ClientSecret: "s", ClientCertificatePath: certFile}, "client_certificate_path", "choose one"},
		{"secret and msi", Config{SubscriptionID: sub, TenantID: tenant, ClientID: client, ClientSecret: "s", UseMSI: true}, "use_msi", "choose one"},
		{"missing certificate file", Config{SubscriptionID: sub, TenantID: tenant, ClientID: client, ClientCertificatePath: "/nonexistent/c.pfx"}, "client_certificate_path", "no such file"},
		{"certificate password alone", Config{SubscriptionID: sub, ClientCertificatePassword: "p"}, "client_certificate_password", "client_certificate_path"},
		{"oidc without token", Config{SubscriptionID: sub, TenantID: tenant, ClientID: client, UseOIDC: true}, "use_oidc", "id-token: write"},
		{"oidc without client", Config{SubscriptionID: sub, TenantID: tenant, UseOIDC: true, OIDCToken: "t"}, "client_id", "use_oidc needs client_id"},
		{"oidc token file missing", Config{SubscriptionID: sub, TenantID: tenant, ClientID: client, UseOIDC: true, OIDCTokenFilePath: "/nonexistent/token"}, "oidc_token_file_path", "no such file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := tc.cfg.Validate()
			if len(errs) == 0 {
				t.Fatalf("no error for %+v", tc.cfg)
			}
			for _, e := range errs {
				if e.Setting == tc.setting && strings.Contains(e.Detail, tc.text) {
					return
				}
			}
			t.Fatalf("want an error on %s mentioning %q, got %v", tc.setting, tc.text, errs)
		})
	}
}

func TestValidateAcceptsGoodSettings(t *testing.T) {
	good := []Config{
		{SubscriptionID: sub, UseCLI: true},
		{SubscriptionID: sub, TenantID: tenant, ClientID: client, ClientSecret: "s"},
		{SubscriptionID: sub, TenantID: "contoso.onmicrosoft.com", ClientID: client, UseOIDC: true, OIDCRequestURL: "https://token.actions.example/x", OIDCRequestToken: "t"},
		{SubscriptionID: sub, UseMSI: true, UseCLI: true},
		{SubscriptionID: sub, ResourceManagerEndpoint: "http://127.0.0.1:8080"},
		{SubscriptionID: sub, ResourceManagerEndpoint: "http://[::1]:8080/"},
		{SubscriptionID: sub, ResourceManagerEndpoint: "https://management.azurestack.example", Environment: "usgovernment"},
	}
	for _, c := range good {
		if errs := c.Validate(); len(errs) > 0 {
			t.Errorf("%+v: unexpected %v", c, errs)
		}
	}
}

func TestEmulatorModeNeverUsesRealCredentials(t *testing.T) {
	c := Config{SubscriptionID: sub, TenantID: tenant, ClientID: client, ClientSecret: "s3cret", ResourceManagerEndpoint: "http://localhost:9"}
	cl, err := NewClient(c)
	if err != nil {
		t.Fatal(err)
	}
	if !cl.Emulator || !strings.Contains(cl.CredentialKind, "emulator") {
		t.Fatalf("loopback endpoint must use the emulator token, got %q", cl.CredentialKind)
	}
	if w := c.Warnings(); len(w) != 1 || w[0].Setting != "client_secret" {
		t.Fatalf("want one warning naming client_secret, got %v", w)
	}
	if cl.Endpoint != "http://localhost:9" {
		t.Fatalf("endpoint %q", cl.Endpoint)
	}
}

func TestCredentialChoice(t *testing.T) {
	cases := map[string]Config{
		"client secret":    {SubscriptionID: sub, TenantID: tenant, ClientID: client, ClientSecret: "s"},
		"OIDC":             {SubscriptionID: sub, TenantID: tenant, ClientID: client, UseOIDC: true, OIDCToken: "t"},
		"managed identity": {SubscriptionID: sub, UseMSI: true},
		"Azure CLI":        {SubscriptionID: sub, UseCLI: true},
	}
	for want, c := range cases {
		cl, err := NewClient(c)
		if err != nil {
			t.Fatalf("%s: %v", want, err)
		}
		if !strings.Contains(cl.CredentialKind, want) || cl.Emulator {
			t.Errorf("want %s, got %q (emulator=%v)", want, cl.CredentialKind, cl.Emulator)
		}
	}
	if _, err := NewClient(Config{SubscriptionID: sub}); err == nil || !strings.Contains(err.Error(), "no credential configured") {
		t.Errorf("want 'no credential configured', got %v", err)
	}
}
