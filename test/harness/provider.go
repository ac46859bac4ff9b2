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

// copyDir copies the configuration in src into dst: its files and its
// subdirectories (local modules, `source = "./tier"`), without .terraform,
// other hidden entries or state. src itself must hold a .tf file.
func copyDir(src, dst string) error {
	copied, err := copyTree(src, dst)
	if err != nil {
		return err
	}
	if copied == 0 {
		return fmt.Errorf("%s holds no .tf file", src)
	}
	return nil
}

// copyTree copies src's tree into dst and counts the .tf files at its top.
func copyTree(src, dst string) (topLevelTF int, err error) {
	entries, err := os.ReadDir(src)
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "terraform.tfstate") {
			continue
		}
		if e.IsDir() {
			sub := filepath.Join(dst, name)
			if err := os.MkdirAll(sub, 0o700); err != nil {
				return 0, err
			}
			if _, err := copyTree(filepath.Join(src, name), sub); err != nil {
				return 0, err
			}
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			return 0, err
		}
		if err := os.WriteFile(filepath.Join(dst, name), data, 0o600); err != nil {
			return 0, err
		}
		if strings.HasSuffix(name, ".tf") {
			topLevelTF++
		}
	}
	return topLevelTF, nil
}
