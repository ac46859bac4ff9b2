package drill

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/duration"
)

// Checker runs a drill's checks until they pass: each attempt bounded by
// Timeout, failing checks retried every Interval until they pass, ctx ends
// (the caller's deadline is the drill's timeout) or FailFast gives up.
type Checker struct {
	Checks   []Check
	Interval time.Duration
	Timeout  time.Duration
	Emit     EmitFunc
	// Clock is the drill's clock, FailFast's deadline is read on it.
	Clock Clock
	// FailFast, when set, stops the retries once the RTO objective and its
	// grace have passed: a check still failing then cannot make the
	// objective, and waiting for the drill's timeout only delays cleanup.
	FailFast *FailFast
	// ProgressEvery is how many rounds of failing attempts pass between two
	// "still failing" events (default DefaultProgressEvery).
	ProgressEvery int
	// Site runs the checks from the DR site (Check.From FromDRSite): each
	// round of a target's pending checks in one Run Command on one VM.
	// Without it such checks fail, naming why.
	Site SiteRunner
	// ProbeVMID, when set, is the VM every check from the DR site runs on;
	// else an item's checks run on its test VM (Target.VMID).
	ProbeVMID string
	// GroupVM gives the VM that the checks running once after group g, at
	// an address of their own, run on from the DR site: the group's first
	// test VM ("" when it has none).
	GroupVM func(g int) string
}

// DefaultProgressEvery rounds: a minute at the default interval.
const DefaultProgressEvery = 12

// FailFast is when a drill's checks stop being retried: From (the
// recovery's start, where RTO is measured from) plus RTO plus Grace, on the
// drill's clock.
type FailFast struct {
	From       time.Time
	RTO, Grace time.Duration
}

// At is the moment the checks give up.
func (f FailFast) At() time.Time { return f.From.Add(f.RTO + f.Grace) }

// DefaultGrace is the grace past the RTO objective when the spec gives
// none: a tenth of the objective.
func DefaultGrace(rto time.Duration) time.Duration { return rto / 10 }

// ErrChecksGaveUp is wrapped by the error of checks still failing when
// FailFast's deadline passed.
var ErrChecksGaveUp = errors.New("checks still failing after the RTO objective and its grace")

// RunItem runs the checks that run against an item's test VM (Check.RunsOn)
// until each has passed once. It returns what an http check saw of the
// data.
func (k Checker) RunItem(ctx context.Context, it ItemRef, item string, t Target) (*Observation, error) {
	var list []Check
	for _, c := range k.Checks {
		if c.RunsOn(it) {
			list = append(list, c)
		}
	}
	return k.run(ctx, it.Group, item, t, k.siteVM(t.VMID), list)
}

// siteVM is the VM the checks from the DR site run on: the probe VM when
// the drill has one, else vm.
func (k Checker) siteVM(vm string) string {
	if k.ProbeVMID != "" {
		return k.ProbeVMID
	}
	return vm
}

// RunAfterGroup runs the checks that run once after group g (last: the
// drill's last group) against the address they give.
func (k Checker) RunAfterGroup(ctx context.Context, g int, last bool) error {
	var list []Check
	for _, c := range k.Checks {
		if c.RunsAfter(g, last) {
			list = append(list, c)
		}
	}
	vm := ""
	if k.GroupVM != nil {
		vm = k.GroupVM(g)
	}
	_, err := k.run(ctx, g, "", Target{}, k.siteVM(vm), list)
	return err
}

// run retries pending against t until each has passed once;
// check-failed is emitted when a failure's message changes and, every
// ProgressEvery rounds, with every check still failing; check-passed once
// per check. The checks from the DR site run on vm, a round's in one batch.
func (k Checker) run(ctx context.Context, g int, item string, t Target, vm string, pending []Check) (*Observation, error) {
	var obs *Observation
	lastErr := map[string]string{}
	every := k.ProgressEvery
	if every <= 0 {
		every = DefaultProgressEvery
	}
	for round := 1; len(pending) > 0; round++ {
		var still []Check
		site := k.siteRound(ctx, vm, t, pending)
		for i, c := range pending {
			var o *Observation
			var err error
			if out, ok := site[i]; ok {
				o, err = out.Observation, out.Err
			} else {
				o, err = runCheck(ctx, c, t, k.Timeout)
			}
			if ctx.Err() != nil {
				break
			}
			if err != nil {
				if lastErr[c.Name] != err.Error() {
					k.Emit(PhaseCheckFailed, g, item, fmt.Sprintf("%s: %v (retrying every %s)", c.Name, err, k.Interval))
				}
				lastErr[c.Name] = err.Error()
				still = append(still, c)
				continue
			}
			if o != nil && obs == nil {
				obs = o
			}
			delete(lastErr, c.Name)
			k.Emit(PhaseCheckPassed, g, item, c.Name)
		}
		if ctx.Err() != nil {
			still = pending
		}
		pending = still
		if len(pending) == 0 {
			break
		}
		wait := k.Interval
		if k.FailFast != nil {
			left := k.FailFast.At().Sub(k.now())
			if left <= 0 {
				return obs, fmt.Errorf("%w (RTO objective %s plus a grace of %s, from the recovery's start): %s",
					ErrChecksGaveUp, duration.Spoken(k.FailFast.RTO), duration.Spoken(k.FailFast.Grace), lastAttempts(pending, lastErr))
			}
			// One last attempt at the deadline itself.
			scale := k.Clock.Scale
			if scale <= 0 {
				scale = 1
			}
			wait = min(wait, time.Duration(float64(left)/scale)+time.Millisecond)
		}
		if round%every == 0 {
			msg := "still failing: " + lastAttempts(pending, lastErr)
			if k.FailFast != nil {
				msg += fmt.Sprintf(" (giving up in %s of drill time: RTO objective plus grace)", duration.Spoken(k.FailFast.At().Sub(k.now()).Round(time.Second)))
			}
			k.Emit(PhaseCheckFailed, g, item, msg)
		}
		if err := Sleep(ctx, wait); err != nil || ctx.Err() != nil {
			return obs, fmt.Errorf("checks: not passed when the drill ended: %s: %w", lastAttempts(pending, lastErr), ctx.Err())
		}
	}
	return obs, nil
}

// siteRound runs one attempt of each pending check from the DR site, in
// one batch on vm, before the round's checks are told: their outcomes by
// index in pending (the runner's checks are absent: they run in turn).
func (k Checker) siteRound(ctx context.Context, vm string, t Target, pending []Check) map[int]CheckOutcome {
	var idx []int
	var batch []Check
	for i, c := range pending {
		if c.FromSite() {
			idx = append(idx, i)
			batch = append(batch, c)
		}
	}
	if len(batch) == 0 {
		return nil
	}
	out := make(map[int]CheckOutcome, len(batch))
	var why error
	switch {
	case k.Site == nil:
		why = errors.New("runs from the DR site (From dr_site) but the drill has no in-site runner")
	case vm == "":
		why = errors.New("runs from the DR site (From dr_site) but there is no VM to run it on (no test VM, no probe VM)")
	}
	if why != nil {
		for _, i := range idx {
			out[i] = CheckOutcome{Err: why}
		}
		return out
	}
	res := k.Site.RunChecks(ctx, vm, batch, t, k.Timeout)
	for j, i := range idx {
		if j < len(res) {
			out[i] = res[j]
		} else {
			out[i] = CheckOutcome{Err: errors.New("the in-site runner reported no outcome")}
		}
	}
	return out
}

// now reads the drill's clock (the wall clock when none was given).
func (k Checker) now() time.Time {
	if k.Clock.Now == nil {
		return time.Now()
	}
	return k.Clock.Now()
}

// lastAttempts names each pending check with its last attempt's error.
func lastAttempts(pending []Check, lastErr map[string]string) string {
	parts := make([]string, 0, len(pending))
	for _, c := range pending {
		if e := lastErr[c.Name]; e != "" {
			parts = append(parts, fmt.Sprintf("%s (last attempt: %s)", c.Name, e))
		} else {
			parts = append(parts, c.Name)
		}
	}
	return strings.Join(parts, "; ")
}

// Observe reads the data a test VM serves when no http check saw it: GET /
// on the host of the first http check that runs against every VM, from
// where that check runs (the DR site: one Run Command on the check's VM).
func (k Checker) Observe(ctx context.Context, t Target) *Observation {
	for _, c := range k.Checks {
		if c.Type != CheckHTTP || c.runsOnce() {
			continue
		}
		u, err := url.Parse(t.Expand(c.URL))
		if err != nil {
			return nil
		}
		u.Path, u.RawQuery, u.Fragment = "/", "", ""
		if !c.FromSite() {
			return fetchObservation(ctx, u.String(), k.Timeout)
		}
		vm := k.siteVM(t.VMID)
		if k.Site == nil || vm == "" {
			return nil
		}
		out := k.Site.RunChecks(ctx, vm, []Check{{Name: "observe", Type: CheckHTTP, URL: u.String()}}, Target{}, k.Timeout)
		if len(out) == 1 && out[0].Err == nil {
			return out[0].Observation
		}
		return nil
	}
	return nil
}
