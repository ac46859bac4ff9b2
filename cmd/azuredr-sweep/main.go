// Command azuredr-sweep removes what crashed runs left behind (see
// internal/sweep), found by the provider's managed tags: by default what a
// crashed drill leaves (pending test failovers and their test VMs); with
// -all every resource type the provider creates, in the order Site Recovery
// requires, for test subscriptions. `make sweep` runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
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

Removes what crashed azuredr runs left behind in the subscription, found by
the tags the provider puts on what it creates. By default: what a crashed
drill leaves, pending test failovers and their test VMs (safe in a
subscription with real DR sites). With -all, for the subscriptions
acceptance tests run in: everything the provider tagged, recovery plans,
replicated VMs, container mappings and replication policies, network
mappings, networks, NSGs, Traffic Manager profiles, and last the sites'
vaults and resource groups, in the order Site Recovery requires. Resources
without those tags are never touched, and a site whose groups hold one is
kept.

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
	all := fs.Bool("all", false, "remove every resource the provider tagged, whole sites included: for test subscriptions only")
	siteName := fs.String("site", "", "sweep only the site of this `name`")
	region := fs.String("region", "", "sweep only the sites whose recovery region is this `location` (e.g. eastus2)")
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
	cfg, err := azure.ConfigFromEnv(env, "azuredr-sweep")
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
	rep, err := sweep.Run(ctx, client, sweep.Options{DryRun: *dryRun, Everything: *all, Site: *siteName, Region: *region,
		Log: func(format string, a ...any) { fmt.Fprintf(stdout, format+"\n", a...) }})
	if rep != nil {
		verb := "removed"
		if *dryRun {
			verb = "would remove"
		}
		fmt.Fprintf(stdout, "sweep: %d site(s) checked, %d resource group(s) ignored (not tagged as azuredr's), %d found, %d %s, %d leftover(s)\n",
			len(rep.Sites), rep.Ignored, len(rep.Found), pick(*dryRun, len(rep.Found), len(rep.Removed)), verb, len(rep.Leftovers))
		for _, sw := range sweep.Sweepers {
			if n := sweep.Count(rep.Found, sw.Name); n > 0 {
				fmt.Fprintf(stdout, "  %s: %d found, %d %s\n", sw.Name, n, pick(*dryRun, n, sweep.Count(rep.Removed, sw.Name)), verb)
			}
		}
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
