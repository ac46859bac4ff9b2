package drill

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// The cutover drill and real DR invocation: a planned or unplanned
// failover of a recovery plan's items, commit, re-protect and optionally
// failback. Unlike Run, nothing is undone at the end: a failover is the
// point. Approval is the caller's business (package approval): RunFailover
// starts what it is asked to.

// Failover types.
const (
	FailoverPlanned   = "planned"
	FailoverUnplanned = "unplanned"
)

// Cutover event phases.
const (
	PhaseFailover       = "failover"
	PhaseFailoverDone   = "failover-done"
	PhaseCommit         = "commit"
	PhaseCommitDone     = "commit-done"
	PhaseReprotect      = "reprotect"
	PhaseReprotectDone  = "reprotect-done"
	PhaseFailback       = "failback"
	PhaseFailbackDone   = "failback-done"
	PhaseDNS            = "dns"
	PhaseRecovered      = "recovered"
	PhaseProtectedAgain = "protected"
)

// Site Recovery failover directions.
const (
	dirPrimaryToRecovery = "PrimaryToRecovery"
	dirRecoveryToPrimary = "RecoveryToPrimary"
)

// FailoverSpec describes a real failover of a recovery plan's items.
type FailoverSpec struct {
	Name string
	// Groups fail over in order; the items of a group in parallel, between
	// the group's Pre and Post actions (run on the way to the recovery
	// side; a failback runs none). Manual steps are skipped, or fail the
	// failover when Required: a person approved it, nobody attends it.
	Groups []Group
	// Type is FailoverPlanned (the primary is reachable: final sync, no
	// data loss, the source VMs are shut down) or FailoverUnplanned.
	Type string
	// RecoveryPoint chooses each item's point (unplanned only; default
	// latest_processed).
	RecoveryPoint Selector
	// Reprotect starts replication back to the primary after the commit.
	Reprotect bool
	// Failback, after re-protect, fails the items back to the primary
	// (planned, RecoveryToPrimary), commits and re-protects them again.
	// It needs Reprotect.
	Failback bool
	// SwitchDNS, when set, points Geo-DNS at the recovery side (toRecovery
	// true, after the commit) or back at the primary (after the failback),
	// and returns the endpoint DNS answered with.
	SwitchDNS func(ctx context.Context, toRecovery bool) (answer string, err error)
	// Events receives every event as it happens (synchronously).
	Events func(Event)
	// Clock and TimeScale as in Spec.
	Clock     func() time.Time
	TimeScale float64
}

// FailoverResult is what a failover did and measured. RunFailover returns
// it even when it fails.
type FailoverResult struct {
	Name      string
	StartedAt time.Time
	// RecoveredAt is when the last group was committed (and DNS switched,
	// when asked): the application runs on the recovery side.
	RecoveredAt   time.Time
	CommittedAt   time.Time
	ReprotectedAt time.Time
	FailedBackAt  time.Time
	// MeasuredRTO is StartedAt to RecoveredAt.
	MeasuredRTO time.Duration
	// DNSAnswerAfter is the endpoint DNS answered after the switch to the
	// recovery side, DNSAnswerBack after the failback.
	DNSAnswerAfter string
	DNSAnswerBack  string
	Items          []FailoverItem
	Events         []Event
}

// FailoverItem is one item's course.
type FailoverItem struct {
	ItemID              string
	Group               int
	VMName              string
	RecoveryPoint       RecoveryPoint
	FailoverStartedAt   time.Time
	FailoverCompletedAt time.Time
	CommittedAt         time.Time
	ReprotectedAt       time.Time
	FailedBackAt        time.Time
	// ProtectionState and ActiveLocation as Site Recovery reported them at
	// the end.
	ProtectionState string
	ActiveLocation  string
}

// Validate reports every problem of the spec, each naming its field.
func (s FailoverSpec) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if strings.TrimSpace(s.Name) == "" {
		add("Name: a failover needs a name")
	}
	if len(s.Groups) == 0 {
		add("Groups: a failover needs at least one group with one item")
	}
	seen := map[string]bool{}
	for g, grp := range s.Groups {
		if len(grp.Items) == 0 {
			add("Groups[%d].Items: empty group", g)
		}
		for i, it := range grp.Items {
			if _, err := parseItemID(it.ID); err != nil {
				add("Groups[%d].Items[%d].ID: %v", g, i, err)
				continue
			}
			if seen[strings.ToLower(it.ID)] {
				add("Groups[%d].Items[%d].ID: item %s is listed twice", g, i, it.ID)
			}
			seen[strings.ToLower(it.ID)] = true
		}
		for _, side := range []struct {
			when string
			list []Action
		}{{"Pre", grp.Pre}, {"Post", grp.Post}} {
			when := side.when
			for i, a := range side.list {
				field := fmt.Sprintf("Groups[%d].%s[%d]", g, when, i)
				validateAction(field, a, add)
				// Checked before anything starts: halfway through a real
				// failover is no time to find that nobody can do a step.
				if a.Type == ActionManual && a.Required {
					add("%s: the required manual step %q (%s) needs a person, and a failover from Terraform runs unattended: do the step first and make it not required, or fail over from the portal", field, a.Name, a.Description)
				}
			}
		}
	}
	switch s.Type {
	case FailoverPlanned:
		if s.RecoveryPoint.Kind != "" {
			add("RecoveryPoint.Kind: a planned failover synchronises the latest data; no recovery point is chosen")
		}
	case FailoverUnplanned:
		switch s.RecoveryPoint.Kind {
		case "", PointLatest, PointLatestProcessed, PointLatestAppConsistent:
		default:
			add("RecoveryPoint.Kind: %q is not one of %s, %s, %s", s.RecoveryPoint.Kind, PointLatest, PointLatestProcessed, PointLatestAppConsistent)
		}
	default:
		add("Type: %q is not %q or %q", s.Type, FailoverPlanned, FailoverUnplanned)
	}
	if s.Failback && !s.Reprotect {
		add("Failback: a failback needs Reprotect (the items must replicate back to the primary first)")
	}
	if s.TimeScale < 0 {
		add("TimeScale: negative")
	}
	return errors.Join(errs...)
}

type cutover struct {
	c     *azure.Client
	spec  FailoverSpec
	clock clock
	res   *FailoverResult
	infos []*itemInfo // in group order, parallel to res.Items

	mu sync.Mutex
}

// RunFailover fails the spec's groups over in order (the items of a group
// in parallel), commits each item, then optionally re-protects and fails
// back. Every item is read and checked (Protected, active on the primary,
// planned/unplanned failover allowed) before anything starts. The result
// is non-nil even on error.
func RunFailover(ctx context.Context, c *azure.Client, spec FailoverSpec) (*FailoverResult, error) {
	r := &cutover{c: c, spec: spec, res: &FailoverResult{Name: spec.Name}, clock: clock{now: time.Now, scale: 1}}
	fail := func(err error) (*FailoverResult, error) {
		r.emit(PhaseError, 0, "", err.Error())
		r.emit(PhaseVerdict, 0, "", "failed")
		return r.res, fmt.Errorf("failover %q: %w", spec.Name, err)
	}
	if err := spec.Validate(); err != nil {
		r.res.StartedAt = r.clock.now()
		return fail(fmt.Errorf("invalid spec: %w", err))
	}
	if c == nil {
		r.res.StartedAt = r.clock.now()
		return fail(errors.New("no Azure client"))
	}
	if spec.Clock != nil {
		r.clock = clock{now: spec.Clock, scale: max(spec.TimeScale, 0)}
		if r.clock.scale == 0 {
			r.clock.scale = 1
		}
	} else {
		ck, err := c.Clock(ctx)
		if err != nil {
			r.res.StartedAt = r.clock.now()
			return fail(fmt.Errorf("reading the endpoint's clock: %w", err))
		}
		r.clock = clock{now: ck.Now, scale: ck.Scale}
		if spec.TimeScale > 0 {
			r.clock.scale = spec.TimeScale
		}
	}
	r.res.StartedAt = r.clock.now()
	if err := r.readItems(ctx); err != nil {
		return fail(err)
	}
	r.emit(PhaseValidate, 0, "", fmt.Sprintf("%s failover %q: %d group(s), %d item(s), every item protected and active on the primary", spec.Type, spec.Name, len(spec.Groups), len(r.infos)))
	if err := r.run(ctx); err != nil {
		r.refresh(context.WithoutCancel(ctx))
		return fail(err)
	}
	r.refresh(ctx)
	r.emit(PhaseVerdict, 0, "", "done")
	return r.res, nil
}

func (r *cutover) emit(phase string, group int, item, msg string) {
	now := r.clock.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	e := Event{Time: now, Phase: phase, Group: group, Item: item, Message: msg}
	if !r.res.StartedAt.IsZero() {
		e.Elapsed = now.Sub(r.res.StartedAt)
	}
	r.res.Events = append(r.res.Events, e)
	if r.spec.Events != nil {
		r.spec.Events(e)
	}
}

// readItems reads every item before anything starts and refuses one not
// ready for a failover to the recovery region.
func (r *cutover) readItems(ctx context.Context) error {
	op := "PlannedFailover"
	if r.spec.Type == FailoverUnplanned {
		op = "UnplannedFailover"
	}
	for g, grp := range r.spec.Groups {
		for _, it := range grp.Items {
			info, err := findItem(ctx, r.c, it.ID)
			if err != nil {
				return fmt.Errorf("validate: reading item %s: %w", it.ID, err)
			}
			st, err := itemStatus(ctx, r.c, info.ID)
			if err != nil {
				return fmt.Errorf("validate: reading item %s: %w", it.ID, err)
			}
			if !strings.EqualFold(st.active, "Primary") || !strings.EqualFold(st.protection, "Protected") {
				return fmt.Errorf("validate: item %s is %s with its active location %s: a failover to the recovery region starts from Protected on the primary", it.ID, st.protection, st.active)
			}
			if len(st.allowed) > 0 && !containsFold(st.allowed, op) {
				return fmt.Errorf("validate: item %s does not allow %s now (allowed: %s)", it.ID, op, strings.Join(st.allowed, ", "))
			}
			r.infos = append(r.infos, info)
			r.res.Items = append(r.res.Items, FailoverItem{ItemID: it.ID, Group: g + 1, VMName: info.SourceVMName})
		}
	}
	return nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

type status struct {
	protection, active string
	allowed            []string
}

func itemStatus(ctx context.Context, c *azure.Client, id itemID) (status, error) {
	item, err := azure.FindProtectedItem(ctx, c, id)
	if err != nil {
		return status{}, err
	}
	var st status
	if p := item.Properties; p != nil {
		st.protection, st.active = deref(p.ProtectionState), deref(p.ActiveLocation)
		for _, a := range p.AllowedOperations {
			if a != nil {
				st.allowed = append(st.allowed, *a)
			}
		}
	}
	return st, nil
}

// refresh records each item's final state (best effort).
func (r *cutover) refresh(ctx context.Context) {
	for i, info := range r.infos {
		if st, err := itemStatus(ctx, r.c, info.ID); err == nil {
			r.set(i, func(it *FailoverItem) { it.ProtectionState, it.ActiveLocation = st.protection, st.active })
		}
	}
}

func (r *cutover) set(i int, f func(*FailoverItem)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&r.res.Items[i])
}

func (r *cutover) run(ctx context.Context) error {
	for g, grp := range r.spec.Groups {
		for _, a := range grp.Pre {
			if err := runAction(ctx, g+1, "pre", a, nil, r.actionEnv(g+1, "pre"), r.emit); err != nil {
				return err
			}
		}
		if err := r.group(ctx, g+1, "failover", r.failoverItem); err != nil {
			return err
		}
		for _, a := range grp.Post {
			if err := runAction(ctx, g+1, "post", a, nil, r.actionEnv(g+1, "post"), r.emit); err != nil {
				return err
			}
		}
	}
	r.res.CommittedAt = r.clock.now()
	if r.spec.SwitchDNS != nil {
		r.emit(PhaseDNS, 0, "", "switching Geo-DNS to the recovery endpoints")
		ans, err := r.spec.SwitchDNS(ctx, true)
		if err != nil {
			return fmt.Errorf("dns: switching to the recovery endpoints: %w", err)
		}
		r.res.DNSAnswerAfter = ans
		r.emit(PhaseDNS, 0, "", "DNS answers the recovery endpoint "+ans)
	}
	r.res.RecoveredAt = r.clock.now()
	r.res.MeasuredRTO = r.res.RecoveredAt.Sub(r.res.StartedAt)
	r.emit(PhaseRecovered, 0, "", fmt.Sprintf("running on the recovery side after %s", r.res.MeasuredRTO.Round(time.Second)))
	if !r.spec.Reprotect {
		return nil
	}
	if err := r.all(ctx, "re-protect", func(ctx context.Context, i int) error { return r.reprotectItem(ctx, i, dirRecoveryToPrimary) }); err != nil {
		return err
	}
	r.res.ReprotectedAt = r.clock.now()
	if !r.spec.Failback {
		return nil
	}
	for g := range r.spec.Groups {
		if err := r.group(ctx, g+1, "failback", r.failbackItem); err != nil {
			return err
		}
	}
	r.res.FailedBackAt = r.clock.now()
	if r.spec.SwitchDNS != nil {
		r.emit(PhaseDNS, 0, "", "switching Geo-DNS back to the primary endpoints")
		ans, err := r.spec.SwitchDNS(ctx, false)
		if err != nil {
			return fmt.Errorf("dns: switching back to the primary endpoints: %w", err)
		}
		r.res.DNSAnswerBack = ans
		r.emit(PhaseDNS, 0, "", "DNS answers the primary endpoint "+ans)
	}
	return r.all(ctx, "re-protect after failback", func(ctx context.Context, i int) error { return r.reprotectItem(ctx, i, dirPrimaryToRecovery) })
}

// actionEnv is the environment of a plan action during a failover.
func (r *cutover) actionEnv(g int, when string) actionEnv {
	env := actionEnv{Drill: r.spec.Name, Phase: when, Group: g}
	for i, it := range r.res.Items {
		if it.Group == g {
			env.Items = append(env.Items, r.infos[i].ID.String())
		}
	}
	return env
}

// group runs f on the items of group g in parallel; the first failure
// cancels the others.
func (r *cutover) group(ctx context.Context, g int, what string, f func(context.Context, int) error) error {
	var names []string
	var idx []int
	for i, it := range r.res.Items {
		if it.Group == g {
			idx = append(idx, i)
			names = append(names, r.infos[i].ID.Name)
		}
	}
	r.emit(PhaseGroupStart, g, "", fmt.Sprintf("group %d %s: %s", g, what, strings.Join(names, ", ")))
	return r.parallel(ctx, idx, f)
}

// all runs f on every item in parallel.
func (r *cutover) all(ctx context.Context, what string, f func(context.Context, int) error) error {
	idx := make([]int, len(r.infos))
	for i := range idx {
		idx[i] = i
	}
	r.emit(PhaseGroupStart, 0, "", what+" of every item")
	return r.parallel(ctx, idx, f)
}

func (r *cutover) parallel(ctx context.Context, idx []int, f func(context.Context, int) error) error {
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var emu sync.Mutex
	var errs []error
	for _, i := range idx {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(gctx, i); err != nil {
				emu.Lock()
				if len(errs) == 0 || !errors.Is(err, context.Canceled) || ctx.Err() != nil {
					errs = append(errs, err)
				}
				emu.Unlock()
				cancel()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (r *cutover) itemErr(i int, phase string, err error) error {
	it := r.res.Items[i]
	r.emit(PhaseError, it.Group, r.infos[i].ID.Name, phase+": "+azure.Describe(err))
	return fmt.Errorf("group %d, item %s: %s: %w", it.Group, it.ItemID, phase, err)
}

// failoverItem fails item i over to the recovery region and commits.
func (r *cutover) failoverItem(ctx context.Context, i int) error {
	info := r.infos[i]
	id, name, g := info.ID, info.ID.Name, r.res.Items[i].Group
	var err error
	started := r.clock.now()
	if r.spec.Type == FailoverPlanned {
		r.set(i, func(it *FailoverItem) { it.FailoverStartedAt = started })
		r.emit(PhaseFailover, g, name, "planned failover to the recovery region (final sync, the source VM shuts down)")
		err = plannedFailover(ctx, r.c, id, dirPrimaryToRecovery)
	} else {
		points, lerr := listPoints(ctx, r.c, id)
		if lerr != nil {
			return r.itemErr(i, "listing recovery points", lerr)
		}
		sel := r.spec.RecoveryPoint
		if sel.Kind == "" {
			sel.Kind = PointLatestProcessed
		}
		p, use, cerr := choosePoint(points, sel)
		if cerr != nil {
			return r.itemErr(i, "choosing the recovery point", cerr)
		}
		pointID := ""
		if use {
			pointID = p.ID
		}
		r.set(i, func(it *FailoverItem) {
			it.RecoveryPoint = RecoveryPoint{ID: pointID, Time: p.Time, Type: p.Type}
			it.FailoverStartedAt = started
		})
		r.emit(PhaseRecoveryPoint, g, name, fmt.Sprintf("%s point of %s (%s)", p.Type, p.Time.UTC().Format(time.RFC3339), sel.Kind))
		r.emit(PhaseFailover, g, name, "unplanned failover to the recovery region")
		err = unplannedFailover(ctx, r.c, id, pointID)
	}
	if err != nil {
		return r.itemErr(i, "failover", err)
	}
	done := r.clock.now()
	r.set(i, func(it *FailoverItem) { it.FailoverCompletedAt = done })
	r.emit(PhaseFailoverDone, g, name, fmt.Sprintf("failed over in %s", done.Sub(started).Round(time.Second)))
	r.emit(PhaseCommit, g, name, "commit")
	if err := commit(ctx, r.c, id); err != nil {
		return r.itemErr(i, "commit", err)
	}
	at := r.clock.now()
	r.set(i, func(it *FailoverItem) { it.CommittedAt = at })
	r.emit(PhaseCommitDone, g, name, "committed: the recovery VM is production")
	return nil
}

// reprotectItem starts replication the way dir says and waits until the
// item is Protected again.
func (r *cutover) reprotectItem(ctx context.Context, i int, dir string) error {
	id, name, g := r.infos[i].ID, r.infos[i].ID.Name, r.res.Items[i].Group
	r.emit(PhaseReprotect, g, name, "re-protect "+dir)
	in := asr.ReverseReplicationInput{Properties: &asr.ReverseReplicationInputProperties{FailoverDirection: ptr(dir)}}
	poller, err := r.c.ProtectedItems().BeginReprotect(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
	if err == nil {
		_, err = azure.Wait(ctx, poller)
	}
	if err != nil {
		return r.itemErr(i, "re-protect", err)
	}
	if err := r.awaitProtected(ctx, id); err != nil {
		return r.itemErr(i, "waiting for the initial replication after re-protect", err)
	}
	at := r.clock.now()
	if dir == dirRecoveryToPrimary {
		r.set(i, func(it *FailoverItem) { it.ReprotectedAt = at })
	}
	r.emit(PhaseReprotectDone, g, name, "protected again, replicating "+dir)
	return nil
}

// failbackItem fails a re-protected item back to the primary (planned) and
// commits.
func (r *cutover) failbackItem(ctx context.Context, i int) error {
	id, name, g := r.infos[i].ID, r.infos[i].ID.Name, r.res.Items[i].Group
	r.emit(PhaseFailback, g, name, "planned failover back to the primary region")
	if err := plannedFailover(ctx, r.c, id, dirRecoveryToPrimary); err != nil {
		return r.itemErr(i, "failback", err)
	}
	if err := commit(ctx, r.c, id); err != nil {
		return r.itemErr(i, "failback commit", err)
	}
	at := r.clock.now()
	r.set(i, func(it *FailoverItem) { it.FailedBackAt = at })
	r.emit(PhaseFailbackDone, g, name, "back on the primary, committed")
	return nil
}

// awaitProtected waits until the item's protectionState is Protected
// (re-protect is followed by an initial replication).
func (r *cutover) awaitProtected(ctx context.Context, id itemID) error {
	return azure.Await(ctx, func(ctx context.Context) (bool, time.Duration, error) {
		st, err := itemStatus(ctx, r.c, id)
		if err != nil {
			return false, 0, err
		}
		return strings.EqualFold(st.protection, "Protected"), 0, nil
	})
}

func plannedFailover(ctx context.Context, c *azure.Client, id itemID, dir string) error {
	in := asr.PlannedFailoverInput{Properties: &asr.PlannedFailoverInputProperties{FailoverDirection: ptr(dir)}}
	poller, err := c.ProtectedItems().BeginPlannedFailover(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}

func unplannedFailover(ctx context.Context, c *azure.Client, id itemID, pointID string) error {
	a2a := &asr.A2AUnplannedFailoverInput{InstanceType: ptr("A2A")}
	if pointID != "" {
		a2a.RecoveryPointID = ptr(pointID)
	}
	in := asr.UnplannedFailoverInput{Properties: &asr.UnplannedFailoverInputProperties{
		FailoverDirection:       ptr(dirPrimaryToRecovery),
		SourceSiteOperations:    ptr("NotRequired"),
		ProviderSpecificDetails: a2a,
	}}
	poller, err := c.ProtectedItems().BeginUnplannedFailover(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}

func commit(ctx context.Context, c *azure.Client, id itemID) error {
	poller, err := c.ProtectedItems().BeginFailoverCommit(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, nil)
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}
