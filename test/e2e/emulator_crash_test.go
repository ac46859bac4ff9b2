package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

const crashSubscription = "3c9d2e1f-5a4b-4c7d-8e9f-0a1b2c3d4e5f"

const crashEstate = `{"subscriptions":[{"id":"` + crashSubscription + `","resourceGroups":[
  {"name":"rg-cms-prod","location":"centralus","tags":{"application":"cms"}}]}]}`

func crashConfig(siteName string) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    azuredr = { source = "azuredr/azuredr" }
  }
}
provider "azuredr" {
  subscription_id = %q
}
resource "azuredr_site" "cms" {
  name              = %q
  primary_location  = "centralus"
  recovery_location = "eastus2"
  tags              = { application = "cms" }
}
`, crashSubscription, siteName)
}

// The emulator is killed with SIGKILL while a long-running operation (the old
// site's resource group delete, during a replacement) is in flight, then
// restarted on the same data dir and port. A second `terraform apply`
// converges, and the estate holds exactly what it should: nothing lost, nothing
// duplicated, no operation stuck.
func TestEmulatorKilledDuringLongRunningOperation(t *testing.T) {
	t.Run("restarted at once", func(t *testing.T) {
		t.Parallel()
		// The interrupted apply may ride through the restart on the SDK's
		// retries of refused connections.
		crashDuringReplacement(t, false)
	})
	t.Run("restarted after the apply failed", func(t *testing.T) {
		t.Parallel()
		// The emulator stays down until the apply gives up, so Terraform's
		// state still holds the old site when the second apply runs.
		crashDuringReplacement(t, true)
	})
}

func crashDuringReplacement(t *testing.T, waitForApplyToFail bool) {
	cliConfig, emulatorBin := binaries(t)
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "emulator-data")
	seed := filepath.Join(dir, "estate.json")
	must(t, os.WriteFile(seed, []byte(crashEstate), 0o600))
	work := filepath.Join(dir, "work")
	must(t, os.MkdirAll(work, 0o755))

	// At a time scale of 30 the old site's Site Recovery removals and group
	// deletes take a second or two each: long enough to kill the emulator in
	// the middle of one.
	args := []string{"--data", dataDir, "--seed", seed, "--time-scale", "30"}
	emu := startEmulator(t, emulatorBin, append([]string{"--listen", "127.0.0.1:0"}, args...)...)
	listen := strings.TrimPrefix(emu.URL, "http://")

	must(t, os.WriteFile(filepath.Join(work, "main.tf"), []byte(crashConfig("cms-a")), 0o600))
	tf := func(args ...string) (string, error) { return runTerraform(t, work, cliConfig, emu.URL, args...) }
	if out, err := tf("init", "-input=false"); err != nil {
		t.Fatalf("terraform init: %v\n%s", err, out)
	}
	if out, err := tf("apply", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("first apply: %v\n%s", err, out)
	}

	// Renaming the site replaces it: delete cms-a's groups (long-running),
	// then create cms-b's.
	must(t, os.WriteFile(filepath.Join(work, "main.tf"), []byte(crashConfig("cms-b")), 0o600))
	apply := terraform(t, work, cliConfig, emu.URL, "apply", "-input=false", "-auto-approve")
	var applyOut strings.Builder
	apply.Stdout, apply.Stderr = &applyOut, &applyOut
	must(t, apply.Start())
	applyDone := make(chan error, 1)
	go func() { applyDone <- apply.Wait() }()

	inFlight := waitForInFlightOperation(t, emu, applyDone, &applyOut)
	t.Logf("killing the emulator (SIGKILL) with %d operation(s) in flight: %s", len(inFlight), strings.Join(inFlight, ", "))
	emu.kill()

	// Restart at the same address on the same data dir; what matters is
	// where the next apply leaves things.
	var err error
	if waitForApplyToFail {
		if err = <-applyDone; err == nil {
			t.Fatalf("the apply succeeded with the emulator down:\n%s", applyOut.String())
		}
		emu = startEmulator(t, emulatorBin, append([]string{"--listen", listen}, args...)...)
	} else {
		emu = startEmulator(t, emulatorBin, append([]string{"--listen", listen}, args...)...)
		err = <-applyDone
	}
	t.Logf("interrupted apply ended with %v:\n%s", err, tail(applyOut.String(), 12))

	if out, err := tf("apply", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("second apply did not converge: %v\n%s", err, out)
	}
	out, err := tf("plan", "-input=false", "-detailed-exitcode")
	if err != nil { // -detailed-exitcode: 2 means changes pending, 1 an error
		t.Fatalf("after the second apply the plan is not empty (%v):\n%s", err, out)
	}

	// Nothing lost, nothing duplicated: exactly the estate plus cms-b's groups.
	want := []string{"cms-b-dr", "cms-b-drill", "rg-cms-prod"}
	if got := groupNames(t, emu); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("resource groups after recovery: %v, want %v", got, want)
	}
	pending, err := emu.admin().Operations(context.Background(), admin.OperationInProgress)
	must(t, err)
	if len(pending) != 0 {
		t.Fatalf("operations still in progress after recovery: %+v", pending)
	}
	out, err = tf("state", "list")
	if err != nil || strings.TrimSpace(out) != "azuredr_site.cms" {
		t.Fatalf("state holds %q (%v), want only azuredr_site.cms", out, err)
	}

	if out, err := tf("destroy", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("destroy: %v\n%s", err, out)
	}
	if got := groupNames(t, emu); strings.Join(got, ",") != "rg-cms-prod" {
		t.Fatalf("after destroy: %v, want only the estate's rg-cms-prod", got)
	}
}

// waitForInFlightOperation polls the admin API until an operation is in
// progress, returning their resource ids. It fails the test if the apply ends
// first.
func waitForInFlightOperation(t *testing.T, emu *emulatorProcess, applyDone <-chan error, applyOut fmt.Stringer) []string {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-applyDone:
			t.Fatalf("the apply ended (%v) before any long-running operation was seen:\n%s", err, applyOut)
		default:
		}
		if ops, err := emu.admin().Operations(context.Background(), admin.OperationInProgress); err == nil && len(ops) > 0 {
			ids := make([]string, len(ops))
			for i, op := range ops {
				ids[i] = op.ResourceID
			}
			return ids
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no long-running operation started")
	return nil
}

// groupNames lists the subscription's resource groups through the SDK.
func groupNames(t *testing.T, emu *emulatorProcess) []string {
	t.Helper()
	client, err := azure.NewClient(azure.Config{SubscriptionID: crashSubscription, ResourceManagerEndpoint: emu.URL})
	must(t, err)
	var names []string
	pager := client.ResourceGroups().NewListPager(nil)
	for pager.More() {
		page, err := pager.NextPage(context.Background())
		must(t, err)
		for _, g := range page.Value {
			names = append(names, *g.Name)
		}
	}
	sort.Strings(names)
	return names
}
