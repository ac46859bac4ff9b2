// Package acctest is the shared setup of the provider's acceptance tests: the
// target (an emulator started once per test binary, or Azure with
// AZUREDR_TARGET=azure: target.go), the provider factories and the provider
// block pointing at it, an SDK client for changing things behind Terraform's
// back, and the checks that what a test created is gone.
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
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/provider"
)

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

// Main is a package's TestMain: with -sweep it runs the registered sweepers
// instead of the tests (resource.TestMain; internal/sweep's TestMain
// registers them, see RegisterSweepers); otherwise it gives Terraform a CLI
// config of its own (the environment may name a file that does not exist),
// runs the tests and stops the shared emulator after them.
func Main(m *testing.M) {
	resource.TestMain(tests{m})
}

// tests runs a package's tests around the shared setup.
type tests struct{ m *testing.M }

func (ts tests) Run() int {
	dir, err := os.MkdirTemp("", "azuredr-acctest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	tempDir = dir
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, nil, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	os.Setenv("TF_CLI_CONFIG_FILE", rc)
	os.Setenv("CHECKPOINT_DISABLE", "1")
	code := ts.m.Run()
	if server != nil {
		server.Close()
	}
	os.RemoveAll(dir)
	return code
}

// Emulator returns the package's emulator, starting it on first use. It skips
// the test unless TF_ACC is set, as terraform-plugin-testing does, and on
// Azure, where there is no emulator (tests that need one say why first, with
// EmulatorOnly).
func Emulator(t *testing.T) *emulator.Server {
	t.Helper()
	if target(t) == TargetAzure {
		t.Skip("AZUREDR_TARGET=azure: skipped, emulator only: the test uses the emulator's admin API or its loopback sites")
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

// ProviderConfig is the provider block for the selected target (see
// PreCheck): the emulator's, or on Azure an empty block whose settings come
// from the ARM_* environment variables.
func ProviderConfig(t *testing.T) string {
	t.Helper()
	if kind := target(t); kind == TargetAzure {
		return providerBlock(kind, "")
	}
	return providerBlock(TargetEmulator, Emulator(t).URL())
}

// Client is an SDK client on the selected target, for checks and for
// changes made behind Terraform's back.
func Client(t *testing.T) *azure.Client {
	t.Helper()
	kind, endpoint := target(t), ""
	if kind == TargetEmulator {
		endpoint = Emulator(t).URL()
	}
	cfg, err := clientConfig(kind, os.Getenv, endpoint)
	if err != nil {
		t.Fatal(err)
	}
	c, err := azure.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// RandomName is a unique, valid site or group name with the given prefix.
func RandomName(prefix string) string {
	return strings.ToLower(prefix + "-" + acctest.RandString(8))
}
