// Package acctest is the shared setup of the provider's acceptance tests: an
// emulator started once per test binary, the provider factories and the
// provider block pointing at it, and an SDK client for changing things behind
// Terraform's back.
package acctest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/provider"
)

// SubscriptionID is the subscription the acceptance tests use. Tests isolate
// from each other with unique names (RandomName).
const SubscriptionID = "0b5a4c1e-7d2f-4e8a-9b3c-1d2e3f4a5b6c"

// ProtoV6ProviderFactories serves the provider in-process.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"azuredr": providerserver.NewProtocol6WithError(provider.New("acctest")()),
}

var (
	once    sync.Once
	server  *emulator.Server
	tempDir string
	initErr error
)

// Main wraps a package's TestMain: it gives Terraform a CLI config of its own
// (the environment may name a file that does not exist) and stops the shared
// emulator after the tests.
func Main(m *testing.M) {
	dir, err := os.MkdirTemp("", "azuredr-acctest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tempDir = dir
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, nil, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("TF_CLI_CONFIG_FILE", rc)
	os.Setenv("CHECKPOINT_DISABLE", "1")
	code := m.Run()
	if server != nil {
		server.Close()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// Emulator returns the package's emulator, starting it on first use. It skips
// the test unless TF_ACC is set, as terraform-plugin-testing does.
func Emulator(t *testing.T) *emulator.Server {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run with TF_ACC=1 (make test)")
	}
	once.Do(func() {
		if tempDir == "" {
			initErr = fmt.Errorf("acctest.Main is not the package's TestMain")
			return
		}
		// A high time scale keeps simulated long-running operations short.
		server, initErr = emulator.New(emulator.Options{
			Listen:    "127.0.0.1:0",
			DataDir:   filepath.Join(tempDir, "emulator"),
			TimeScale: 300,
		})
	})
	if initErr != nil {
		t.Fatalf("starting the emulator: %v", initErr)
	}
	return server
}

// ProviderConfig is the provider block for the emulator.
func ProviderConfig(t *testing.T) string {
	return fmt.Sprintf(`
provider "azuredr" {
  subscription_id           = %q
  resource_manager_endpoint = %q
}
`, SubscriptionID, Emulator(t).URL())
}

// Client is an SDK client on the emulator, for checks and for changes made
// behind Terraform's back.
func Client(t *testing.T) *azure.Client {
	c, err := azure.NewClient(azure.Config{SubscriptionID: SubscriptionID, ResourceManagerEndpoint: Emulator(t).URL()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// RandomName is a unique, valid site or group name with the given prefix.
func RandomName(prefix string) string {
	return strings.ToLower(prefix + "-" + acctest.RandString(8))
}
