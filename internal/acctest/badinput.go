package acctest

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// The bad-input suite: invalid configurations, each a subtest of a test
// named TestAccBadInput_<Resource>, so that one command lists and counts
// them all:
//
//	TF_ACC=1 go test ./internal/... -run 'TestAccBadInput_' -v | grep -c -- '--- PASS: TestAccBadInput_.*/'
//
// (make badinput). Each case checks that the error names the attribute and
// that nothing was created: the emulator received no request that creates
// the resource type (BadInputSuite.Creates), and every resource group it
// holds after the case it held before.

// BadInputReason is why the bad-input suite runs on the emulator only: it
// proves "nothing was created" from the emulator's request counts. Tests
// that build an estate before their suite skip with it first.
const BadInputReason = "the bad-input suite proves nothing was created from the emulator's request counts (its admin API's stats)"

// BadInput is one invalid configuration.
type BadInput struct {
	Name   string
	Config string
	// Attribute is how the diagnostic names the attribute (a regexp, e.g.
	// `rules\[0\]\.priority`): the error must match it as well as Want.
	Attribute string
	// Want is a regexp the error must match (the summary, the reason).
	Want string
	// PlanOnly stops at the plan (configuration alone shows the mistake).
	PlanOnly bool
	// Before and After, if set, change things behind Terraform's back
	// before the case and undo them after (e.g. peer the test network).
	Before, After func(t *testing.T)
	// Creates, if set, replaces the suite's Creates for this case (e.g.
	// an NSG case whose configuration validly creates the network).
	Creates []string
}

// BadInputSuite is the cases of one resource type.
type BadInputSuite struct {
	// Creates are the emulator's operation names (as its admin API's stats
	// counts them) whose request would mean the invalid resource was
	// created, e.g. "VirtualNetworks_CreateOrUpdate". Neither the base
	// configuration nor the valid part of a case may send them.
	Creates []string
	// Base, if set, is a valid configuration applied before each case and
	// again after it (with Check), e.g. the site a network needs.
	Base func(t *testing.T) string
	// Check runs after the case, on the base configuration: what else
	// must not exist (e.g. the protected items of a vault).
	Check func(t *testing.T, c BadInput) error
	Cases []BadInput
	// Shared applies Base once and runs the cases as steps of one test
	// (for bases slow to build, e.g. replication): each case's subtest
	// then runs right after its failing step, and checks that nothing
	// was created. A case whose error does not match fails the parent
	// test before its subtest starts, so it is never counted as passed.
	Shared bool
	// PreCase, if set, runs before each case's failing step (e.g. wait
	// for a recovery point).
	PreCase func(t *testing.T)
}

// Run runs each case as a subtest.
func (s BadInputSuite) Run(t *testing.T) {
	t.Helper()
	if !strings.HasPrefix(t.Name(), "TestAccBadInput_") {
		t.Fatalf("bad-input cases belong to a test named TestAccBadInput_<Resource>, not %s", t.Name())
	}
	EmulatorOnly(t, BadInputReason)
	if s.Shared {
		s.runShared(t)
		return
	}
	for _, c := range s.Cases {
		t.Run(c.Name, func(t *testing.T) {
			if c.Attribute == "" {
				t.Fatal("a bad-input case must say which attribute its diagnostic names")
			}
			if len(s.Creates) == 0 && len(c.Creates) == 0 {
				t.Fatal("no Creates: nothing would check that the bad input created nothing")
			}
			groups := groupSet(t)
			before := emulatorOperations(t)
			var steps []resource.TestStep
			if s.Base != nil {
				steps = append(steps, resource.TestStep{Config: s.Base(t)})
			}
			steps = append(steps, c.steps(func() {
				if s.PreCase != nil {
					s.PreCase(t)
				}
				if c.Before != nil {
					c.Before(t)
				}
			})...)
			if c.After != nil {
				defer c.After(t)
			}
			if s.Base != nil && s.Check != nil {
				steps = append(steps, resource.TestStep{Config: s.Base(t), Check: func(*terraform.State) error { return s.Check(t, c) }})
			}
			resource.Test(t, resource.TestCase{PreCheck: func() { PreCheck(t) }, ProtoV6ProviderFactories: ProtoV6ProviderFactories, Steps: steps})
			s.checkNoCreates(t, c, before)
			for g := range groupSet(t) {
				if !groups[g] {
					t.Errorf("nothing may be created: resource group %s appeared and is still there", g)
				}
			}
		})
	}
}

// steps are the failing steps of the case: one whose error must match
// Want, then the same configuration again, whose error must match
// Attribute (regular expressions cannot say "both"), unless Want spells
// the attribute out.
func (c BadInput) steps(pre func()) []resource.TestStep {
	want := strings.TrimPrefix(c.Want, "(?s)")
	steps := []resource.TestStep{{PreConfig: pre, Config: c.Config, PlanOnly: c.PlanOnly, ExpectError: regexp.MustCompile(`(?s)` + want)}}
	if !strings.Contains(want, c.Attribute) || strings.Contains(want, "|") {
		steps = append(steps, resource.TestStep{Config: c.Config, PlanOnly: c.PlanOnly, ExpectError: regexp.MustCompile(`(?s)` + c.Attribute)})
	}
	return steps
}

// checkNoCreates fails t if a creating request of the case's resource
// type reached the emulator since before.
func (s BadInputSuite) checkNoCreates(t *testing.T, c BadInput, before map[string]int) {
	t.Helper()
	after := emulatorOperations(t)
	creates := s.Creates
	if c.Creates != nil {
		creates = c.Creates
	}
	for _, op := range creates {
		if n := after[op] - before[op]; n != 0 {
			t.Errorf("nothing may be created: the emulator received %d %s request(s)", n, op)
		}
	}
}

// runShared runs the cases as steps of one test on one applied base.
func (s BadInputSuite) runShared(t *testing.T) {
	if s.Base == nil {
		t.Fatal("a Shared suite needs a Base")
	}
	steps := []resource.TestStep{{Config: s.Base(t)}}
	for _, c := range s.Cases {
		if c.Attribute == "" || (len(s.Creates) == 0 && len(c.Creates) == 0) {
			t.Fatalf("case %q: a bad-input case needs an Attribute and Creates", c.Name)
		}
		var before map[string]int
		steps = append(steps, c.steps(func() {
			if s.PreCase != nil {
				s.PreCase(t)
			}
			if c.Before != nil {
				c.Before(t)
			}
			before = emulatorOperations(t)
		})...)
		steps = append(steps, resource.TestStep{
			// The case's error matched (else the test stopped at its
			// step): its subtest checks that nothing was created.
			PreConfig: func() {
				t.Run(c.Name, func(t *testing.T) { s.checkNoCreates(t, c, before) })
				if c.After != nil {
					c.After(t)
				}
			},
			Config: s.Base(t),
			Check: func(*terraform.State) error {
				if s.Check == nil {
					return nil
				}
				return s.Check(t, c)
			},
		})
	}
	resource.Test(t, resource.TestCase{PreCheck: func() { PreCheck(t) }, ProtoV6ProviderFactories: ProtoV6ProviderFactories, Steps: steps})
}

// emulatorOperations counts the emulator's requests by operation (every
// method), from its admin API.
func emulatorOperations(t *testing.T) map[string]int {
	t.Helper()
	s, err := Admin(t).Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s.ByOperation()
}

// groupSet is the subscription's resource groups.
func groupSet(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	pager := Client(t).ResourceGroups().NewListPager(nil)
	for pager.More() {
		page, err := pager.NextPage(t.Context())
		if err != nil {
			t.Fatal(fmt.Errorf("listing resource groups: %w", err))
		}
		for _, g := range page.Value {
			out[strings.ToLower(*g.Name)] = true
		}
	}
	return out
}
