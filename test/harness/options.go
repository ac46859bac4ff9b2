package harness

import (
	"errors"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

// Options configure one drill scenario.
type Options struct {
	// Scenario names the drill in progress lines and reports; it keys the
	// scenario's history, so keep it stable from run to run. Required.
	Scenario string
	// Application is what cadence compliance is counted per (e.g. "cms");
	// the scenario when empty.
	Application string
	// Description says in a sentence what the drill proves, for reports.
	Description string
	// TerraformDir is the configuration to drill; it is copied, never
	// changed. Required.
	TerraformDir string
	// Estate is the production estate to add to the emulator (the seed file
	// format); its one subscription's id is replaced by a fresh one, passed
	// to Terraform as var.subscription_id. Ignored against Azure.
	Estate string
	// Vars are set on every apply and on destroy. Undeclared ones are
	// ignored (they are written to a .tfvars.json file), so the harness's
	// own (subscription_id, dns_server, web_port) can be
	// offered to every configuration.
	Vars map[string]any
	// DrillVars are added to Vars for the drill's apply. Nil: the drill runs
	// in the first apply.
	DrillVars map[string]any
	// DrillApplyArgs are extra arguments of the drill's terraform apply,
	// e.g. -refresh=false when the primary region is down (refreshing its
	// resources would fail, as it would in a real outage).
	DrillApplyArgs []string
	// Objectives are what the harness holds the measured figures to, on top
	// of the drills' own objectives (zero: none).
	Objectives Objectives
	// BeforeDrill runs once the infrastructure is up and replicating, before
	// the drill's apply: inject a fault, write a canary, sign an approval
	// (it may add to d.DrillVars).
	BeforeDrill func(d *Drill) error
	// OnProgress sees every phase line of the drill's apply as it happens
	// (e.g. to end an outage once the workload runs on the recovery side).
	// It must not block for long.
	OnProgress func(d *Drill, p Progress)
	// Verify runs after the drill with its record: extra proof a scenario
	// needs (the infected data is absent). Its error fails the drill.
	Verify func(d *Drill, r *report.Record) error
	// NeedsEmulator marks scenarios that drive the emulator's fault
	// injection: skipped against Azure.
	NeedsEmulator bool
	// Timeout bounds the drill from init to the end of its apply (default:
	// the test's deadline less DestroyTimeout, else 60 minutes). Destroy
	// gets DestroyTimeout (default 15 minutes) after that, whatever happened.
	Timeout        time.Duration
	DestroyTimeout time.Duration
}

// Objectives are targets for the measured figures; zero means none.
type Objectives struct {
	RTO time.Duration
	RPO time.Duration
}

func (o Options) validate() error {
	var errs []error
	if o.Scenario == "" {
		errs = append(errs, errors.New("Options.Scenario: a drill needs a name (it keys its history in the reports)"))
	}
	if o.TerraformDir == "" {
		errs = append(errs, errors.New("Options.TerraformDir: which configuration to drill?"))
	}
	return errors.Join(errs...)
}

func (o Options) application() string {
	if o.Application != "" {
		return o.Application
	}
	return o.Scenario
}
