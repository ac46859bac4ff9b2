package harness

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

// Drill is one scenario being drilled: its working copy, its target and
// estate, and the helpers scenario hooks use.
type Drill struct {
	// Dir is the working copy of the configuration; its terraform.log holds
	// every Terraform command's output.
	Dir string
	// Target is where the drill runs; SubscriptionID its subscription (on
	// the emulator, one of its own).
	Target         Target
	SubscriptionID string
	// Vars and DrillVars are the variables of the applies (Options' plus
	// the harness's; hooks may add to DrillVars).
	Vars      map[string]any
	DrillVars map[string]any
	// Started is when the drill started (real time).
	Started time.Time

	opts      Options
	cliConfig string
	deferred  []func() error
	record    *report.Record
}

// Run runs the drill and fails the test unless it passed. The record is
// written and returned either way.
func Run(t testing.TB, opts Options) *report.Record {
	t.Helper()
	rec, err := RunE(t, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// RunE runs the drill: estate, init, apply, a wait for recovery points, the
// drill's apply, results, objectives, and destroy, which runs whatever
// happened before it. It skips the test when the scenario is not in this
// shard, or needs the emulator and the target is Azure. The record (also
// written to the report folder) comes back with a nil error only when the
// drill passed.
func RunE(t testing.TB, opts Options) (*report.Record, error) {
	t.Helper()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	if os.Getenv("TF_ACC") == "" && os.Getenv("AZUREDR_DRILL") == "" {
		t.Skip("drills run Terraform: they run with TF_ACC=1 (make test) or AZUREDR_DRILL=1 (make drill)")
	}
	if !InShard(opts.Scenario) {
		t.Skipf("scenario %s belongs to another shard than %s", opts.Scenario, currentShard())
	}
	tg, err := target()
	if err != nil {
		return nil, err
	}
	if opts.NeedsEmulator && tg.Kind != TargetEmulator {
		t.Skipf("scenario %s drives the emulator's fault injection: it runs against the emulator only", opts.Scenario)
	}
	cliConfig, err := buildProvider()
	if err != nil {
		return nil, err
	}
	d := &Drill{
		Dir: t.TempDir(), Target: tg, cliConfig: cliConfig, opts: opts,
		Vars: map[string]any{}, DrillVars: map[string]any{},
		Started: time.Now(),
	}
	d.record = &report.Record{
		Scenario: opts.Scenario, Application: opts.application(), Description: opts.Description,
		RunID: RunID(), Target: tg.Kind, TimeScale: tg.TimeScale, StartedAt: d.Started.UTC(),
		Objectives: report.Figures{RTOSeconds: int64(opts.Objectives.RTO / time.Second), RPOSeconds: int64(opts.Objectives.RPO / time.Second)},
		Stages:     []report.Stage{}, Drills: []report.DrillResult{}, Gaps: []report.Gap{},
	}
	runErr := d.run(t)
	for i := len(d.deferred) - 1; i >= 0; i-- {
		if err := d.deferred[i](); err != nil {
			runErr = errors.Join(runErr, err)
		}
	}
	destroyErr := d.destroy(t)
	return d.finish(errors.Join(runErr, destroyErr))
}

// deadlines splits the test's time between the drill and its destroy, so a
// go test -timeout never cuts the destroy off: the destroy keeps a third of
// what is left (up to DestroyTimeout), the drill gets the rest.
func (d *Drill) deadlines(t testing.TB) (drill, destroy time.Duration) {
	destroy = d.opts.DestroyTimeout
	if destroy == 0 {
		destroy = 15 * time.Minute
	}
	drill = d.opts.Timeout
	if drill == 0 {
		drill = 60 * time.Minute
	}
	if tt, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if dl, ok := tt.Deadline(); ok {
			left := time.Until(dl) - 30*time.Second
			destroy = min(destroy, left/3)
			drill = min(drill, left-destroy)
		}
	}
	return drill, destroy
}

func (d *Drill) run(t testing.TB) error {
	limit, _ := d.deadlines(t)
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	d.Logf("starting: %s (target %s)", d.opts.TerraformDir, d.Target.Kind)

	if err := d.stage("estate", func() error { return d.prepare() }); err != nil {
		return err
	}
	maps.Copy(d.Vars, d.opts.Vars)
	if err := d.stage("init", func() error {
		_, err := d.terraform(ctx, "init", "init", "-input=false", "-no-color")
		return err
	}); err != nil {
		return err
	}
	if err := d.stage("apply", func() error { return d.apply(ctx, d.Vars) }); err != nil {
		return err
	}
	if d.opts.DrillVars != nil {
		maps.Copy(d.DrillVars, d.opts.DrillVars)
		if err := d.stage("replication", func() error { return d.waitForRecoveryPoints(ctx) }); err != nil {
			return err
		}
		if d.opts.BeforeDrill != nil {
			if err := d.stage("before-drill", func() error { return d.opts.BeforeDrill(d) }); err != nil {
				return err
			}
		}
		vars := maps.Clone(d.Vars)
		maps.Copy(vars, d.DrillVars)
		// A failed drill apply still leaves results worth reading (a
		// failover that stopped half way): read the state either way.
		applyErr := d.stage("drill", func() error { return d.apply(ctx, vars, d.opts.DrillApplyArgs...) })
		if err := d.readState(ctx); err != nil || applyErr != nil {
			return errors.Join(applyErr, err)
		}
	} else if err := d.readState(ctx); err != nil {
		return err
	}
	return d.stage("verify", func() error { return d.verify() })
}

// prepare copies the configuration and, on the emulator, adds the estate
// under a new subscription.
func (d *Drill) prepare() error {
	if err := copyDir(d.opts.TerraformDir, d.Dir); err != nil {
		return fmt.Errorf("copying %s: %w", d.opts.TerraformDir, err)
	}
	switch d.Target.Kind {
	case TargetAzure:
		d.SubscriptionID = os.Getenv("ARM_SUBSCRIPTION_ID")
		d.Vars["subscription_id"] = d.SubscriptionID
	case TargetEmulator:
		d.SubscriptionID = newGUID()
		maps.Copy(d.Vars, map[string]any{
			"subscription_id": d.SubscriptionID, "dns_server": d.Target.DNSServer,
			"web_port": d.Target.WebPort,
		})
		if d.opts.Estate != "" {
			vms, err := d.Target.addEstate(d.opts.Estate, d.SubscriptionID)
			if err != nil {
				return err
			}
			// The sites' shared port is chosen when the first one starts.
			for _, vm := range vms {
				d.Vars["web_port"] = vm.Port
				d.Target.WebPort = vm.Port
			}
			d.Logf("estate: %d VM(s) in subscription %s", len(vms), d.SubscriptionID)
		}
	}
	return nil
}

func (d *Drill) apply(ctx context.Context, vars map[string]any, extra ...string) error {
	if err := d.writeVars(vars); err != nil {
		return err
	}
	args := append([]string{"apply", "-input=false", "-auto-approve", "-no-color", "-compact-warnings"}, extra...)
	_, err := d.terraform(ctx, "apply", args...)
	return err
}

// Defer registers fn to run before the destroy, whatever happened (ending
// a fault a hook injected, say). Deferred functions run last first; their
// errors fail the drill.
func (d *Drill) Defer(fn func() error) { d.deferred = append(d.deferred, fn) }

func (d *Drill) readState(ctx context.Context) error {
	resources, err := d.state(ctx)
	if err != nil {
		return err
	}
	readResults(d.record, resources)
	for _, dr := range d.record.Drills {
		verdict := "passed"
		if !dr.Passed {
			verdict = "FAILED"
		}
		d.Logf("%s %s: %s, measured RTO %ds, RPO %ds (drill clock)", dr.Kind, dr.Name, verdict, dr.Measured.RTOSeconds, dr.Measured.RPOSeconds)
	}
	return nil
}

// verify holds the results to the objectives and runs the scenario's own
// verification.
func (d *Drill) verify() error {
	r := d.record
	var errs []error
	if len(r.Drills) == 0 {
		errs = append(errs, errors.New("the configuration ran no drill: no azuredr_test_failover or azuredr_failover is in the state"))
	}
	for _, dr := range r.Drills {
		if !dr.Passed {
			errs = append(errs, fmt.Errorf("%s did not pass: %s", dr.Address, strings.Join(dr.Breaches, "; ")))
		}
	}
	o := d.opts.Objectives
	if o.RTO > 0 && r.Measured.RTOSeconds > int64(o.RTO/time.Second) {
		r.AddGap("objective rto", "measured RTO %ds is over the objective of %s", r.Measured.RTOSeconds, o.RTO)
		errs = append(errs, fmt.Errorf("measured RTO %ds is over the objective of %s", r.Measured.RTOSeconds, o.RTO))
	}
	if o.RPO > 0 && r.Measured.RPOSeconds > int64(o.RPO/time.Second) {
		r.AddGap("objective rpo", "measured RPO %ds is over the objective of %s", r.Measured.RPOSeconds, o.RPO)
		errs = append(errs, fmt.Errorf("measured RPO %ds is over the objective of %s", r.Measured.RPOSeconds, o.RPO))
	}
	if d.opts.Verify != nil {
		if err := d.opts.Verify(d, r); err != nil {
			r.AddGap("verify", "%v", err)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// destroy runs whatever happened, with a time budget of its own, then
// checks the emulator holds no test VM of this drill.
func (d *Drill) destroy(t testing.TB) error {
	_, budget := d.deadlines(t)
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	return d.stage("destroy", func() error {
		if _, err := os.Stat(d.Dir + "/.terraform"); err != nil {
			return nil // never initialised: nothing was created
		}
		vars := maps.Clone(d.Vars)
		maps.Copy(vars, d.DrillVars)
		if err := d.writeVars(vars); err != nil {
			return err
		}
		if _, err := d.terraform(ctx, "destroy", "destroy", "-input=false", "-auto-approve", "-no-color", "-compact-warnings"); err != nil {
			d.record.AddGap("destroy failed", "terraform destroy failed: resources may be left (run `make sweep`)")
			return err
		}
		if d.Target.Kind == TargetEmulator {
			left, err := d.testVMs()
			if err != nil {
				return err
			}
			if len(left) > 0 {
				d.record.AddGap("leftover test VMs", "test VMs left after destroy: %s", strings.Join(left, ", "))
				return fmt.Errorf("test VMs left after destroy: %s", strings.Join(left, ", "))
			}
		}
		return nil
	})
}

// stage runs one step of the harness, timing it into the record.
func (d *Drill) stage(name string, fn func() error) error {
	st := report.Stage{Name: name, StartedAt: time.Now().UTC()}
	d.Logf("%s ...", name)
	err := fn()
	st.FinishedAt = time.Now().UTC()
	took := st.FinishedAt.Sub(st.StartedAt).Round(time.Second)
	if err != nil {
		st.Error = err.Error()
		d.Logf("%s failed after %s: %s", name, took, firstLine(err.Error()))
	} else {
		d.Logf("%s done in %s", name, took)
	}
	d.record.Stages = append(d.record.Stages, st)
	return err
}

// finish sets the verdict, writes the record and keeps it for the suite's
// reports.
func (d *Drill) finish(err error) (*report.Record, error) {
	r := d.record
	r.FinishedAt = time.Now().UTC()
	r.DurationSeconds = r.FinishedAt.Sub(r.StartedAt).Seconds()
	r.Verdict = report.VerdictPassed
	if err != nil {
		r.Verdict, r.Error = report.VerdictFailed, err.Error()
		r.AddGap("drill failed", "the drill failed: %s", firstLine(err.Error()))
	}
	d.Logf("verdict: %s (RTO %ds, RPO %ds on the drill clock; %d gap(s))", strings.ToUpper(r.Verdict), r.Measured.RTOSeconds, r.Measured.RPOSeconds, len(r.Gaps))
	path, werr := r.Write(ReportDir())
	if werr != nil {
		err = errors.Join(err, fmt.Errorf("writing the drill record: %w", werr))
	} else {
		d.Logf("record: %s", path)
	}
	collect(r)
	if err != nil {
		return r, fmt.Errorf("drill %s failed (its folder: %s):\n%w", r.Scenario, d.Dir, err)
	}
	return r, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
