package drill

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Checker runs a drill's checks until they pass: each attempt bounded by
// Timeout, failing checks retried every Interval until they pass or ctx
// ends (the caller's deadline is the drill's timeout).
type Checker struct {
	Checks   []Check
	Interval time.Duration
	Timeout  time.Duration
	Emit     EmitFunc
}

// Run runs the per-item (perItem) or the once checks against t until each
// has passed once; check-failed is emitted when a failure's message
// changes, check-passed once per check. It returns what an http check saw
// of the data.
func (k Checker) Run(ctx context.Context, g int, item string, t Target, perItem bool) (*Observation, error) {
	var pending []Check
	for _, c := range k.Checks {
		if c.perItem() == perItem {
			pending = append(pending, c)
		}
	}
	var obs *Observation
	lastErr := map[string]string{}
	for {
		var still []Check
		for _, c := range pending {
			o, err := runCheck(ctx, c, t, k.Timeout)
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
			return obs, nil
		}
		if err := Sleep(ctx, k.Interval); err != nil || ctx.Err() != nil {
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

// RunOnce runs the checks that are not per item (after the last group).
func (k Checker) RunOnce(ctx context.Context) error {
	for _, c := range k.Checks {
		if !c.perItem() {
			_, err := k.Run(ctx, 0, "", Target{}, false)
			return err
		}
	}
	return nil
}

// Observe reads the data a test VM serves when no http check saw it: GET /
// on the host of the first per-item http check.
func (k Checker) Observe(ctx context.Context, t Target) *Observation {
	for _, c := range k.Checks {
		if c.Type != CheckHTTP || !c.perItem() {
			continue
		}
		u, err := url.Parse(t.Expand(c.URL))
		if err != nil {
			return nil
		}
		u.Path, u.RawQuery, u.Fragment = "/", "", ""
		return fetchObservation(ctx, u.String(), k.Timeout)
	}
	return nil
}
