package azure

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// credential picks the one credential the settings describe, in azurerm's
// order: client certificate, client secret, OIDC, managed identity, then the
// Azure CLI. Against the emulator it is always a placeholder token: a real
// token must never travel to a loopback endpoint over plain HTTP. The string
// says which credential was chosen, for the provider log.
func (c Config) credential() (azcore.TokenCredential, string, error) {
	if c.IsEmulator() {
		return emulatorCredential{}, "emulator placeholder token (loopback endpoint)", nil
	}
	opts := azcore.ClientOptions{Cloud: c.cloudConfiguration()}
	switch {
	case c.ClientCertificatePath != "":
		data, err := os.ReadFile(c.ClientCertificatePath)
		if err != nil {
			return nil, "", fmt.Errorf("client_certificate_path: %w", err)
		}
		var password []byte
		if c.ClientCertificatePassword != "" {
			password = []byte(c.ClientCertificatePassword)
		}
		certs, key, err := azidentity.ParseCertificates(data, password)
		if err != nil {
			return nil, "", fmt.Errorf("client_certificate_path: %w", err)
		}
		cred, err := azidentity.NewClientCertificateCredential(c.TenantID, c.ClientID, certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: opts})
		return cred, "client certificate for client " + c.ClientID, err
	case c.ClientSecret != "":
		cred, err := azidentity.NewClientSecretCredential(c.TenantID, c.ClientID, c.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: opts})
		return cred, "client secret for client " + c.ClientID, err
	case c.UseOIDC:
		cred, err := azidentity.NewClientAssertionCredential(c.TenantID, c.ClientID, c.oidcAssertion,
			&azidentity.ClientAssertionCredentialOptions{ClientOptions: opts})
		return cred, "OIDC federated token for client " + c.ClientID, err
	case c.UseMSI:
		mo := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: opts}
		if c.ClientID != "" {
			mo.ID = azidentity.ClientID(c.ClientID)
		}
		cred, err := azidentity.NewManagedIdentityCredential(mo)
		return cred, "managed identity", err
	case c.UseCLI:
		cred, err := azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: c.TenantID})
		return cred, "Azure CLI", err
	}
	return nil, "", fmt.Errorf("no credential configured: set client_secret, client_certificate_path, use_oidc or use_msi, or leave use_cli enabled and run `az login`")
}

// oidcAssertion returns the federated token: a literal, a file (re-read on
// every call because workload identity rotates it), or one requested from
// GitHub Actions' token endpoint.
func (c Config) oidcAssertion(ctx context.Context) (string, error) {
	switch {
	case c.OIDCToken != "":
		return c.OIDCToken, nil
	case c.OIDCTokenFilePath != "":
		b, err := os.ReadFile(c.OIDCTokenFilePath)
		if err != nil {
			return "", fmt.Errorf("oidc_token_file_path: %w", err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	u, err := url.Parse(c.OIDCRequestURL)
	if err != nil {
		return "", fmt.Errorf("oidc_request_url: %w", err)
	}
	q := u.Query()
	q.Set("audience", "api://AzureADTokenExchange")
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+c.OIDCRequestToken)
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("requesting the GitHub Actions OIDC token: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("requesting the GitHub Actions OIDC token: HTTP %d (does the workflow have `permissions: id-token: write`?)", resp.StatusCode)
	}
	var out struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Value == "" {
		return "", fmt.Errorf("the GitHub Actions OIDC token response has no value")
	}
	return out.Value, nil
}

// emulatorCredential is the placeholder token the emulator accepts.
type emulatorCredential struct{}

func (emulatorCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "azuredr-emulator", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// Warnings lists settings that are valid but will not be used.
func (c Config) Warnings() []SettingError {
	if !c.IsEmulator() {
		return nil
	}
	var out []SettingError
	for _, s := range c.explicitCredentials() {
		out = append(out, SettingError{Setting: s, Summary: "Credential not used with the emulator",
			Detail: fmt.Sprintf("resource_manager_endpoint %s is a loopback address (the emulator), so %s is ignored and a placeholder token is sent instead.", c.ResourceManagerEndpoint, s)})
	}
	return out
}
