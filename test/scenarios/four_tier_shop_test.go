package scenarios

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/test/harness"
	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

// An 8-VM shop in four tiers written as Terraform users write it: NSGs and
// replicated VMs from for_each (the VMs inside a module per tier), checks
// from variables, each scoped to the recovery plan group it can pass on.
// The four NSGs of one network pair are created at default parallelism.
func TestFourTierShop(t *testing.T) {
	t.Parallel()
	harness.Run(t, harness.Options{
		Scenario:     "four-tier-shop",
		Application:  "shop",
		Description:  "The shop's four tiers in a three-group recovery plan (database; API and queue; storefront), four NSGs mirrored, every check scoped to the tier it proves.",
		TerraformDir: "testdata/four-tier-shop",
		Estate:       "testdata/four-tier-shop/estate.json",
		Vars:         map[string]any{"run_drill": false},
		DrillVars:    map[string]any{"run_drill": true},
		Objectives:   harness.Objectives{RTO: time.Hour, RPO: 15 * time.Minute},
		Verify: func(d *harness.Drill, r *report.Record) error {
			if len(r.Drills) != 1 {
				return fmt.Errorf("want one drill, got %d", len(r.Drills))
			}
			return scopedChecks(r.Drills[0].Checks)
		},
	})
}

// scopedChecks proves each check ran where it was scoped: the storefront on
// the three web VMs, the database checks on the two database VMs, the API
// check once.
func scopedChecks(checks []report.Check) error {
	ran := map[string]map[string]bool{}
	for _, c := range checks {
		if ran[c.Name] == nil {
			ran[c.Name] = map[string]bool{}
		}
		ran[c.Name][c.Item] = true
		if !c.Passed {
			return fmt.Errorf("check %s on %s did not pass (%d failed attempts)", c.Name, c.Item, c.Failures)
		}
	}
	want := map[string]int{"storefront": 3, "database": 2, "database-page": 2, "api": 1}
	for name, n := range want {
		if len(ran[name]) != n {
			return fmt.Errorf("check %s ran against %d VMs %v, want %d", name, len(ran[name]), ran[name], n)
		}
	}
	for item := range ran["storefront"] {
		if !strings.Contains(item, "web") {
			return fmt.Errorf("storefront check ran against %s, outside the web tier", item)
		}
	}
	return nil
}
