package acctest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// The unknown-values suite: a configuration written the way Terraform users
// write one (variables, for_each, values known only after apply, child
// modules whose inputs are all of those) feeds every validated attribute of
// a resource family. Unknown values mean "check later": the configuration
// validates (terraform validate: no variable known), plans (the attributes
// unknown in the plan) and applies, and the
// next plan is empty; a bad value that a variable makes known at plan is
// still refused there, on its attribute.

// UnknownValues is one resource family's case.
type UnknownValues struct {
	// Config is the configuration without the provider block (Run adds
	// it). It may call the modules of Module by their absolute path.
	Config string
	// Base, if set, is applied before Config (same variables, no checks):
	// what Config's resources need to exist first, e.g. the replicated VM a
	// drill tests, which must have a recovery point.
	Base string
	// BeforeApply, if set, runs before Config is planned and applied, e.g.
	// to wait for that recovery point.
	BeforeApply func()
	// Variables are the values of Config's variables for the good run.
	Variables config.Variables
	// AlsoPlans are other configurations (same variables) that must
	// validate and plan, not applied, e.g. a count variant of Config.
	AlsoPlans []string
	// Bad are variables that make a validated value known and wrong:
	// each is refused at plan, before anything is created.
	Bad []BadVariables
	// BadAfterApply are like Bad, planned after the apply: for checks
	// that need a value known only after apply (in the state by then).
	BadAfterApply []BadVariables
	// Unknown are checks of the first plan, e.g. ExpectUnknownValue on the
	// attributes fed from values known only after apply.
	Unknown []plancheck.PlanCheck
	// Known are checks of the state after the apply: the values arrived.
	Known []statecheck.StateCheck
	// Gone, if set, runs after the destroy: what the configuration created
	// is gone. (It is not a CheckDestroy: that reads the harness's legacy
	// state shim, which holds neither for_each instances nor modules.)
	Gone resource.TestCheckFunc
}

// BadVariables is a set of variables whose value is refused at plan with
// an error matching Want (a regexp; (?s) is added).
type BadVariables struct {
	Variables config.Variables
	Want      string
}

// Run runs the case: terraform validate (Validate) of Config and
// AlsoPlans, the bad variables (plan only), then AlsoPlans, Base,
// the apply with Unknown and Known, the empty second plan, BadAfterApply, and a
// destroy step.
//
// Every step names the configuration by directory (written here) and
// carries the provider factories: terraform-plugin-testing runs `terraform
// init` on a step's configuration only then (a step's Config string is
// applied after init, so its modules would never be installed).
// The destroy is a step of its own, before the harness's post-test destroy,
// so that the harness never shims a state holding for_each instances or
// modules (it refuses both).
func (u UnknownValues) Run(t *testing.T) {
	t.Helper()
	// terraform validate first: it knows no variable.
	validate := func(name, cfg string) {
		d := filepath.Join(t.TempDir(), name)
		writeFile(t, d, cfg)
		Validate(t, d)
	}
	validate("validate", ProviderConfig(t)+u.Config)
	for i, cfg := range u.AlsoPlans {
		validate(fmt.Sprintf("validate-also%d", i), ProviderConfig(t)+cfg)
	}
	dir := writeConfig(t, "main", ProviderConfig(t)+u.Config)
	step := func(s resource.TestStep) resource.TestStep {
		if s.ConfigDirectory == nil {
			s.ConfigDirectory = dir
		}
		if s.ConfigVariables == nil {
			s.ConfigVariables = u.Variables
		}
		s.ProtoV6ProviderFactories = ProtoV6ProviderFactories
		return s
	}
	var steps []resource.TestStep
	refused := func(bad []BadVariables) {
		for _, b := range bad {
			steps = append(steps, step(resource.TestStep{ConfigVariables: b.Variables, PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)` + b.Want)}))
		}
	}
	refused(u.Bad)
	for i, cfg := range u.AlsoPlans {
		steps = append(steps, step(resource.TestStep{ConfigDirectory: writeConfig(t, fmt.Sprintf("also%d", i), ProviderConfig(t)+cfg),
			PlanOnly: true, ExpectNonEmptyPlan: true}))
	}
	if u.Base != "" {
		steps = append(steps, step(resource.TestStep{ConfigDirectory: writeConfig(t, "base", ProviderConfig(t)+u.Base)}))
	}
	steps = append(steps,
		step(resource.TestStep{PreConfig: u.BeforeApply, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: u.Unknown}, ConfigStateChecks: u.Known}),
		step(resource.TestStep{ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}}),
	)
	refused(u.BadAfterApply)
	steps = append(steps, step(resource.TestStep{Destroy: true}))
	resource.Test(t, resource.TestCase{PreCheck: func() { PreCheck(t) }, Steps: steps})
	if u.Gone != nil && !t.Failed() {
		if err := u.Gone(&terraform.State{}); err != nil {
			t.Errorf("after the destroy: %v", err)
		}
	}
}

// PlanRefused checks that cfg (without the provider block; it may call
// modules) is refused at plan with an error matching want, with vars.
func PlanRefused(t *testing.T, cfg string, vars config.Variables, want string) {
	t.Helper()
	resource.Test(t, resource.TestCase{PreCheck: func() { PreCheck(t) }, Steps: []resource.TestStep{{
		ConfigDirectory: writeConfig(t, "refused", ProviderConfig(t)+cfg), ConfigVariables: vars,
		ProtoV6ProviderFactories: ProtoV6ProviderFactories, PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)` + want),
	}}})
}

// AfterApply is a state check that runs f, a check that reads Azure rather
// than the state (a TestStep's Check reads the legacy state shim, which
// holds neither for_each instances nor modules).
func AfterApply(f resource.TestCheckFunc) statecheck.StateCheck { return afterApply(f) }

type afterApply resource.TestCheckFunc

func (f afterApply) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(&terraform.State{})
}

// writeConfig writes cfg as main.tf of a new directory under the test's
// temporary directory.
func writeConfig(t *testing.T, name, cfg string) config.TestStepConfigFunc {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	writeFile(t, dir, cfg)
	return config.StaticDirectory(dir)
}

// writeFile writes cfg as dir/main.tf, making dir.
func writeFile(t *testing.T, dir, cfg string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Module is the absolute path of a module directory (relative to the test's
// package, e.g. "testdata/modules/nsg"), quoted for a module's source.
// Terraform copies a module at an absolute path at init, no registry or
// network involved; a relative "./x" would be resolved against the
// harness's temporary working directory, where the module is not.
func Module(t *testing.T, dir string) string {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(abs, "main.tf")); err != nil {
		t.Fatalf("module %s: %v", dir, err)
	}
	return fmt.Sprintf("%q", abs)
}

// StringMap is a map(string) variable.
func StringMap(m map[string]string) config.Variable {
	vs := map[string]config.Variable{}
	for k, v := range m {
		vs[k] = config.StringVariable(v)
	}
	return config.MapVariable(vs)
}
