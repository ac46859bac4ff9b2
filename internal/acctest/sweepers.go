package acctest

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/sweep"
)

// RegisterSweepers registers the sweepers of internal/sweep with
// terraform-plugin-testing (terraform-provider-aws's convention: one per
// resource type, with Dependencies, all registered in one package's
// TestMain, internal/sweep's, so that a sweep runs once):
//
//	go test ./internal/sweep -sweep=all          # every site
//	go test ./internal/sweep -sweep=eastus2      # sites recovering to eastus2
//	go test ./internal/sweep -sweep=all -sweep-run=azuredr_replicated_vm
//
// (the other acceptance-test packages, through Main, run no tests with
// -sweep). They sweep the subscription the ARM_* variables name: a running
// emulator (ARM_RESOURCE_MANAGER_ENDPOINT; the tests' own emulator lives
// only as long as their binary) or, with AZUREDR_TARGET=azure, Azure.
// AZUREDR_SWEEP_DRY_RUN=1 lists only; AZUREDR_SWEEP_SITE=<name> limits the
// sweep to one site.
func RegisterSweepers() {
	for _, s := range sweep.Sweepers {
		resource.AddTestSweepers(s.Name, &resource.Sweeper{
			Name:         s.Name,
			Dependencies: s.Dependencies,
			F:            func(region string) error { return runSweeper(s.Name, region, os.Getenv) },
		})
	}
}

// runSweeper runs one sweeper; leftovers fail it.
func runSweeper(name, region string, env func(string) string) error {
	c, err := sweeperClient(env)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	rep, err := sweep.RunOne(ctx, c, name, sweep.Options{
		Region: region,
		DryRun: env("AZUREDR_SWEEP_DRY_RUN") != "",
		Site:   env("AZUREDR_SWEEP_SITE"),
		Log:    func(format string, a ...any) { log.Printf("[INFO] %s: "+format, append([]any{name}, a...)...) },
	})
	if err != nil {
		return fmt.Errorf("%s", azure.Describe(err))
	}
	if len(rep.Leftovers) > 0 {
		return fmt.Errorf("%d leftover(s): %s", len(rep.Leftovers), strings.Join(rep.Leftovers, "; "))
	}
	return nil
}

// sweeperClient is a client on the subscription the environment names: on
// Azure (AZUREDR_TARGET=azure) with its checks, else the emulator
// ARM_RESOURCE_MANAGER_ENDPOINT points at.
func sweeperClient(env func(string) string) (*azure.Client, error) {
	kind, err := selectTarget(env)
	if err != nil {
		return nil, err
	}
	if kind == TargetEmulator {
		if env("ARM_RESOURCE_MANAGER_ENDPOINT") == "" {
			return nil, fmt.Errorf("sweeping the emulator needs ARM_RESOURCE_MANAGER_ENDPOINT (a running azuredr-emulator) and ARM_SUBSCRIPTION_ID; for Azure set AZUREDR_TARGET=azure")
		}
	}
	cfg, err := azure.ConfigFromEnv(env, "azuredr-sweep")
	if err != nil {
		return nil, err
	}
	return azure.NewClient(cfg)
}
