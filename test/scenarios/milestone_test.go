package scenarios

import (
	"fmt"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/test/harness"
	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

// The Milestone DR test report's parallel drill, as the quickstart declares
// it: both CMS web servers fail over into the isolated test network at the
// newest recovery point while production keeps running, the CMS home page
// is checked from the DR side, and RTO and RPO are held to the report's
// objectives (45 minutes, 15 minutes). A canary written on vm-cms-web-1
// just before the drill measures real data loss.
func TestMilestoneParallelDrill(t *testing.T) {
	t.Parallel()
	harness.Run(t, harness.Options{
		Scenario:     "milestone-parallel-drill",
		Application:  "cms",
		Description:  "Parallel drill of the Milestone CMS web tier (quickstart): test failover of both web VMs into the isolated network, CMS page checked from the DR side, canary data loss measured.",
		TerraformDir: "../../examples/quickstart",
		Estate:       "../../examples/quickstart/estate.json",
		Vars:         map[string]any{"run_drill": false},
		DrillVars:    map[string]any{"run_drill": true},
		Objectives:   harness.Objectives{RTO: 45 * time.Minute, RPO: 15 * time.Minute},
		BeforeDrill: func(d *harness.Drill) error {
			web1, err := d.VM("vm-cms-web-1")
			if err != nil {
				return err
			}
			d.DrillVars["canary_url"] = web1.URL + "canary"
			return nil
		},
		Verify: func(d *harness.Drill, r *report.Record) error {
			var out struct {
				Passed         bool   `json:"passed"`
				CanaryDataLoss string `json:"canary_data_loss"`
			}
			if err := d.Output("drill", &out); err != nil {
				return err
			}
			if out.CanaryDataLoss != "0s" {
				return fmt.Errorf("the canary written before the drill was lost: canary_data_loss = %q", out.CanaryDataLoss)
			}
			return nil
		},
	})
}
