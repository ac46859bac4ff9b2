package drill

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// Defaults and bounds.
const (
	DefaultCheckInterval = 5 * time.Second
	DefaultCheckTimeout  = 10 * time.Second
	// CleanupTimeout bounds cleanup, which runs on a context detached from
	// the caller's cancellation: a cancelled drill still cleans up.
	CleanupTimeout = 30 * time.Minute
	// verifyTimeout bounds the wait for a test VM to be gone after cleanup.
	verifyTimeout = 2 * time.Minute
)

// testFailoverStateNone is an item's testFailoverState without a pending
// test failover.
const testFailoverStateNone = "None"

// clock is the drill's time: all its timestamps and measured durations are
// on it. scale (its seconds per real second) converts durations the spec
// gives on this clock into real waits; it is used in wait only.
type clock struct {
	now   func() time.Time
	scale float64
}

// wait sleeps d of the drill's clock (d/scale of real time).
func (c clock) wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	return sleep(ctx, time.Duration(float64(d)/c.scale))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// itemState is one item while the drill runs.
type itemState struct {
	info  *itemInfo
	group int
	res   ItemResult

	mu sync.Mutex
	// maybeFailedOver: a test failover was asked for and not refused; the
	// item needs cleanup.
	maybeFailedOver bool
	poller          *runtime.Poller[asr.ReplicationProtectedItemsClientTestFailoverResponse]
	failoverEnded   bool
	// failedOver: the test failover succeeded, so the item is known to
	// await cleanup, which can start without reading the item first.
	failedOver bool
	// cleaned is the item as its cleanup left it, when one ran to its end.
	cleaned *itemInfo
	// points are the item's recovery points listed before its failover
	// (used by the item's own goroutine only).
	points []point
}

type runner struct {
	c     *azure.Client
	spec  Spec
	clock clock
	res   *Result
	items []*itemState // in group order

	mu sync.Mutex // guards res.Events and the ItemResults' fields read by actions
}

// Run runs a parallel drill: validation, the isolation check, the canary,
// each group's actions, test failovers and checks, then cleanup, which
// always runs. It returns the result, non-nil even on error, with what was
// measured. A breached objective is not an error: Result.Passed is false and
// Result.Breaches says why. Errors name the phase and the item.
func Run(ctx context.Context, c *azure.Client, spec Spec) (res *Result, err error) {
	r := &runner{c: c, spec: spec, res: &Result{Name: spec.Name}}
	if spec.CheckInterval == 0 {
		r.spec.CheckInterval = DefaultCheckInterval
	}
	if spec.CheckTimeout == 0 {
		r.spec.CheckTimeout = DefaultCheckTimeout
	}
	// Validation needs no clock: time it on the wall clock.
	r.clock = clock{now: time.Now, scale: 1}
	if err := spec.Validate(); err != nil {
		r.res.StartedAt = r.clock.now()
		r.emit(PhaseValidate, 0, "", "invalid drill: "+err.Error())
		r.emit(PhaseVerdict, 0, "", "failed")
		return r.res, fmt.Errorf("drill %q: invalid spec: %w", spec.Name, err)
	}
	if c == nil {
		r.res.StartedAt = r.clock.now()
		r.emit(PhaseVerdict, 0, "", "failed: no Azure client")
		return r.res, fmt.Errorf("drill %q: no Azure client", spec.Name)
	}
	if err := r.setClock(ctx); err != nil {
		r.res.StartedAt = r.clock.now()
		r.emit(PhaseVerdict, 0, "", "failed: "+err.Error())
		return r.res, fmt.Errorf("drill %q: %w", spec.Name, err)
	}
	r.res.StartedAt = r.clock.now()
	r.emit(PhaseValidate, 0, "", fmt.Sprintf("drill %q: %d group(s), %d check(s), test network %s", spec.Name, len(spec.Groups), len(spec.Checks), spec.TestNetworkID))
	defer func() {
		cerr := r.cleanup(ctx)
		err = r.verdict(err, cerr)
		res = r.res
	}()
	return r.res, r.drill(ctx)
}

// setClock picks the clock: the spec's, else the client's.
func (r *runner) setClock(ctx context.Context) error {
	if r.spec.Clock != nil {
		scale := r.spec.TimeScale
		if scale == 0 {
			scale = 1
		}
		r.clock = clock{now: r.spec.Clock, scale: scale}
		return nil
	}
	ck, err := r.c.Clock(ctx)
	if err != nil {
		return fmt.Errorf("reading the endpoint's clock: %w", err)
	}
	scale := r.spec.TimeScale
	if scale == 0 {
		scale = ck.Scale
	}
	r.clock = clock{now: ck.Now, scale: scale}
	return nil
}

// emit records an event and hands it to the spec's Events.
func (r *runner) emit(phase string, group int, item, msg string) {
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

// drill is everything before cleanup.
func (r *runner) drill(ctx context.Context) error {
	if err := r.readItems(ctx); err != nil {
		return err
	}
	if err := checkIsolation(ctx, r.c, r.spec.TestNetworkID, r.infos()); err != nil {
		r.emit(PhaseIsolation, 0, "", err.Error())
		return fmt.Errorf("isolation: %w", err)
	}
	r.emit(PhaseIsolation, 0, "", "the test network has no peerings and is no item's production or recovery network")
	if err := r.canary(ctx); err != nil {
		return fmt.Errorf("canary: %w", err)
	}
	r.res.RecoveryStartedAt = r.clock.now()
	for g, grp := range r.spec.Groups {
		if err := r.runGroup(ctx, g+1, grp); err != nil {
			return err
		}
	}
	if err := r.onceChecks(ctx); err != nil {
		return err
	}
	r.res.ChecksPassedAt = r.clock.now()
	r.emit(PhaseChecksPassed, 0, "", "every check passed")
	return nil
}

func (r *runner) infos() []*itemInfo {
	out := make([]*itemInfo, len(r.items))
	for i, st := range r.items {
		out[i] = st.info
	}
	return out
}

// readConcurrency bounds the item reads a drill makes at once: a drill of
// fifty VMs reads them side by side rather than one after the other, within
// what ARM lets one client do.
const readConcurrency = 16

// readItems reads every item before anything starts: it must exist, be
// A2A and have no test failover pending. Items are read concurrently; the
// source VMs' networks (for the isolation check) are read in one list of
// network interfaces per resource group.
func (r *runner) readItems(ctx context.Context) error {
	type read struct {
		group int
		id    string
		info  *itemInfo
		err   error
	}
	var reads []*read
	for g, grp := range r.spec.Groups {
		for _, it := range grp.Items {
			reads = append(reads, &read{group: g + 1, id: it.ID})
		}
	}
	sem := make(chan struct{}, readConcurrency)
	var wg sync.WaitGroup
	for _, rd := range reads {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			rd.info, rd.err = findItem(ctx, r.c, rd.id)
		}()
	}
	wg.Wait()
	var vmIDs []string
	for _, rd := range reads {
		if rd.err != nil {
			r.emit(PhaseValidate, rd.group, lastSegment(rd.id), "cannot read the item: "+azure.Describe(rd.err))
			return fmt.Errorf("validate: reading item %s: %w", rd.id, rd.err)
		}
		if rd.info.SourceVMID != "" {
			vmIDs = append(vmIDs, rd.info.SourceVMID)
		}
	}
	nets, failed := productionNetworksOf(ctx, r.c, vmIDs)
	for _, rd := range reads {
		info := rd.info
		vm := strings.ToLower(info.SourceVMID)
		if err, ok := failed[vm]; ok || info.SourceVMID == "" {
			if err == nil {
				err = errors.New("Site Recovery reports no source VM id")
			}
			r.emit(PhaseValidate, rd.group, info.ID.Name, "cannot read the source VM's networks (relying on Site Recovery's view): "+azure.Describe(err))
		} else {
			info.ProductionNetworkIDs = append(info.ProductionNetworkIDs, nets[vm]...)
		}
		if info.TestFailoverState != "" && !strings.EqualFold(info.TestFailoverState, testFailoverStateNone) {
			return fmt.Errorf("validate: item %s has a test failover pending (testFailoverState %q): clean it up first, the drill starts from a clean state", rd.id, info.TestFailoverState)
		}
		st := &itemState{info: info, group: rd.group}
		st.res = ItemResult{ItemID: rd.id, Group: rd.group, VMName: info.SourceVMName}
		r.items = append(r.items, st)
	}
	return nil
}

// canary writes the canary on the primary and waits for replication to
// carry it.
func (r *runner) canary(ctx context.Context) error {
	cn := r.spec.Canary
	if cn == nil {
		return nil
	}
	var targets []target
	if usesItem(cn.URL) {
		for _, st := range r.items {
			targets = append(targets, target{SourceVMName: st.info.SourceVMName, Item: st.info.ID.Name})
		}
	} else {
		targets = []target{{}}
	}
	for _, t := range targets {
		w, err := postCanary(ctx, t.expand(cn.URL), r.spec.Name)
		if err != nil {
			r.emit(PhaseCanary, 0, t.Item, err.Error())
			return err
		}
		for _, st := range r.items {
			// A write made once belongs to the item whose VM took it (the
			// site says which): the other items' data is their own.
			if (t.Item != "" && st.info.ID.Name == t.Item) || (t.Item == "" && w.VM != "" && strings.EqualFold(st.info.SourceVMName, w.VM)) {
				w.Item = st.res.ItemID
			}
		}
		r.res.Canaries = append(r.res.Canaries, w)
		r.emit(PhaseCanary, 0, t.Item, fmt.Sprintf("wrote data version %d on %s at %s", w.Version, w.VM, w.WrittenAt.UTC().Format(time.RFC3339Nano)))
	}
	if cn.Wait > 0 {
		r.emit(PhaseCanary, 0, "", fmt.Sprintf("waiting %s for replication to carry the canary", cn.Wait))
		return r.clock.wait(ctx, cn.Wait)
	}
	return nil
}

func postCanary(ctx context.Context, u, label string) (CanaryWrite, error) {
	ctx, cancel := context.WithTimeout(ctx, DefaultCheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader([]byte("drill "+label)))
	if err != nil {
		return CanaryWrite{}, err
	}
	req.Header.Set("Content-Type", "text/plain")
	resp, err := httpClient.Do(req)
	if err != nil {
		return CanaryWrite{}, fmt.Errorf("POST %s: %w", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		return CanaryWrite{}, fmt.Errorf("POST %s: status %d: %s", u, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	var out struct {
		VM        string    `json:"vm"`
		Version   int       `json:"version"`
		WrittenAt time.Time `json:"writtenAt"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Version <= 0 || out.WrittenAt.IsZero() {
		return CanaryWrite{}, fmt.Errorf("POST %s: expected {\"vm\",\"version\",\"writtenAt\"}, got %q", u, body)
	}
	return CanaryWrite{URL: u, VM: out.VM, Version: out.Version, WrittenAt: out.WrittenAt}, nil
}

// runGroup runs one group: pre actions, the items in parallel (failover,
// test VM, checks), post actions.
func (r *runner) runGroup(ctx context.Context, g int, grp Group) error {
	var ids []string
	for _, it := range grp.Items {
		ids = append(ids, lastSegment(it.ID))
	}
	r.emit(PhaseGroupStart, g, "", fmt.Sprintf("group %d: %s", g, strings.Join(ids, ", ")))
	for _, a := range grp.Pre {
		if err := r.runAction(ctx, g, "pre", a); err != nil {
			return err
		}
	}
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, 0, len(grp.Items))
	var emu sync.Mutex
	for _, st := range r.items {
		if st.group != g {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.runItem(gctx, st); err != nil {
				emu.Lock()
				// The first failure stops the group's other items; their
				// cancellation is not news.
				if len(errs) == 0 || !errors.Is(err, context.Canceled) || ctx.Err() != nil {
					errs = append(errs, err)
				}
				emu.Unlock()
				cancel()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for _, a := range grp.Post {
		if err := r.runAction(ctx, g, "post", a); err != nil {
			return err
		}
	}
	return nil
}

// runItem fails one item over and runs its checks until they pass.
func (r *runner) runItem(ctx context.Context, st *itemState) error {
	name := st.info.ID.Name
	fail := func(phase string, err error) error {
		r.emit(PhaseError, st.group, name, phase+": "+azure.Describe(err))
		return fmt.Errorf("group %d, item %s: %s: %w", st.group, st.res.ItemID, phase, err)
	}
	points, err := listPoints(ctx, r.c, st.info.ID)
	if err != nil {
		return fail("listing recovery points", err)
	}
	st.points = points
	p, use, err := choosePoint(points, r.spec.RecoveryPoint)
	if err != nil {
		return fail("choosing the recovery point", err)
	}
	pointID := ""
	if use {
		pointID = p.ID
	}
	r.setItem(st, func(it *ItemResult) { it.RecoveryPoint = RecoveryPoint{ID: pointID, Time: p.Time, Type: p.Type} })
	if use {
		r.emit(PhaseRecoveryPoint, st.group, name, fmt.Sprintf("%s point of %s (%s)", p.Type, p.Time.UTC().Format(time.RFC3339), r.kind()))
	} else {
		r.emit(PhaseRecoveryPoint, st.group, name, fmt.Sprintf("latest data (Site Recovery chooses); newest point %s", p.Time.UTC().Format(time.RFC3339)))
	}

	started := r.clock.now()
	r.setItem(st, func(it *ItemResult) { it.FailoverStartedAt = started })
	r.emit(PhaseTestFailover, st.group, name, "test failover into "+r.spec.TestNetworkID)
	poller, err := startTestFailover(ctx, r.c, st.info.ID, r.spec.TestNetworkID, pointID)
	st.mu.Lock()
	if err == nil || !refused(err) {
		st.maybeFailedOver = true
		st.poller = poller
	}
	st.mu.Unlock()
	if err != nil {
		return fail("starting the test failover", err)
	}
	tfo, err := azure.Wait(ctx, poller)
	if ctx.Err() == nil {
		st.mu.Lock()
		st.failoverEnded = true
		st.failedOver = err == nil
		st.mu.Unlock()
	}
	if err != nil {
		return fail("test failover", err)
	}
	done := r.clock.now()
	r.setItem(st, func(it *ItemResult) { it.FailoverCompletedAt = done })
	r.emit(PhaseTestFailoverDone, st.group, name, fmt.Sprintf("test failover done in %s", done.Sub(started).Round(time.Second)))

	vm, err := r.awaitTestVM(ctx, st, &tfo.ReplicationProtectedItem)
	if err != nil {
		return fail("finding the test VM", err)
	}
	r.setItem(st, func(it *ItemResult) {
		it.TestVMName, it.TestVMID, it.Address, it.PrivateIP = vm.Name, vm.ID, vm.address(), vm.PrivateIP
	})
	r.emit(PhaseTestVM, st.group, name, fmt.Sprintf("test VM %s at %s (private %s)", vm.Name, vm.address(), vm.PrivateIP))

	t := target{Address: vm.address(), PrivateIP: vm.PrivateIP, VMName: vm.Name, SourceVMName: st.info.SourceVMName, Item: name}
	obs, err := r.runChecks(ctx, st.group, name, t, true)
	if err != nil {
		return fmt.Errorf("group %d, item %s: %w", st.group, st.res.ItemID, err)
	}
	ready := r.clock.now()
	if obs == nil && r.spec.Canary != nil {
		obs = r.observeCanary(ctx, t)
	}
	r.setItem(st, func(it *ItemResult) {
		it.ReadyAt = ready
		if obs != nil {
			it.DataVersion, it.DataWrittenAt = obs.DataVersion, obs.WrittenAt
		}
	})
	msg := fmt.Sprintf("ready %s after the drill started", ready.Sub(r.res.StartedAt).Round(time.Second))
	if obs != nil {
		msg += fmt.Sprintf("; serves data version %d", obs.DataVersion)
	}
	r.emit(PhaseItemReady, st.group, name, msg)
	return nil
}

func (r *runner) kind() string {
	if r.spec.RecoveryPoint.Kind == "" {
		return PointLatest
	}
	return r.spec.RecoveryPoint.Kind
}

// setItem changes an item's result under the lock.
func (r *runner) setItem(st *itemState, f func(*ItemResult)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&st.res)
}

// awaitTestVM reads the item as the test failover left it (for the test
// VM's name and the point Site Recovery used): from the operation's result
// when it carries the item, else with a GET; then it waits until the test
// VM has an address.
func (r *runner) awaitTestVM(ctx context.Context, st *itemState, done *asr.ReplicationProtectedItem) (*testVM, error) {
	var info *itemInfo
	if done != nil && done.Properties != nil {
		info, _ = itemInfoOf(st.info.ID, st.info.RawID, done)
	}
	if info == nil {
		var err error
		if info, err = findItem(ctx, r.c, st.info.RawID); err != nil {
			return nil, err
		}
	}
	if info.FailoverPointID != "" && !strings.EqualFold(info.FailoverPointID, st.res.RecoveryPoint.ID) {
		// The point Site Recovery used: among those listed before the
		// failover, else (a point taken since) list them again.
		find := func(points []point) bool {
			for _, p := range points {
				if strings.EqualFold(p.ID, info.FailoverPointID) {
					r.setItem(st, func(it *ItemResult) { it.RecoveryPoint = RecoveryPoint{ID: p.ID, Time: p.Time, Type: p.Type} })
					return true
				}
			}
			return false
		}
		if !find(st.points) {
			if points, err := listPoints(ctx, r.c, st.info.ID); err == nil {
				find(points)
			}
		}
	}
	name := info.TestVMName
	if name == "" {
		name = info.SourceVMName + "-test"
	}
	st.mu.Lock()
	st.info.TestVMName = name
	if info.RecoveryGroup != "" {
		st.info.RecoveryGroup = info.RecoveryGroup
	}
	group := st.info.RecoveryGroup
	st.mu.Unlock()
	if group == "" {
		return nil, errors.New("Site Recovery reports no recovery resource group for the item")
	}
	var vm *testVM
	err := azure.Await(ctx, func(ctx context.Context) (bool, time.Duration, error) {
		var err error
		vm, err = findTestVM(ctx, r.c, group, name)
		if err != nil {
			return false, 0, err
		}
		return vm != nil && vm.address() != "", 0, nil
	})
	if err != nil {
		return nil, fmt.Errorf("test VM %s in resource group %s: %w", name, group, err)
	}
	return vm, nil
}

// runChecks runs the per-item (perItem) or the once checks against t until
// each has passed once. It returns what an http check saw of the data.
func (r *runner) runChecks(ctx context.Context, g int, item string, t target, perItem bool) (*observation, error) {
	var pending []Check
	for _, c := range r.spec.Checks {
		if c.perItem() == perItem {
			pending = append(pending, c)
		}
	}
	var obs *observation
	lastErr := map[string]string{}
	for {
		var still []Check
		for _, c := range pending {
			o, err := runCheck(ctx, c, t, r.spec.CheckTimeout)
			if ctx.Err() != nil {
				break
			}
			if err != nil {
				if lastErr[c.Name] != err.Error() {
					r.emit(PhaseCheckFailed, g, item, fmt.Sprintf("%s: %v (retrying every %s)", c.Name, err, r.spec.CheckInterval))
				}
				lastErr[c.Name] = err.Error()
				still = append(still, c)
				continue
			}
			if o != nil && obs == nil {
				obs = o
			}
			delete(lastErr, c.Name)
			r.emit(PhaseCheckPassed, g, item, c.Name)
		}
		if ctx.Err() != nil {
			still = pending
		}
		pending = still
		if len(pending) == 0 {
			return obs, nil
		}
		if err := sleep(ctx, r.spec.CheckInterval); err != nil || ctx.Err() != nil {
			var b strings.Builder
			for _, c := range pending {
				fmt.Fprintf(&b, "; %s", c.Name)
				if e := lastErr[c.Name]; e != "" {
					fmt.Fprintf(&b, " (last: %s)", e)
				}
			}
			return obs, fmt.Errorf("checks: not passed when the drill ended%s: %w", b.String(), ctx.Err())
		}
	}
}

// observeCanary reads the data a test VM serves when no http check saw it:
// GET / on the host of the first per-item http check.
func (r *runner) observeCanary(ctx context.Context, t target) *observation {
	for _, c := range r.spec.Checks {
		if c.Type != CheckHTTP || !c.perItem() {
			continue
		}
		u, err := url.Parse(t.expand(c.URL))
		if err != nil {
			return nil
		}
		u.Path, u.RawQuery, u.Fragment = "/", "", ""
		return fetchObservation(ctx, u.String(), r.spec.CheckTimeout)
	}
	return nil
}

// onceChecks runs the checks that are not per item, after the last group.
func (r *runner) onceChecks(ctx context.Context) error {
	for _, c := range r.spec.Checks {
		if !c.perItem() {
			_, err := r.runChecks(ctx, 0, "", target{}, false)
			return err
		}
	}
	return nil
}

// runAction runs a pre or post action of group g.
func (r *runner) runAction(ctx context.Context, g int, when string, a Action) error {
	manual := r.spec.Manual
	if r.spec.Unattended {
		manual = nil
	}
	return runAction(ctx, g, when, a, manual, r.actionEnv(g, when), r.emit)
}

// runAction runs one pre or post action of group g, for drills and
// failovers alike: a script runs locally with env; a manual step goes to
// manual, or without it (unattended) is skipped, or fails when Required.
func runAction(ctx context.Context, g int, when string, a Action, manual func(context.Context, int, Action) error, env actionEnv, emit func(phase string, group int, item, msg string)) error {
	phase := PhasePreAction
	if when == "post" {
		phase = PhasePostAction
	}
	switch a.Type {
	case ActionManual:
		if manual == nil {
			if a.Required {
				emit(phase, g, "", fmt.Sprintf("%s: manual, required, and nobody attends: %s", a.Name, a.Description))
				return fmt.Errorf("group %d, %s action %s: %w", g, when, a.Name, errManualRequired)
			}
			emit(phase, g, "", fmt.Sprintf("%s: manual, skipped (unattended): %s", a.Name, a.Description))
			return nil
		}
		emit(phase, g, "", fmt.Sprintf("%s: manual, waiting: %s", a.Name, a.Description))
		if err := manual(ctx, g, a); err != nil {
			emit(phase, g, "", fmt.Sprintf("%s: manual, failed: %v", a.Name, err))
			return fmt.Errorf("group %d, %s action %s: %w", g, when, a.Name, err)
		}
		emit(phase, g, "", a.Name+": manual, done")
		return nil
	default:
		emit(phase, g, "", fmt.Sprintf("%s: running %s", a.Name, strings.Join(a.Command, " ")))
		out, err := runScript(ctx, a, env)
		if out != "" {
			emit(phase, g, "", fmt.Sprintf("%s: output:\n%s", a.Name, out))
		}
		if err != nil {
			emit(phase, g, "", fmt.Sprintf("%s: failed: %v", a.Name, err))
			return fmt.Errorf("group %d, %s action %s: %w", g, when, a.Name, err)
		}
		emit(phase, g, "", a.Name+": done")
		return nil
	}
}

func (r *runner) actionEnv(g int, when string) actionEnv {
	env := actionEnv{Drill: r.spec.Name, Phase: when, Group: g, TestNetwork: r.spec.TestNetworkID}
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

// cleanup undoes every test failover the drill may have started, on a
// context detached from the caller's cancellation, and verifies nothing is
// left.
func (r *runner) cleanup(parent context.Context) error {
	var todo []*itemState
	for _, st := range r.items {
		st.mu.Lock()
		if st.maybeFailedOver {
			todo = append(todo, st)
		}
		st.mu.Unlock()
	}
	if len(todo) == 0 {
		r.res.CleanupCompletedAt = r.clock.now()
		r.emit(PhaseCleanupDone, 0, "", "nothing to clean up")
		return nil
	}
	bound := r.spec.CleanupTimeout
	if bound == 0 {
		bound = CleanupTimeout
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), bound)
	defer cancel()
	r.emit(PhaseCleanup, 0, "", fmt.Sprintf("cleaning up %d test failover(s)", len(todo)))
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, st := range todo {
		wg.Add(1)
		go func() {
			defer wg.Done()
			left := r.cleanupItem(ctx, st)
			mu.Lock()
			defer mu.Unlock()
			r.res.Leftovers = append(r.res.Leftovers, left...)
		}()
	}
	wg.Wait()
	r.res.CleanupCompletedAt = r.clock.now()
	if len(r.res.Leftovers) > 0 {
		r.emit(PhaseCleanupDone, 0, "", "left over: "+strings.Join(r.res.Leftovers, "; "))
		return fmt.Errorf("cleanup left %d thing(s) behind: %s", len(r.res.Leftovers), strings.Join(r.res.Leftovers, "; "))
	}
	r.emit(PhaseCleanupDone, 0, "", "no test VM left, every item back to testFailoverState None")
	return nil
}

// cleanupItem cleans one item up and returns what it could not.
func (r *runner) cleanupItem(ctx context.Context, st *itemState) (leftovers []string) {
	name := st.info.ID.Name
	st.mu.Lock()
	poller, ended, known := st.poller, st.failoverEnded, st.failedOver
	st.mu.Unlock()
	if poller != nil && !ended {
		r.emit(PhaseCleanup, st.group, name, "waiting for the interrupted test failover to end")
		if _, err := azure.Wait(ctx, poller); err != nil {
			r.emit(PhaseCleanup, st.group, name, "the test failover ended with: "+azure.Describe(err))
		}
	}
	err := azure.Await(ctx, func(ctx context.Context) (bool, time.Duration, error) {
		// After a test failover that succeeded, the item awaits cleanup:
		// start it at once. Otherwise (or when that is refused) read the
		// item to see what is pending.
		if !known {
			info, err := findItem(ctx, r.c, st.info.RawID)
			if azure.IsNotFound(err) {
				return true, 0, nil
			}
			if err != nil {
				return false, 0, err
			}
			if info.TestVMName != "" {
				st.mu.Lock()
				st.info.TestVMName = info.TestVMName
				st.mu.Unlock()
			}
			if info.TestFailoverState == "" || strings.EqualFold(info.TestFailoverState, testFailoverStateNone) {
				return true, 0, nil
			}
		}
		p, err := startCleanup(ctx, r.c, st.info.ID, fmt.Sprintf("drill %s", r.spec.Name))
		if err != nil && known {
			known = false
			if azure.IsNotFound(err) || isStatus(err, http.StatusConflict) {
				return false, 0, nil // look at the item, then decide
			}
		}
		if isStatus(err, http.StatusConflict) {
			r.emit(PhaseCleanup, st.group, name, "another operation is in progress; retrying: "+azure.Describe(err))
			return false, 0, nil
		}
		if err != nil {
			return false, 0, err
		}
		r.emit(PhaseCleanup, st.group, name, "test failover cleanup started")
		resp, err := azure.Wait(ctx, p)
		if err == nil && resp.Properties != nil {
			if info, ierr := itemInfoOf(st.info.ID, st.info.RawID, &resp.ReplicationProtectedItem); ierr == nil {
				st.mu.Lock()
				st.cleaned = info
				st.mu.Unlock()
			}
		}
		return err == nil, 0, err
	})
	if err != nil {
		r.emit(PhaseCleanup, st.group, name, "cleanup failed: "+azure.Describe(err))
		leftovers = append(leftovers, fmt.Sprintf("item %s: test failover cleanup failed: %s", st.res.ItemID, azure.Describe(err)))
	}
	return append(leftovers, r.verifyClean(ctx, st)...)
}

// verifyClean checks that the test VM is gone and the item is back to
// testFailoverState None.
func (r *runner) verifyClean(ctx context.Context, st *itemState) []string {
	var out []string
	st.mu.Lock()
	group, vmName := st.info.RecoveryGroup, st.info.TestVMName
	st.mu.Unlock()
	if vmName == "" {
		vmName = st.info.SourceVMName + "-test"
	}
	if group != "" {
		vctx, cancel := context.WithTimeout(ctx, verifyTimeout)
		var last *testVM
		err := azure.Await(vctx, func(ctx context.Context) (bool, time.Duration, error) {
			vm, err := findTestVM(ctx, r.c, group, vmName)
			last = vm
			return err == nil && vm == nil, 0, nil
		})
		cancel()
		if err != nil {
			id := fmt.Sprintf("resource group %s, VM %s", group, vmName)
			if last != nil && last.ID != "" {
				id = last.ID
			}
			out = append(out, "test VM still exists: "+id)
		}
	}
	// The item as cleanup left it, else read now.
	st.mu.Lock()
	info := st.cleaned
	st.mu.Unlock()
	var err error
	if info == nil {
		info, err = findItem(ctx, r.c, st.info.RawID)
	}
	switch {
	case azure.IsNotFound(err):
	case err != nil:
		out = append(out, fmt.Sprintf("item %s: cannot confirm its test failover state: %s", st.res.ItemID, azure.Describe(err)))
	case info.TestFailoverState != "" && !strings.EqualFold(info.TestFailoverState, testFailoverStateNone):
		out = append(out, fmt.Sprintf("item %s: testFailoverState is %q, not None", st.res.ItemID, info.TestFailoverState))
	}
	return out
}

// verdict measures, decides Passed and builds the error Run returns.
func (r *runner) verdict(drillErr, cleanupErr error) error {
	r.mu.Lock()
	r.res.Items = make([]ItemResult, len(r.items))
	for i, st := range r.items {
		r.res.Items[i] = st.res
	}
	r.mu.Unlock()
	r.res.measure(r.spec.Objectives)
	r.res.Passed = drillErr == nil && len(r.res.Breaches) == 0
	var msg string
	switch {
	case drillErr != nil:
		msg = "failed: " + drillErr.Error()
	case len(r.res.Breaches) > 0:
		var parts []string
		for _, b := range r.res.Breaches {
			parts = append(parts, b.String())
		}
		msg = "objectives breached: " + strings.Join(parts, "; ")
	default:
		msg = fmt.Sprintf("passed: RTO %s, RPO %s", r.res.MeasuredRTO.Round(time.Second), r.res.MeasuredRPO.Round(time.Second))
	}
	if cleanupErr != nil {
		msg += "; cleanup: " + cleanupErr.Error()
	}
	r.emit(PhaseVerdict, 0, "", msg)
	err := errors.Join(drillErr, cleanupErr)
	if err != nil {
		return fmt.Errorf("drill %q: %w", r.spec.Name, err)
	}
	return nil
}

// String renders a breach for people.
func (b Breach) String() string {
	s := strings.ToUpper(b.Objective)
	if b.Item != "" {
		s += " of " + lastSegment(b.Item)
	}
	return fmt.Sprintf("%s measured %s, target %s (over by %s)", s, b.Measured.Round(time.Second), b.Target, b.By.Round(time.Second))
}
