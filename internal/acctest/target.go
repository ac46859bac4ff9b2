package acctest

import (
	"fmt"
	"os"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// The targets of the acceptance tests, chosen by AZUREDR_TARGET as for the
// drill harness (test/harness/target.go): the emulator the test binary
// starts (the default), or the Azure subscription ARM_SUBSCRIPTION_ID with
// the ARM_* credentials, which the provider reads itself as azurerm does.
const (
	TargetEmulator = "emulator"
	TargetAzure    = "azure"
)

// emulatorSubscription is the subscription of the tests on the emulator,
// which accepts any.
const emulatorSubscription = "0b5a4c1e-7d2f-4e8a-9b3c-1d2e3f4a5b6c"

// SubscriptionID is the subscription the acceptance tests use: the
// emulator's, or ARM_SUBSCRIPTION_ID on Azure. Tests isolate from each
// other with unique names (RandomName).
var SubscriptionID = subscriptionFor(os.Getenv)

func subscriptionFor(env func(string) string) string {
	if env("AZUREDR_TARGET") == TargetAzure && env("ARM_SUBSCRIPTION_ID") != "" {
		return env("ARM_SUBSCRIPTION_ID")
	}
	return emulatorSubscription
}

// selectTarget is the target the environment selects, or why it cannot be
// used: an unknown AZUREDR_TARGET, or Azure without a subscription, without
// a credential or with incomplete settings (what the provider would refuse
// later, said before anything is created).
func selectTarget(env func(string) string) (string, error) {
	switch kind := env("AZUREDR_TARGET"); kind {
	case "", TargetEmulator:
		return TargetEmulator, nil
	case TargetAzure:
		return TargetAzure, azureProblem(env)
	default:
		return "", fmt.Errorf("AZUREDR_TARGET=%q: use %q (the default) or %q", kind, TargetEmulator, TargetAzure)
	}
}

const azureNeeds = "AZUREDR_TARGET=azure " + azure.ExplicitCredentialNeeds

func azureProblem(env func(string) string) error {
	if err := azure.ExplicitCredentialProblem(env); err != nil {
		return fmt.Errorf("AZUREDR_TARGET=azure %w", err)
	}
	return nil
}

// target returns the selected target, skipping the test without TF_ACC (as
// terraform-plugin-testing does) and failing it, saying what is missing,
// when the target cannot be used.
func target(t testing.TB) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run with TF_ACC=1 (make test)")
	}
	kind, err := selectTarget(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	return kind
}

// PreCheck is every acceptance test's TestCase.PreCheck: it fails the test,
// saying what is missing, when the selected target cannot be used, and on
// the emulator starts it.
func PreCheck(t *testing.T) {
	t.Helper()
	if target(t) == TargetEmulator {
		Emulator(t)
	}
}

// EmulatorOnly skips the test on Azure, giving the reason: what of the
// emulator it needs (faults, VMs seeded through the admin API, request
// counts, loopback web sites or DNS). Call it first, before creating
// anything.
func EmulatorOnly(t testing.TB, reason string) {
	t.Helper()
	if target(t) == TargetAzure {
		t.Skip("AZUREDR_TARGET=azure: skipped, emulator only: " + reason)
	}
}

// providerBlock is the provider block for a target: on the emulator its
// subscription and endpoint, on Azure nothing (the provider reads
// ARM_SUBSCRIPTION_ID and the credentials from the environment, as a
// pipeline's azurerm does).
func providerBlock(kind, endpoint string) string {
	if kind == TargetAzure {
		return "\nprovider \"azuredr\" {}\n"
	}
	return fmt.Sprintf(`
provider "azuredr" {
  subscription_id           = %q
  resource_manager_endpoint = %q
}
`, emulatorSubscription, endpoint)
}

// clientConfig is the SDK client's configuration for a target.
func clientConfig(kind string, env func(string) string, endpoint string) (azure.Config, error) {
	if kind == TargetAzure {
		return azure.ConfigFromEnv(env, "azuredr-acctest")
	}
	return azure.Config{SubscriptionID: emulatorSubscription, ResourceManagerEndpoint: endpoint}, nil
}

// Reasons for EmulatorOnly shared by several packages.
const (
	// SeededVMReason: the test replicates VMs that CreateVM seeds through
	// the emulator's admin API, serving web sites on loopback.
	SeededVMReason = "it replicates VMs of an estate seeded through the emulator's admin API (acctest.CreateVM), whose web sites serve on loopback"
	// GeoDNSReason: Traffic Manager probes web servers the test runs on
	// loopback, and the answers come from the emulator's DNS server.
	GeoDNSReason = "Traffic Manager probes web servers on loopback (acctest.WebServers) and the test resolves through the emulator's DNS server"
)
