package scenarios

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/test/harness"
	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

// The Milestone DR test report's parallel drill, as the quickstart declares
// it: both CMS web servers fail over into the isolated test network at the
// newest recovery point while production keeps running, the CMS home page
// is checked from the DR site (Run Command on the test VMs, after the
// isolation proof), and RTO and RPO are held to the report's objectives
// (45 minutes, 15 minutes). The quickstart's file canary (a marker written
// on each web server through Run Command just before the drill, read back
// on its test VM) measures real data loss with no application change.
func TestMilestoneParallelDrill(t *testing.T) {
	t.Parallel()
	harness.Run(t, harness.Options{
		Scenario:     "milestone-parallel-drill",
		Application:  "cms",
		Description:  "Parallel drill of the Milestone CMS web tier (quickstart): test failover of both web VMs into the isolated network, isolation proven and the CMS page checked from the DR site, file canary data loss measured.",
		TerraformDir: "../../examples/quickstart",
		Estate:       "../../examples/quickstart/estate.json",
		Vars:         map[string]any{"run_drill": false},
		DrillVars:    map[string]any{"run_drill": true},
		Objectives:   harness.Objectives{RTO: 45 * time.Minute, RPO: 15 * time.Minute},
		Verify: func(d *harness.Drill, r *report.Record) error {
			var out struct {
				Passed         bool     `json:"passed"`
				CanaryDataLoss string   `json:"canary_data_loss"`
				Evidence       []string `json:"evidence"`
			}
			if err := d.Output("drill", &out); err != nil {
				return err
			}
			if out.CanaryDataLoss != "0s" {
				return fmt.Errorf("the canary written before the drill was lost: canary_data_loss = %q", out.CanaryDataLoss)
			}
			// Both web servers' markers came back with their test VMs, and
			// the isolation proof ran from the DR site.
			var markers, proofs int
			for _, line := range out.Evidence {
				switch {
				case strings.Contains(line, "holds the canary marker"):
					markers++
				case strings.Contains(line, "isolation proof from"):
					proofs++
				}
			}
			if markers < 2 || proofs < 1 {
				return fmt.Errorf("want the canary marker read on both test VMs and an isolation proof from the DR site, the drill's evidence: %q", out.Evidence)
			}
			return nil
		},
	})
}
