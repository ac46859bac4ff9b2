// Package emulatortest runs the ARM emulator inside Go tests and points Azure
// SDK clients at it.
package emulatortest

import (
	"context"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
)

// Start runs an emulator for the duration of the test: in a temporary data
// directory unless opts.DataDir is set, on a free loopback port unless
// opts.Listen is set. It is closed by t.Cleanup.
func Start(t testing.TB, opts emulator.Options) *emulator.Server {
	t.Helper()
	if opts.DataDir == "" {
		opts.DataDir = t.TempDir()
	}
	if opts.Listen == "" {
		opts.Listen = "127.0.0.1:0"
	}
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("closing the emulator: %v", err)
		}
	})
	return srv
}

// Credential is a TokenCredential that hands out a fixed token; the
// emulator accepts any bearer token.
type Credential struct{}

// GetToken implements azcore.TokenCredential.
func (Credential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "emulator", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// ClientOptions points an ARM SDK client at the emulator listening at url:
// the cloud configuration with its endpoint, plain HTTP allowed for the
// bearer token, and no resource provider registration.
func ClientOptions(url string) *arm.ClientOptions {
	return &arm.ClientOptions{
		ClientOptions: policy.ClientOptions{
			Cloud: cloud.Configuration{
				Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
					cloud.ResourceManager: {Endpoint: url, Audience: "https://management.core.windows.net/"},
				},
			},
			InsecureAllowCredentialWithHTTP: true,
		},
		DisableRPRegistration: true,
	}
}
