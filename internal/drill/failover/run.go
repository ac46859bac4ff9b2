package failover

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/siterecovery"
)

// runner is one failover while it runs.
type runner struct {
	c     *azure.Client
	spec  Spec
	log   drill.Log // the events, on the failover's clock
	res   *Result
	infos []*siterecovery.Item // in group order, parallel to res.Items

	mu sync.Mutex // guards res.Items
}

// Run fails the spec's groups over in order (the items of a group in
// parallel), commits each item, then optionally re-protects and fails
// back. Every item is read and checked (Protected, active on the primary,
// unplanned failover allowed) before anything starts. The result
// is non-nil even on error.
func Run(ctx context.Context, c *azure.Client, spec Spec) (*Result, error) {
	r := &runner{c: c, spec: spec, res: &Result{Name: spec.Name}}
	r.log.Clock, r.log.OnEvent = drill.WallClock(), spec.Events
	defer func() { r.res.Events = r.log.Events() }()
	fail := func(err error) (*Result, error) {
		r.log.Emit(drill.PhaseError, 0, "", err.Error())
		r.log.Emit(drill.PhaseVerdict, 0, "", "failed")
		return r.res, fmt.Errorf("failover %q: %w", spec.Name, err)
	}
	if err := spec.Validate(); err != nil {
		r.res.StartedAt = r.log.Start()
		return fail(fmt.Errorf("invalid spec: %w", err))
	}
	if c == nil {
		r.res.StartedAt = r.log.Start()
		return fail(errors.New("no Azure client"))
	}
	clock, err := drill.ChooseClock(ctx, c, spec.Clock, spec.TimeScale)
	if err != nil {
		r.res.StartedAt = r.log.Start()
		return fail(err)
	}
	r.log.Clock = clock
	r.res.StartedAt = r.log.Start()
	if err := r.readItems(ctx); err != nil {
		return fail(err)
	}
	r.log.Emit(drill.PhaseValidate, 0, "", fmt.Sprintf("unplanned failover %q (%s): %d group(s), %d item(s), every item protected and active on the primary", spec.Name, shutdownNote(spec.ShutdownSourceVMs), len(spec.Groups), len(r.infos)))
	if err := r.run(ctx); err != nil {
		r.refresh(context.WithoutCancel(ctx))
		return fail(err)
	}
	r.refresh(ctx)
	r.log.Emit(drill.PhaseVerdict, 0, "", "done")
	return r.res, nil
}

// readItems reads every item before anything starts and refuses one not
// ready for a failover to the recovery region.
func (r *runner) readItems(ctx context.Context) error {
	const op = "UnplannedFailover"
	for g, grp := range r.spec.Groups {
		for _, it := range grp.Items {
			info, err := siterecovery.FindItem(ctx, r.c, it.ID)
			if err != nil {
				return fmt.Errorf("validate: reading item %s: %w", it.ID, err)
			}
			st, err := siterecovery.FindStatus(ctx, r.c, info.ID)
			if err != nil {
				return fmt.Errorf("validate: reading item %s: %w", it.ID, err)
			}
			if !strings.EqualFold(st.Active, "Primary") || !strings.EqualFold(st.Protection, "Protected") {
				return fmt.Errorf("validate: item %s is %s with its active location %s: a failover to the recovery region starts from Protected on the primary", it.ID, st.Protection, st.Active)
			}
			if len(st.Allowed) > 0 && !containsFold(st.Allowed, op) {
				return fmt.Errorf("validate: item %s does not allow %s now (allowed: %s)", it.ID, op, strings.Join(st.Allowed, ", "))
			}
			r.infos = append(r.infos, info)
			r.res.Items = append(r.res.Items, ItemResult{ItemID: it.ID, Group: g + 1, VMName: info.SourceVMName})
		}
	}
	return nil
}

// refresh records each item's final state (best effort).
func (r *runner) refresh(ctx context.Context) {
	for i, info := range r.infos {
		if st, err := siterecovery.FindStatus(ctx, r.c, info.ID); err == nil {
			r.set(i, func(it *ItemResult) { it.ProtectionState, it.ActiveLocation = st.Protection, st.Active })
		}
	}
}

// set changes item i's result under the lock.
func (r *runner) set(i int, f func(*ItemResult)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&r.res.Items[i])
}

// run is everything after validation: the groups to the recovery side,
// DNS, then re-protect and failback when asked.
func (r *runner) run(ctx context.Context) error {
	for g, grp := range r.spec.Groups {
		for _, a := range grp.Pre {
			if err := drill.RunAction(ctx, g+1, "pre", a, nil, r.actionEnv(g+1, "pre"), r.log.Emit); err != nil {
				return err
			}
		}
		if err := r.group(ctx, g+1, "failover", r.failoverItem); err != nil {
			return err
		}
		for _, a := range grp.Post {
			if err := drill.RunAction(ctx, g+1, "post", a, nil, r.actionEnv(g+1, "post"), r.log.Emit); err != nil {
				return err
			}
		}
	}
	r.res.CommittedAt = r.log.Clock.Now()
	if err := r.switchDNS(ctx, true); err != nil {
		return err
	}
	r.res.RecoveredAt = r.log.Clock.Now()
	r.res.MeasuredRTO = r.res.RecoveredAt.Sub(r.res.StartedAt)
	r.log.Emit(PhaseRecovered, 0, "", fmt.Sprintf("running on the recovery side after %s", r.res.MeasuredRTO.Round(time.Second)))
	if !r.spec.Reprotect {
		return nil
	}
	if err := r.all(ctx, "re-protect", func(ctx context.Context, i int) error { return r.reprotectItem(ctx, i, dirRecoveryToPrimary) }); err != nil {
		return err
	}
	r.res.ReprotectedAt = r.log.Clock.Now()
	if !r.spec.Failback {
		return nil
	}
	for g := range r.spec.Groups {
		if err := r.group(ctx, g+1, "failback", r.failbackItem); err != nil {
			return err
		}
	}
	r.res.FailedBackAt = r.log.Clock.Now()
	if err := r.switchDNS(ctx, false); err != nil {
		return err
	}
	return r.all(ctx, "re-protect after failback", func(ctx context.Context, i int) error { return r.reprotectItem(ctx, i, dirPrimaryToRecovery) })
}

// switchDNS, when the spec asks for it, points Geo-DNS at the recovery
// side (toRecovery) or back at the primary, and records what DNS answers
// in DNSAnswerAfter or DNSAnswerBack.
func (r *runner) switchDNS(ctx context.Context, toRecovery bool) error {
	if r.spec.SwitchDNS == nil {
		return nil
	}
	side, switching, answer := "recovery", "to the recovery endpoints", &r.res.DNSAnswerAfter
	if !toRecovery {
		side, switching, answer = "primary", "back to the primary endpoints", &r.res.DNSAnswerBack
	}
	r.log.Emit(PhaseDNS, 0, "", "switching Geo-DNS "+switching)
	ans, err := r.spec.SwitchDNS(ctx, toRecovery)
	if err != nil {
		return fmt.Errorf("dns: switching %s: %w", switching, err)
	}
	*answer = ans
	r.log.Emit(PhaseDNS, 0, "", "DNS answers the "+side+" endpoint "+ans)
	return nil
}

// actionEnv is the environment of a plan action during a failover.
func (r *runner) actionEnv(g int, when string) drill.ActionEnv {
	env := drill.ActionEnv{Drill: r.spec.Name, Phase: when, Group: g}
	for i, it := range r.res.Items {
		if it.Group == g {
			env.Items = append(env.Items, r.infos[i].ID.String())
		}
	}
	return env
}

// group runs f on the items of group g in parallel; the first failure
// cancels the others.
func (r *runner) group(ctx context.Context, g int, what string, f func(context.Context, int) error) error {
	var names []string
	var idx []int
	for i, it := range r.res.Items {
		if it.Group == g {
			idx = append(idx, i)
			names = append(names, r.infos[i].ID.Name)
		}
	}
	r.log.Emit(drill.PhaseGroupStart, g, "", fmt.Sprintf("group %d %s: %s", g, what, strings.Join(names, ", ")))
	return drill.Parallel(ctx, idx, f)
}

// all runs f on every item in parallel.
func (r *runner) all(ctx context.Context, what string, f func(context.Context, int) error) error {
	idx := make([]int, len(r.infos))
	for i := range idx {
		idx[i] = i
	}
	r.log.Emit(drill.PhaseGroupStart, 0, "", what+" of every item")
	return drill.Parallel(ctx, idx, f)
}

// itemErr records item i's failure in phase and names the item in it.
func (r *runner) itemErr(i int, phase string, err error) error {
	it := r.res.Items[i]
	r.log.Emit(drill.PhaseError, it.Group, r.infos[i].ID.Name, phase+": "+azure.Describe(err))
	return fmt.Errorf("group %d, item %s: %s: %w", it.Group, it.ItemID, phase, err)
}

// shutdownNote says what happens to the source VMs.
func shutdownNote(shutdown bool) string {
	if shutdown {
		return "the source VMs shut down first"
	}
	return "the source VMs left as they are"
}
