package acctest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/sweep"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

const (
	testSub    = "3c9d2e1f-5a4b-4c7d-8e9f-0a1b2c3d4e5f"
	testTenant = "7e1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b"
	testClient = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
)

// The target selection says what is missing on Azure before anything is
// created, and leaves the emulator path (no AZUREDR_TARGET) as it was.
func TestSelectTarget(t *testing.T) {
	for name, tc := range map[string]struct {
		env      map[string]string
		want     string // the target, when usable
		problems []string
	}{
		"default is the emulator":      {env: nil, want: TargetEmulator},
		"emulator named":               {env: map[string]string{"AZUREDR_TARGET": "emulator"}, want: TargetEmulator},
		"emulator ignores ARM_ values": {env: map[string]string{"ARM_USE_MSI": "maybe"}, want: TargetEmulator},
		"unknown target":               {env: map[string]string{"AZUREDR_TARGET": "aws"}, problems: []string{`AZUREDR_TARGET="aws"`, `"emulator"`, `"azure"`}},
		"azure with nothing": {env: map[string]string{"AZUREDR_TARGET": "azure"},
			problems: []string{azureNeeds, "ARM_SUBSCRIPTION_ID is not set", "no credential is set"}},
		"azure without credentials": {env: map[string]string{"AZUREDR_TARGET": "azure", "ARM_SUBSCRIPTION_ID": testSub},
			problems: []string{azureNeeds, "no credential is set"}},
		"azure with a credential, no subscription": {env: map[string]string{"AZUREDR_TARGET": "azure", "ARM_USE_CLI": "true"},
			problems: []string{"ARM_SUBSCRIPTION_ID is not set"}},
		"azure with use_cli false only": {env: map[string]string{"AZUREDR_TARGET": "azure", "ARM_SUBSCRIPTION_ID": testSub, "ARM_USE_CLI": "false"},
			problems: []string{"no credential is set"}},
		"azure secret without tenant": {env: map[string]string{"AZUREDR_TARGET": "azure", "ARM_SUBSCRIPTION_ID": testSub,
			"ARM_CLIENT_ID": testClient, "ARM_CLIENT_SECRET": "s3cret"}, problems: []string{"tenant_id"}},
		"azure secret without client id": {env: map[string]string{"AZUREDR_TARGET": "azure", "ARM_SUBSCRIPTION_ID": testSub,
			"ARM_TENANT_ID": testTenant, "ARM_CLIENT_SECRET": "s3cret"}, problems: []string{"client_id"}},
		"azure OIDC without a token": {env: map[string]string{"AZUREDR_TARGET": "azure", "ARM_SUBSCRIPTION_ID": testSub,
			"ARM_TENANT_ID": testTenant, "ARM_CLIENT_ID": testClient, "ARM_USE_OIDC": "true"}, problems: []string{"OIDC token"}},
		"azure subscription not a GUID": {env: map[string]string{"AZUREDR_TARGET": "azure", "ARM_SUBSCRIPTION_ID": "prod", "ARM_USE_CLI": "true"},
			problems: []string{"subscription_id", `"prod"`}},
		"azure at the emulator's endpoint": {env: map[string]string{"AZUREDR_TARGET": "azure", "ARM_SUBSCRIPTION_ID": testSub, "ARM_USE_CLI": "true",
			"ARM_RESOURCE_MANAGER_ENDPOINT": "http://127.0.0.1:8080"}, problems: []string{"loopback emulator", "unset"}},
		"azure client secret": {env: map[string]string{"AZUREDR_TARGET": "azure", "ARM_SUBSCRIPTION_ID": testSub,
			"ARM_TENANT_ID": testTenant, "ARM_CLIENT_ID": testClient, "ARM_CLIENT_SECRET": "s3cret"}, want: TargetAzure},
		"azure OIDC from GitHub Actions": {env: map[string]string{"AZUREDR_TARGET": "azure", "ARM_SUBSCRIPTION_ID": testSub,
			"ARM_TENANT_ID": testTenant, "ARM_CLIENT_ID": testClient, "ARM_USE_OIDC": "true",
			"ACTIONS_ID_TOKEN_REQUEST_URL": "https://token.actions.example/", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "t"}, want: TargetAzure},
		"azure managed identity": {env: map[string]string{"AZUREDR_TARGET": "azure", "ARM_SUBSCRIPTION_ID": testSub, "ARM_USE_MSI": "true"}, want: TargetAzure},
		"azure CLI":              {env: map[string]string{"AZUREDR_TARGET": "azure", "ARM_SUBSCRIPTION_ID": testSub, "ARM_USE_CLI": "1"}, want: TargetAzure},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := selectTarget(envOf(tc.env))
			if len(tc.problems) == 0 {
				if err != nil || got != tc.want {
					t.Fatalf("got %q, %v; want %q and no error", got, err, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("got %q and no error; want one mentioning %q", got, tc.problems)
			}
			for _, p := range tc.problems {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("error %q does not mention %q", err, p)
				}
			}
		})
	}
}

func TestSubscriptionAndProviderBlockPerTarget(t *testing.T) {
	if got := subscriptionFor(envOf(map[string]string{"ARM_SUBSCRIPTION_ID": testSub})); got != emulatorSubscription {
		t.Errorf("emulator: subscription %q, want the emulator's (ARM_SUBSCRIPTION_ID must not leak in)", got)
	}
	if got := subscriptionFor(envOf(map[string]string{"AZUREDR_TARGET": "azure", "ARM_SUBSCRIPTION_ID": testSub})); got != testSub {
		t.Errorf("azure: subscription %q, want ARM_SUBSCRIPTION_ID", got)
	}
	emu := providerBlock(TargetEmulator, "http://127.0.0.1:4567")
	if !strings.Contains(emu, `resource_manager_endpoint = "http://127.0.0.1:4567"`) || !strings.Contains(emu, emulatorSubscription) {
		t.Errorf("emulator provider block:\n%s", emu)
	}
	if az := providerBlock(TargetAzure, ""); strings.Contains(az, "resource_manager_endpoint") || strings.Contains(az, "subscription_id") ||
		!strings.Contains(az, `provider "azuredr" {}`) {
		t.Errorf("azure provider block (settings come from ARM_*):\n%s", az)
	}
	cfg, err := clientConfig(TargetAzure, envOf(map[string]string{"ARM_SUBSCRIPTION_ID": testSub, "ARM_USE_MSI": "true"}), "")
	if err != nil || cfg.SubscriptionID != testSub || !cfg.UseMSI || cfg.UseCLI || cfg.ResourceManagerEndpoint != "" {
		t.Errorf("azure client config: %+v, %v", cfg, err)
	}
	cfg, err = clientConfig(TargetEmulator, envOf(nil), "http://127.0.0.1:4567")
	if err != nil || cfg.SubscriptionID != emulatorSubscription || !cfg.IsEmulator() {
		t.Errorf("emulator client config: %+v, %v", cfg, err)
	}
}

// fakeT records how a check ended a test (Fatal or Skip) instead of ending it.
type fakeT struct {
	testing.TB
	failed, skipped string
}

func (f *fakeT) Helper()           {}
func (f *fakeT) Fatal(args ...any) { f.failed = fmt.Sprint(args...); panic(f) }
func (f *fakeT) Skip(args ...any)  { f.skipped = fmt.Sprint(args...); panic(f) }

func run(check func(testing.TB)) (f *fakeT) {
	f = &fakeT{}
	defer func() {
		if r := recover(); r != nil && r != f {
			panic(r)
		}
	}()
	check(f)
	return f
}

func clearARM(t *testing.T) {
	for _, k := range []string{"ARM_SUBSCRIPTION_ID", "ARM_TENANT_ID", "ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ARM_CLIENT_CERTIFICATE_PATH",
		"ARM_USE_OIDC", "ARM_USE_MSI", "ARM_USE_CLI", "ARM_RESOURCE_MANAGER_ENDPOINT", "ARM_ENVIRONMENT"} {
		t.Setenv(k, "")
	}
}

// The checks every acceptance test runs first: on Azure without what it
// needs the test fails saying what is missing; emulator-only tests skip on
// Azure with their reason; nothing runs without TF_ACC.
func TestPreCheckAndEmulatorOnly(t *testing.T) {
	clearARM(t)
	t.Setenv("TF_ACC", "")
	t.Setenv("AZUREDR_TARGET", "azure")
	if f := run(func(tb testing.TB) { target(tb) }); !strings.Contains(f.skipped, "TF_ACC=1") || f.failed != "" {
		t.Errorf("without TF_ACC: %+v, want a skip", f)
	}

	t.Setenv("TF_ACC", "1")
	if f := run(func(tb testing.TB) { target(tb) }); !strings.Contains(f.failed, azureNeeds) || !strings.Contains(f.failed, "ARM_SUBSCRIPTION_ID is not set") {
		t.Errorf("azure without settings: failed %q, skipped %q; want a failure saying what is missing", f.failed, f.skipped)
	}
	if f := run(func(tb testing.TB) { EmulatorOnly(tb, "faults") }); f.failed == "" {
		t.Errorf("an emulator-only test on an unusable Azure target must fail, not skip: %+v", f)
	}

	t.Setenv("ARM_SUBSCRIPTION_ID", testSub)
	t.Setenv("ARM_USE_MSI", "true")
	if f := run(func(tb testing.TB) { EmulatorOnly(tb, "it injects faults through the admin API") }); f.failed != "" ||
		!strings.Contains(f.skipped, "AZUREDR_TARGET=azure") || !strings.Contains(f.skipped, "it injects faults through the admin API") {
		t.Errorf("emulator-only on Azure: %+v, want a skip with the reason", f)
	}
	if f := run(func(tb testing.TB) { target(tb) }); f.failed != "" || f.skipped != "" {
		t.Errorf("azure with a subscription and managed identity: %+v, want it usable", f)
	}

	t.Setenv("AZUREDR_TARGET", "")
	if f := run(func(tb testing.TB) { EmulatorOnly(tb, "faults") }); f.failed != "" || f.skipped != "" {
		t.Errorf("emulator-only on the emulator: %+v, want it to run", f)
	}
}

// The sweepers registered with terraform-plugin-testing sweep what the
// environment names, and say what is missing rather than sweep the wrong
// place.
func TestSweeperClient(t *testing.T) {
	if _, err := sweeperClient(envOf(map[string]string{"ARM_SUBSCRIPTION_ID": testSub})); err == nil || !strings.Contains(err.Error(), "ARM_RESOURCE_MANAGER_ENDPOINT") {
		t.Errorf("emulator without an endpoint: %v", err)
	}
	if _, err := sweeperClient(envOf(map[string]string{"AZUREDR_TARGET": "azure"})); err == nil || !strings.Contains(err.Error(), azureNeeds) {
		t.Errorf("azure without settings: %v", err)
	}
	c, err := sweeperClient(envOf(map[string]string{"ARM_SUBSCRIPTION_ID": testSub, "ARM_RESOURCE_MANAGER_ENDPOINT": "http://127.0.0.1:4567"}))
	if err != nil || !c.Emulator || c.SubscriptionID != testSub {
		t.Errorf("emulator: %+v, %v", c, err)
	}
	c, err = sweeperClient(envOf(map[string]string{"AZUREDR_TARGET": "azure", "ARM_SUBSCRIPTION_ID": testSub, "ARM_USE_MSI": "true"}))
	if err != nil || c.Emulator || c.SubscriptionID != testSub {
		t.Errorf("azure: %+v, %v", c, err)
	}
	for _, s := range sweep.Sweepers {
		if err := runSweeper(s.Name, "all", envOf(nil)); err == nil {
			t.Errorf("sweeper %s ran without a subscription", s.Name)
		}
	}
}
