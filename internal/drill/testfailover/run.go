package testfailover

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/insite"
)

// runner is one parallel drill while it runs.
type runner struct {
	c      *azure.Client
	spec   Spec
	log    drill.Log // the events, on the drill's clock
	checks drill.Checker
	res    *Result
	items  []*itemState // in group order

	mu sync.Mutex // guards the ItemResults' fields read by actions

	netMu       sync.Mutex
	netLocation string // the test network's region, once read

	// exec runs scripts on VMs (Run Command) and site the checks from the
	// DR site through it (insite.go).
	exec  insite.Executes
	site  *insite.Site
	proof proofs // the isolation proof, once per test subnet
	// testSpace is the test network's address space (isolation.go, ownSpace).
	testSpace []netip.Prefix
	// probe is the probe VM the drill made (probe_vm.go), guarded by netMu.
	probe *madeProbe
}

// Run runs a parallel drill: validation, the isolation check, the canary,
// each group's actions, test failovers and checks, then cleanup, which
// always runs. It returns the result, non-nil even on error, with what was
// measured. A breached objective is not an error: Result.Passed is false and
// Result.Breaches says why. Errors name the phase and the item.
func Run(ctx context.Context, c *azure.Client, spec Spec) (res *Result, err error) {
	r := &runner{c: c, spec: spec, res: &Result{Name: spec.Name}}
	r.log.OnEvent = spec.Events
	defer func() { r.res.Events = r.log.Events() }()
	if spec.CheckInterval == 0 {
		r.spec.CheckInterval = drill.DefaultCheckInterval
	}
	if spec.CheckTimeout == 0 {
		r.spec.CheckTimeout = drill.DefaultCheckTimeout
	}
	r.checks = drill.Checker{Checks: r.spec.Checks, Interval: r.spec.CheckInterval, Timeout: r.spec.CheckTimeout, Emit: r.log.Emit}
	if c != nil {
		r.useSite(insite.NewExecutor(c))
	}
	// Validation needs no clock: time it on the wall clock.
	r.log.Clock = drill.WallClock()
	if err := spec.Validate(); err != nil {
		r.res.StartedAt = r.log.Start()
		r.log.Emit(drill.PhaseValidate, 0, "", "invalid drill: "+err.Error())
		r.log.Emit(drill.PhaseVerdict, 0, "", "failed")
		return r.res, fmt.Errorf("drill %q: invalid spec: %w", spec.Name, err)
	}
	if c == nil {
		r.res.StartedAt = r.log.Start()
		r.log.Emit(drill.PhaseVerdict, 0, "", "failed: no Azure client")
		return r.res, fmt.Errorf("drill %q: no Azure client", spec.Name)
	}
	clock, err := drill.ChooseClock(ctx, c, spec.Clock, spec.TimeScale)
	if err != nil {
		r.res.StartedAt = r.log.Start()
		r.log.Emit(drill.PhaseVerdict, 0, "", "failed: "+err.Error())
		return r.res, fmt.Errorf("drill %q: %w", spec.Name, err)
	}
	r.log.Clock = clock
	r.checks.Clock = clock
	r.res.StartedAt = r.log.Start()
	r.log.Emit(drill.PhaseValidate, 0, "", fmt.Sprintf("drill %q: %d group(s), %d check(s), test network %s", spec.Name, len(spec.Groups), len(spec.Checks), spec.TestNetworkID))
	defer func() {
		cerr := r.cleanup(ctx)
		err = r.verdict(err, cerr)
		res = r.res
	}()
	return r.res, r.drill(ctx)
}

// drill is everything before cleanup.
func (r *runner) drill(ctx context.Context) error {
	if err := r.readItems(ctx); err != nil {
		return err
	}
	peers, space, err := checkIsolation(ctx, r.c, r.spec.TestNetworkID, r.infos(), r.spec.Isolation.Skip)
	if err != nil {
		r.log.Emit(PhaseIsolation, 0, "", err.Error())
		return fmt.Errorf("isolation: %w", err)
	}
	r.testSpace = space
	if err := r.makeProbe(ctx); err != nil {
		r.log.Emit(PhaseProbeVM, 0, "", err.Error())
		return err
	}
	if err := r.checkProbe(ctx); err != nil {
		r.log.Emit(drill.PhaseValidate, 0, "", err.Error())
		return fmt.Errorf("validate: %w", err)
	}
	switch {
	case r.spec.Isolation.Skip:
		r.log.Emit(PhaseIsolation, 0, "", "the test network has no peerings and is no item's production or recovery network")
	case len(peers) > 0:
		r.log.Emit(PhaseIsolation, 0, "", fmt.Sprintf("the test network has peerings %s: the isolation proof, from the test VMs, decides whether it reaches production", strings.Join(peers, ", ")))
	default:
		r.log.Emit(PhaseIsolation, 0, "", "the test network has no peerings and is no item's production or recovery network; the isolation proof runs from the test VMs")
	}
	if err := r.canary(ctx); err != nil {
		return fmt.Errorf("canary: %w", err)
	}
	r.res.RecoveryStartedAt = r.log.Clock.Now()
	if rto := r.spec.Objectives.RTO; rto > 0 {
		grace := r.spec.CheckGrace
		if grace == 0 {
			grace = drill.DefaultGrace(rto)
		}
		r.checks.FailFast = &drill.FailFast{From: r.res.RecoveryStartedAt, RTO: rto, Grace: grace}
	}
	for g, grp := range r.spec.Groups {
		if err := r.runGroup(ctx, g+1, grp); err != nil {
			return err
		}
	}
	r.res.ChecksPassedAt = r.log.Clock.Now()
	r.log.Emit(drill.PhaseChecksPassed, 0, "", "every check passed")
	return nil
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
	passed := fmt.Sprintf("passed: RTO %s, RPO %s", r.res.MeasuredRTO.Round(time.Second), r.res.MeasuredRPO.Round(time.Second))
	r.log.Emit(drill.PhaseVerdict, 0, "", drill.Verdict(drillErr, cleanupErr, r.res.Breaches, passed))
	err := errors.Join(drillErr, cleanupErr)
	if err != nil {
		return fmt.Errorf("drill %q: %w", r.spec.Name, err)
	}
	return nil
}
