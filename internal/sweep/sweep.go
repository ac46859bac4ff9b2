// Package sweep finds and removes what crashed runs left behind, after
// terraform-provider-aws's sweepers: a drill whose terraform or provider was
// killed (SIGKILL, a CI runner that vanished, a `go test -timeout` panic)
// can leave protected items with a test failover pending and their test VMs
// running. The sweeper finds them by the provider's managed tags only: a
// resource group tagged azuredr-role=recovery and azuredr-site, the Recovery
// Services vault in it tagged azuredr-role=vault for the same site. Anything
// without those tags is never touched, whatever it holds.
//
// Cleaning up is testfailover.Cleanup, the same as the drill's own cleanup and
// azuredr_test_failover's Delete: test failover cleanup of every pending
// item, then a check that each test VM is gone.
package sweep

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/testfailover"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// Options tune a sweep.
type Options struct {
	// DryRun lists what would be cleaned up and changes nothing.
	DryRun bool
	// Site, if set, limits the sweep to the site of that name.
	Site string
	// Log receives one line per finding; nil discards them.
	Log func(format string, args ...any)
}

// Report is what a sweep found and did.
type Report struct {
	// Sites are the sites (by name) the sweep looked at.
	Sites []string
	// Found are the protected items with a test failover pending.
	Found []string
	// Removed are the items whose test failover was cleaned up.
	Removed []string
	// Leftovers is what could not be removed or confirmed gone.
	Leftovers []string
	// Ignored counts resource groups without the managed tags: not ours.
	Ignored int
}

// Run sweeps the client's subscription.
func Run(ctx context.Context, c *azure.Client, opts Options) (*Report, error) {
	logf := opts.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	rep := &Report{}
	groups, err := siteGroups(ctx, c, opts.Site, rep)
	if err != nil {
		return rep, err
	}
	for _, g := range groups {
		rep.Sites = append(rep.Sites, g.site)
		pending, err := pendingItems(ctx, c, g)
		if err != nil {
			return rep, fmt.Errorf("site %s: %w", g.site, err)
		}
		for _, id := range pending {
			logf("site %s: %s has a test failover pending", g.site, id)
		}
		rep.Found = append(rep.Found, pending...)
		if opts.DryRun || len(pending) == 0 {
			continue
		}
		left, err := testfailover.Cleanup(ctx, c, pending)
		rep.Leftovers = append(rep.Leftovers, left...)
		if err != nil {
			return rep, fmt.Errorf("site %s: %w", g.site, err)
		}
		for _, id := range pending {
			if !mentions(left, id) {
				rep.Removed = append(rep.Removed, id)
				logf("site %s: cleaned up the test failover of %s", g.site, id)
			}
		}
	}
	return rep, nil
}

type siteGroup struct {
	site, group string
}

// siteGroups lists the recovery resource groups of sites, by their tags.
func siteGroups(ctx context.Context, c *azure.Client, only string, rep *Report) ([]siteGroup, error) {
	var out []siteGroup
	pager := c.ResourceGroups().NewListPager(nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing resource groups: %w", err)
		}
		for _, g := range page.Value {
			if g == nil || g.Name == nil {
				continue
			}
			name := tags.Get(g.Tags, tags.Site)
			if name == "" || tags.Get(g.Tags, tags.Role) != tags.RoleRecovery {
				rep.Ignored++
				continue
			}
			if only != "" && !strings.EqualFold(only, name) {
				continue
			}
			out = append(out, siteGroup{site: name, group: *g.Name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].group < out[j].group })
	return out, nil
}

// pendingItems lists the items with a test failover pending in the site's
// vaults (those tagged as the site's).
func pendingItems(ctx context.Context, c *azure.Client, g siteGroup) ([]string, error) {
	var ids []string
	vaults := c.Vaults().NewListByResourceGroupPager(g.group, nil)
	for vaults.More() {
		page, err := vaults.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the vaults of %s: %w", g.group, err)
		}
		for _, v := range page.Value {
			if v == nil || v.Name == nil || tags.Get(v.Tags, tags.Role) != tags.RoleVault || !strings.EqualFold(tags.Get(v.Tags, tags.Site), g.site) {
				continue
			}
			items := c.ProtectedItems().NewListPager(*v.Name, g.group, nil)
			for items.More() {
				ip, err := items.NextPage(ctx)
				if err != nil {
					return nil, fmt.Errorf("listing the protected items of vault %s: %w", *v.Name, err)
				}
				for _, it := range ip.Value {
					if it == nil || it.ID == nil || it.Properties == nil {
						continue
					}
					if s := deref(it.Properties.TestFailoverState); s != "" && !strings.EqualFold(s, "None") {
						ids = append(ids, *it.ID)
					}
				}
			}
		}
	}
	return ids, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// mentions reports whether a leftover line names the item.
func mentions(lines []string, id string) bool {
	for _, l := range lines {
		if strings.Contains(strings.ToLower(l), strings.ToLower(id)) || strings.Contains(l, id[strings.LastIndex(id, "/")+1:]) {
			return true
		}
	}
	return false
}
