package testfailover

import (
	"context"
	"fmt"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

// runGroup runs one group: pre actions, the items in parallel (failover,
// test VM, checks), post actions, then the group's checks that run once. The first failing item cancels the rest.
func (r *runner) runGroup(ctx context.Context, g int, grp drill.Group) error {
	var ids []string
	for _, it := range grp.Items {
		ids = append(ids, drill.NameOf(it.ID))
	}
	r.log.Emit(drill.PhaseGroupStart, g, "", fmt.Sprintf("group %d: %s", g, strings.Join(ids, ", ")))
	for _, a := range grp.Pre {
		if err := r.runAction(ctx, g, "pre", a); err != nil {
			return err
		}
	}
	var members []*itemState
	for _, st := range r.items {
		if st.group == g {
			members = append(members, st)
		}
	}
	if err := drill.Parallel(ctx, members, r.runItem); err != nil {
		return err
	}
	for _, a := range grp.Post {
		if err := r.runAction(ctx, g, "post", a); err != nil {
			return err
		}
	}
	// Checks that run once, against an address of their own: the group is
	// complete, its post actions done.
	if err := r.checks.RunAfterGroup(ctx, g, g == len(r.spec.Groups)); err != nil {
		return fmt.Errorf("group %d: %w", g, err)
	}
	return nil
}

// runAction runs a pre or post action of group g: manual steps go to
// Spec.Manual unless the drill is unattended.
func (r *runner) runAction(ctx context.Context, g int, when string, a drill.Action) error {
	manual := r.spec.Manual
	if r.spec.Unattended {
		manual = nil
	}
	return drill.RunAction(ctx, g, when, a, manual, r.actionEnv(g, when), r.log.Emit)
}

// actionEnv is what a script of group g is told: the group's items and
// every test VM up so far.
func (r *runner) actionEnv(g int, when string) drill.ActionEnv {
	env := drill.ActionEnv{Drill: r.spec.Name, Phase: when, Group: g, TestNetwork: r.spec.TestNetworkID}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, st := range r.items {
		if st.group == g {
			env.Items = append(env.Items, st.res.ItemID)
		}
		if st.res.Address != "" {
			env.TestVMs = append(env.TestVMs, st.res.TestVMName)
			env.Addresses = append(env.Addresses, st.res.Address)
		}
	}
	return env
}
