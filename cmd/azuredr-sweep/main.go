// Command azuredr-sweep removes what crashed drills left behind (see
// internal/sweep): test failovers pending on protected items of azuredr
// sites, found by the provider's managed tags. `make sweep` runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/sweep"
)

const (
	exitOK        = 0
	exitError     = 1 // a failure, or leftovers that could not be removed
	exitUsage     = 2
	defaultBudget = 30 * time.Minute
)

const usage = `Usage: azuredr-sweep [flags]

Finds what crashed azuredr drills left behind (protected items with a test
failover pending, and their test VMs) in the subscription, by the tags the
provider puts on what it creates, and cleans it up. Resources without those
tags are never touched.

Settings come from the ARM_* environment variables, as for the provider:
ARM_SUBSCRIPTION_ID (required), ARM_RESOURCE_MANAGER_ENDPOINT (the emulator),
ARM_TENANT_ID, ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_USE_CLI, ARM_USE_OIDC,
ARM_USE_MSI, ARM_ENVIRONMENT.

Flags:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("azuredr-sweep", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dryRun := fs.Bool("dry-run", false, "list what would be cleaned up, change nothing")
	siteName := fs.String("site", "", "sweep only the site of this `name`")
	budget := fs.Duration("timeout", defaultBudget, "give up after this `duration`")
	fs.Usage = func() { fmt.Fprint(fs.Output(), usage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "azuredr-sweep: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	cfg, err := configFromEnv(env)
	if err != nil {
		fmt.Fprintf(stderr, "azuredr-sweep: %v\n", err)
		return exitUsage
	}
	client, err := azure.NewClient(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "azuredr-sweep: %v\n", err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, *budget)
	defer cancel()
	rep, err := sweep.Run(ctx, client, sweep.Options{DryRun: *dryRun, Site: *siteName,
		Log: func(format string, a ...any) { fmt.Fprintf(stdout, format+"\n", a...) }})
	if rep != nil {
		verb := "removed"
		if *dryRun {
			verb = "would remove"
		}
		fmt.Fprintf(stdout, "sweep: %d site(s) checked, %d resource group(s) ignored (not tagged as azuredr's), %d pending test failover(s) found, %d %s, %d leftover(s)\n",
			len(rep.Sites), rep.Ignored, len(rep.Found), pick(*dryRun, len(rep.Found), len(rep.Removed)), verb, len(rep.Leftovers))
		for _, l := range rep.Leftovers {
			fmt.Fprintf(stdout, "  left: %s\n", l)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "azuredr-sweep: %s\n", azure.Describe(err))
		return exitError
	}
	if len(rep.Leftovers) > 0 {
		return exitError
	}
	return exitOK
}

func pick(cond bool, a, b int) int {
	if cond {
		return a
	}
	return b
}

// configFromEnv reads the provider's ARM_* variables.
func configFromEnv(env func(string) string) (azure.Config, error) {
	flagVar := func(key string, def bool) (bool, error) {
		s := strings.TrimSpace(env(key))
		if s == "" {
			return def, nil
		}
		b, err := strconv.ParseBool(s)
		if err != nil {
			return false, fmt.Errorf("%s=%q is not a boolean: use true or false", key, s)
		}
		return b, nil
	}
	c := azure.Config{
		SubscriptionID:          env("ARM_SUBSCRIPTION_ID"),
		TenantID:                env("ARM_TENANT_ID"),
		ClientID:                env("ARM_CLIENT_ID"),
		ClientSecret:            env("ARM_CLIENT_SECRET"),
		ClientCertificatePath:   env("ARM_CLIENT_CERTIFICATE_PATH"),
		OIDCToken:               env("ARM_OIDC_TOKEN"),
		OIDCTokenFilePath:       env("ARM_OIDC_TOKEN_FILE_PATH"),
		Environment:             env("ARM_ENVIRONMENT"),
		ResourceManagerEndpoint: env("ARM_RESOURCE_MANAGER_ENDPOINT"),
		UserAgent:               "azuredr-sweep",
	}
	var err error
	if c.UseCLI, err = flagVar("ARM_USE_CLI", c.ClientSecret == "" && c.ClientCertificatePath == ""); err != nil {
		return c, err
	}
	if c.UseOIDC, err = flagVar("ARM_USE_OIDC", false); err != nil {
		return c, err
	}
	if c.UseMSI, err = flagVar("ARM_USE_MSI", false); err != nil {
		return c, err
	}
	if c.UseOIDC || c.UseMSI {
		c.UseCLI = false
	}
	if errs := c.Validate(); len(errs) > 0 {
		return c, errs[0]
	}
	return c, nil
}
