package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The programs that run without Terraform (the sweeper, the drill harness,
// the drill engine, the emulator) must not link the plugin framework: they
// share vocabulary through Terraform-free leaf packages (internal/tags,
// internal/duration) instead of importing Terraform-side packages.
func TestTerraformFreePackages(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "./internal/sweep", "./test/harness", "./internal/drill/...", "./internal/emulator/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/hashicorp/terraform-plugin-") {
			t.Errorf("a Terraform-free package depends on %s (go list -deps ./internal/sweep ./test/harness ./internal/drill/... ./internal/emulator/... | grep terraform-plugin)", dep)
		}
	}
}

// adminPrefix is the admin API's path prefix, spelled in two pieces so that
// a grep for it in Go files outside internal/emulator finds nothing, this
// test included.
const adminPrefix = "/_" + "emulator/"

// Only the emulator and its typed admin client (internal/emulator/admin)
// know the admin API's paths: everything else calls the client.
func TestOnlyTheAdminClientBuildsAdminURLs(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || path == filepath.Join("internal", "emulator")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, adminPrefix) {
				t.Errorf("%s:%d builds an admin API URL; use internal/emulator/admin: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
