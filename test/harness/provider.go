package harness

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

const (
	providerAddress = "registry.terraform.io/azuredr/azuredr"
	providerVersion = "0.1.0"
)

// The provider, built from this checkout once per test binary into a
// filesystem mirror, and a CLI config that installs it from there: drills
// run offline and always test the code they sit next to.
var built struct {
	once      sync.Once
	dir       string
	cliConfig string
	err       error
}

// moduleRoot is the repository's root, found from this file's path.
func moduleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// BuildProvider builds the provider from this checkout into a filesystem
// mirror under dir and writes dir/terraformrc, a Terraform CLI config that
// installs it from there (and nothing else from the network). It returns
// that config's path. The end-to-end tests use it too.
func BuildProvider(dir string) (cliConfig string, err error) {
	if _, err := exec.LookPath("terraform"); err != nil {
		return "", fmt.Errorf("the terraform CLI is not on PATH")
	}
	mirror := filepath.Join(dir, "mirror")
	bin := filepath.Join(mirror, providerAddress, providerVersion, runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-azuredr_v"+providerVersion)
	cmd := exec.Command("go", "build", "-ldflags", "-X main.version="+providerVersion, "-o", bin, ".")
	cmd.Dir = moduleRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the provider: %v\n%s", err, out)
	}
	cliConfig = filepath.Join(dir, "terraformrc")
	rc := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [%q]\n  }\n  direct {\n    exclude = [%q]\n  }\n}\n",
		mirror, providerAddress, providerAddress)
	return cliConfig, os.WriteFile(cliConfig, []byte(rc), 0o600)
}

// buildProvider is BuildProvider once per test binary, in a temporary
// folder Main removes.
func buildProvider() (cliConfig string, err error) {
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "azuredr-harness-provider-"); built.err == nil {
			built.cliConfig, built.err = BuildProvider(built.dir)
		}
	})
	return built.cliConfig, built.err
}

func removeProvider() {
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
}

// copyDir copies the Terraform files of src (not .terraform, state or
// subdirectories) into dst.
func copyDir(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	copied := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "terraform.tfstate") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, name), data, 0o600); err != nil {
			return err
		}
		if strings.HasSuffix(name, ".tf") {
			copied++
		}
	}
	if copied == 0 {
		return fmt.Errorf("%s holds no .tf file", src)
	}
	return nil
}
