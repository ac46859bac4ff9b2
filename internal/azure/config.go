// Package azure is the provider's one client layer: it resolves settings into
// a credential and a cloud configuration, builds the Azure SDK clients, and
// owns the one retry/poll setup and the one ARM error mapper. It is the only
// place where talking to the emulator differs from talking to Azure (the
// endpoint and the credential). It knows nothing of Terraform, so the drill
// engine and the test harness use it too.
package azure

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
)

// Config holds resolved provider settings (configuration first, then the
// ARM_* environment variables). Field comments name the provider attribute.
type Config struct {
	SubscriptionID            string // subscription_id
	TenantID                  string // tenant_id
	ClientID                  string // client_id
	ClientSecret              string // client_secret
	ClientCertificatePath     string // client_certificate_path
	ClientCertificatePassword string // client_certificate_password
	UseCLI                    bool   // use_cli
	UseOIDC                   bool   // use_oidc
	OIDCToken                 string // oidc_token
	OIDCTokenFilePath         string // oidc_token_file_path
	OIDCRequestURL            string // oidc_request_url
	OIDCRequestToken          string // oidc_request_token
	UseMSI                    bool   // use_msi
	Environment               string // environment: public, usgovernment or china
	ResourceManagerEndpoint   string // resource_manager_endpoint
	// UserAgent is added to every request's User-Agent (at most 24 characters).
	UserAgent string
}

// SettingError is a problem with one provider setting. Setting is the
// attribute name as written in the provider block.
type SettingError struct {
	Setting string
	Summary string
	Detail  string
}

func (e SettingError) Error() string { return e.Setting + ": " + e.Summary + ": " + e.Detail }

var (
	guidPattern   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	tenantPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}$`) // a verified domain
)

// IsGUID reports whether s is a GUID such as a subscription or client id.
func IsGUID(s string) bool { return guidPattern.MatchString(s) }

// Validate reports every contradictory or incomplete setting at once, so a
// pipeline author fixes them in one round.
func (c Config) Validate() []SettingError {
	var errs []SettingError
	add := func(setting, summary, detail string, args ...any) {
		errs = append(errs, SettingError{Setting: setting, Summary: summary, Detail: fmt.Sprintf(detail, args...)})
	}

	switch {
	case c.SubscriptionID == "":
		add("subscription_id", "Missing subscription_id",
			"Set subscription_id in the provider block or ARM_SUBSCRIPTION_ID in the environment.")
	case !IsGUID(c.SubscriptionID):
		add("subscription_id", "Invalid subscription_id",
			"%q is not a subscription id: expected a GUID such as 00000000-0000-0000-0000-000000000000.", c.SubscriptionID)
	}
	if c.TenantID != "" && !IsGUID(c.TenantID) && !tenantPattern.MatchString(c.TenantID) {
		add("tenant_id", "Invalid tenant_id",
			"%q is neither a GUID nor a domain name such as contoso.onmicrosoft.com.", c.TenantID)
	}
	if c.ClientID != "" && !IsGUID(c.ClientID) {
		add("client_id", "Invalid client_id", "%q is not a GUID: use the application (client) id of the service principal.", c.ClientID)
	}
	if _, ok := clouds[c.environment()]; !ok {
		add("environment", "Unknown environment",
			"%q is not an Azure environment: use one of public, usgovernment or china.", c.Environment)
	}
	errs = append(errs, c.validateEndpoint()...)
	errs = append(errs, c.validateCredentials()...)
	return errs
}

func (c Config) environment() string {
	if c.Environment == "" {
		return "public"
	}
	return strings.ToLower(c.Environment)
}

func (c Config) validateEndpoint() []SettingError {
	if c.ResourceManagerEndpoint == "" {
		return nil
	}
	u, err := url.Parse(c.ResourceManagerEndpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return []SettingError{{Setting: "resource_manager_endpoint", Summary: "Invalid resource_manager_endpoint",
			Detail: fmt.Sprintf("%q is not an absolute http(s) URL such as https://management.azure.com/ or http://127.0.0.1:8080 (the emulator).", c.ResourceManagerEndpoint)}}
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		return []SettingError{{Setting: "resource_manager_endpoint", Summary: "Plain HTTP endpoint is not loopback",
			Detail: fmt.Sprintf("%q uses plain http on a non-loopback host, which would send bearer tokens unencrypted. Use https, or a 127.0.0.1/localhost address for the emulator.", c.ResourceManagerEndpoint)}}
	}
	return nil
}

// explicitCredentials lists the credential settings that choose a credential
// (use_cli is the fallback and never conflicts).
func (c Config) explicitCredentials() []string {
	var set []string
	if c.ClientSecret != "" {
		set = append(set, "client_secret")
	}
	if c.ClientCertificatePath != "" {
		set = append(set, "client_certificate_path")
	}
	if c.UseOIDC {
		set = append(set, "use_oidc")
	}
	if c.UseMSI {
		set = append(set, "use_msi")
	}
	return set
}

func (c Config) validateCredentials() []SettingError {
	var errs []SettingError
	add := func(setting, summary, detail string, args ...any) {
		errs = append(errs, SettingError{Setting: setting, Summary: summary, Detail: fmt.Sprintf(detail, args...)})
	}
	if set := c.explicitCredentials(); len(set) > 1 {
		add(set[1], "Conflicting credential settings",
			"%s are set together; choose one way to authenticate (unset the others, including their ARM_* variables).", strings.Join(set, " and "))
	}
	needsServicePrincipal := func(setting string) {
		if c.ClientID == "" {
			add("client_id", "Missing client_id", "%s needs client_id (or ARM_CLIENT_ID): the service principal's application id.", setting)
		}
		if c.TenantID == "" {
			add("tenant_id", "Missing tenant_id", "%s needs tenant_id (or ARM_TENANT_ID).", setting)
		}
	}
	if c.ClientSecret != "" {
		needsServicePrincipal("client_secret")
	}
	if c.ClientCertificatePath != "" {
		needsServicePrincipal("client_certificate_path")
		if _, err := os.Stat(c.ClientCertificatePath); err != nil {
			add("client_certificate_path", "Unreadable client_certificate_path", "%v. Point it at a PKCS#12 (.pfx) or PEM file.", err)
		}
	}
	if c.ClientCertificatePassword != "" && c.ClientCertificatePath == "" {
		add("client_certificate_password", "client_certificate_password without a certificate",
			"Set client_certificate_path too, or remove client_certificate_password.")
	}
	if c.UseOIDC {
		needsServicePrincipal("use_oidc")
		switch {
		case c.OIDCToken != "":
		case c.OIDCTokenFilePath != "":
			if _, err := os.Stat(c.OIDCTokenFilePath); err != nil {
				add("oidc_token_file_path", "Unreadable oidc_token_file_path", "%v.", err)
			}
		case c.OIDCRequestURL != "" && c.OIDCRequestToken != "":
		default:
			add("use_oidc", "No OIDC token source",
				"use_oidc needs a token: oidc_token (ARM_OIDC_TOKEN), oidc_token_file_path (ARM_OIDC_TOKEN_FILE_PATH), or GitHub Actions' ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN (grant the workflow `id-token: write`).")
		}
	}
	return errs
}
