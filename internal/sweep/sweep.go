// Package sweep finds and removes what crashed runs left behind, after
// terraform-provider-aws's sweepers: a drill or an acceptance test whose
// terraform or provider was killed (SIGKILL, a CI runner that vanished, a
// `go test -timeout` panic) can leave sites, networks, replication and test
// failovers with their test VMs running.
//
// The sweepers find everything by the provider's managed tags only
// (internal/tags): a site is its resource groups tagged azuredr-site with
// azuredr-role=recovery or test-failover, and the Recovery Services vault
// in its recovery group tagged azuredr-role=vault for the same site; the
// networks, NSGs and Traffic Manager profiles the provider creates carry
// their own tags. Anything without those tags is never touched: not deleted,
// not changed, and a site group holding such a resource is kept.
//
// One sweeper per resource type (Sweepers), each after the ones it depends
// on, in the order Site Recovery needs: pending test failovers cleaned up
// (testfailover.Cleanup, as the drill's own cleanup and azuredr_test_failover's
// Delete), recovery plans deleted before their items, replicated VMs
// (protected items) disabled, then container mappings and policies, network
// mappings and networks, NSGs and Traffic Manager profiles, and last the
// site's backbone (containers, fabrics, vault) and its groups. Run runs them
// all (cmd/azuredr-sweep); the acceptance tests register each one with
// terraform-plugin-testing (internal/acctest), which runs dependencies first.
//
// The package is Terraform-free, so that the sweeper binary does not link
// the plugin framework.
package sweep

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// Options tune a sweep.
type Options struct {
	// DryRun lists what would be removed and changes nothing.
	DryRun bool
	// Site, if set, limits the sweep to the site of that name.
	Site string
	// Region, if set and not "all", limits the sweep to the sites whose
	// recovery resource group is in that region (terraform-plugin-testing's
	// -sweep=<region>).
	Region string
	// Everything runs every sweeper: it removes whole sites (networks,
	// replication, Traffic Manager, vaults, groups), everything the provider
	// tagged. That is for the subscriptions acceptance tests run in; in a
	// subscription with real DR sites it would remove them. Without it, Run
	// runs only the test-failover sweeper: what a crashed drill leaves
	// (pending test failovers and their test VMs), safe anywhere.
	Everything bool
	// Log receives one line per finding; nil discards them.
	Log func(format string, args ...any)
}

// Report is what a sweep found and did. Found, Removed and Leftovers
// entries start with the sweeper's name (the Terraform resource type).
type Report struct {
	// Sites are the sites (by name) the sweep looked at.
	Sites []string
	// Found is everything the sweepers found to remove.
	Found []string
	// Removed is what was removed (or found gone already).
	Removed []string
	// Leftovers is what could not be removed or confirmed gone, and why.
	Leftovers []string
	// Ignored counts resource groups without the managed tags: not ours.
	Ignored int
}

// Count is how many entries of lines belong to the sweeper.
func Count(lines []string, sweeper string) int {
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(l, sweeper+" ") {
			n++
		}
	}
	return n
}

// A Sweeper removes the leftovers of one resource type.
type Sweeper struct {
	// Name is the Terraform resource type whose leftovers it removes.
	Name string
	// Dependencies are the sweepers that must run before this one.
	Dependencies []string
	sweep        func(ctx context.Context, r *run, s site) error
}

// The sweepers' names.
const (
	TestFailovers     = "azuredr_test_failover"
	RecoveryPlans     = "azuredr_recovery_plan"
	ReplicatedVMs     = "azuredr_replicated_vm"
	Policies          = "azuredr_replication_policy"
	Networks          = "azuredr_network"
	NSGs              = "azuredr_network_security_group"
	TrafficManager    = "azuredr_traffic_manager_profile"
	Sites             = "azuredr_site"
	everythingInOrder = ""
)

// Sweepers are all the sweepers, each after its dependencies: the order Run
// runs them in.
var Sweepers = []Sweeper{
	{Name: TestFailovers, sweep: sweepTestFailovers},
	{Name: RecoveryPlans, Dependencies: []string{TestFailovers}, sweep: sweepRecoveryPlans},
	{Name: ReplicatedVMs, Dependencies: []string{TestFailovers, RecoveryPlans}, sweep: sweepReplicatedVMs},
	{Name: Policies, Dependencies: []string{ReplicatedVMs}, sweep: sweepPolicies},
	{Name: Networks, Dependencies: []string{TestFailovers, ReplicatedVMs}, sweep: sweepNetworks},
	{Name: NSGs, Dependencies: []string{Networks}, sweep: sweepNSGs},
	{Name: TrafficManager, sweep: sweepProfiles},
	{Name: Sites, Dependencies: []string{Policies, NSGs, TrafficManager}, sweep: sweepSite},
}

// Run sweeps the client's subscription: what crashed drills left (the
// test-failover sweeper), or with opts.Everything every sweeper, in order.
func Run(ctx context.Context, c *azure.Client, opts Options) (*Report, error) {
	if !opts.Everything {
		return runSweepers(ctx, c, opts, TestFailovers)
	}
	return runSweepers(ctx, c, opts, everythingInOrder)
}

// RunOne runs the named sweeper alone; its dependencies are the caller's
// to run first (terraform-plugin-testing does).
func RunOne(ctx context.Context, c *azure.Client, name string, opts Options) (*Report, error) {
	for _, s := range Sweepers {
		if s.Name == name {
			return runSweepers(ctx, c, opts, name)
		}
	}
	return nil, fmt.Errorf("no sweeper %q", name)
}

func runSweepers(ctx context.Context, c *azure.Client, opts Options, only string) (*Report, error) {
	r := &run{c: c, opts: opts, rep: &Report{}, logf: opts.Log}
	if r.logf == nil {
		r.logf = func(string, ...any) {}
	}
	sites, err := r.sites(ctx)
	if err != nil {
		return r.rep, err
	}
	for _, sw := range Sweepers {
		if only != everythingInOrder && sw.Name != only {
			continue
		}
		r.sweeper = sw.Name
		for _, s := range sites {
			if err := sw.sweep(ctx, r, s); err != nil {
				return r.rep, fmt.Errorf("%s: site %s: %w", sw.Name, s.name, err)
			}
		}
	}
	return r.rep, nil
}

// run is one sweep: the client, the options and the report.
type run struct {
	c       *azure.Client
	opts    Options
	rep     *Report
	logf    func(string, ...any)
	sweeper string // the sweeper running
}

// site is a site as its tags describe it.
type site struct {
	name     string
	recovery string   // the recovery resource group
	groups   []string // every group of the site, the recovery group first
	location string   // the recovery group's
	vaults   []string // the site's vaults in the recovery group
}

// sites lists the sites of the subscription by their tags, with their
// vaults, within the options' site and region.
func (r *run) sites(ctx context.Context) ([]site, error) {
	groups, err := list(ctx, r.c.ResourceGroups().NewListPager(nil),
		func(p armresources.ResourceGroupsClientListResponse) []*armresources.ResourceGroup { return p.Value })
	if err != nil {
		return nil, fmt.Errorf("listing resource groups: %w", err)
	}
	bySite := map[string]*site{}
	var order []string
	for _, g := range groups {
		if g.Name == nil {
			continue
		}
		name, role := tags.Get(g.Tags, tags.Site), tags.Get(g.Tags, tags.Role)
		if name == "" || (role != tags.RoleRecovery && role != tags.RoleTestFailover) {
			r.rep.Ignored++
			continue
		}
		if r.opts.Site != "" && !strings.EqualFold(r.opts.Site, name) {
			continue
		}
		key := strings.ToLower(name)
		s := bySite[key]
		if s == nil {
			s = &site{name: name}
			bySite[key] = s
			order = append(order, key)
		}
		if role == tags.RoleRecovery {
			s.recovery, s.location = *g.Name, deref(g.Location)
			s.groups = append([]string{*g.Name}, s.groups...)
		} else {
			s.groups = append(s.groups, *g.Name)
		}
	}
	sort.Strings(order)
	var out []site
	for _, key := range order {
		s := bySite[key]
		if r.opts.Region != "" && r.opts.Region != "all" && !strings.EqualFold(strings.ReplaceAll(s.location, " ", ""), r.opts.Region) {
			continue
		}
		if s.recovery != "" {
			vaults, err := list(ctx, r.c.Vaults().NewListByResourceGroupPager(s.recovery, nil),
				func(p armrecoveryservices.VaultsClientListByResourceGroupResponse) []*armrecoveryservices.Vault {
					return p.Value
				})
			if err != nil {
				return nil, fmt.Errorf("listing the vaults of %s: %w", s.recovery, err)
			}
			for _, v := range vaults {
				if v.Name != nil && tags.Get(v.Tags, tags.Role) == tags.RoleVault && strings.EqualFold(tags.Get(v.Tags, tags.Site), s.name) {
					s.vaults = append(s.vaults, *v.Name)
				}
			}
		}
		r.rep.Sites = append(r.rep.Sites, s.name)
		out = append(out, *s)
	}
	return out, nil
}

// remove is the one way a sweeper removes something: it records what was
// found and, unless this is a dry run, deletes it with del, which waits
// until it is gone. A 404 means gone already.
func (r *run) remove(ctx context.Context, s site, what, id string, del func(context.Context) error) {
	entry := r.sweeper + " " + id
	r.rep.Found = append(r.rep.Found, entry)
	if r.opts.DryRun {
		r.logf("site %s: would remove %s %s", s.name, what, id)
		return
	}
	if err := del(ctx); err != nil && !azure.IsNotFound(err) {
		r.leftover(s, id, "removing "+what+": "+azure.Describe(err))
		return
	}
	r.rep.Removed = append(r.rep.Removed, entry)
	r.logf("site %s: removed %s %s", s.name, what, id)
}

// leftover records what the sweeper could not or would not remove.
func (r *run) leftover(s site, id, why string) {
	r.rep.Leftovers = append(r.rep.Leftovers, r.sweeper+" "+id+": "+why)
	r.logf("site %s: left %s: %s", s.name, id, why)
}

// list reads every page of a pager. A 404 (the group or vault went away
// meanwhile) is an empty list.
func list[T, P any](ctx context.Context, pager *runtime.Pager[P], values func(P) []*T) ([]*T, error) {
	var out []*T
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if azure.IsNotFound(err) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		for _, v := range values(page) {
			if v != nil {
				out = append(out, v)
			}
		}
	}
	return out, nil
}

// each lists, for every named vault or group (what says which), what
// lister returns, and calls f on each.
func each[T any](names []string, what string, lister func(name string) ([]*T, error), f func(name string, v *T)) error {
	for _, n := range names {
		items, err := lister(n)
		if err != nil {
			return fmt.Errorf("%s %s: %w", what, n, err)
		}
		for _, it := range items {
			f(n, it)
		}
	}
	return nil
}

// eachVault is each over the site's vaults, eachGroup over its groups.
func eachVault[T any](s site, lister func(vault string) ([]*T, error), f func(vault string, v *T)) error {
	return each(s.vaults, "vault", lister, f)
}

func eachGroup[T any](s site, lister func(group string) ([]*T, error), f func(group string, v *T)) error {
	return each(s.groups, "resource group", lister, f)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
