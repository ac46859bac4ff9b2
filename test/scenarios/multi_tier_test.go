package scenarios

import (
	"fmt"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/test/harness"
	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

// A multi-tier recovery plan: the database group, its port checked from the
// DR site, a script action on the runner after it, then the web group. The
// drill's timeline must show that order.
func TestMultiTierRecoveryPlan(t *testing.T) {
	t.Parallel()
	harness.Run(t, harness.Options{
		Scenario:     "multi-tier-recovery-plan",
		Application:  "crm",
		Description:  "The CRM's recovery plan: database first, its port checked from the DR site and a script action after it, then both web servers; every tier checked in the isolated network.",
		TerraformDir: "testdata/multi-tier",
		Estate:       "testdata/multi-tier/estate.json",
		Vars:         map[string]any{"run_drill": false},
		DrillVars:    map[string]any{"run_drill": true},
		Objectives:   harness.Objectives{RTO: time.Hour, RPO: 15 * time.Minute},
		Verify: func(d *harness.Drill, r *report.Record) error {
			if len(r.Drills) != 1 {
				return fmt.Errorf("want one drill, got %d", len(r.Drills))
			}
			return tiersInOrder(r.Drills[0].Events)
		},
	})
}

// tiersInOrder checks the database answered on its port from the DR site
// and was ready, and the script action between the tiers passed, before
// the web group started.
func tiersInOrder(events []report.Event) error {
	dbPort, dbReady, action, webStart := -1.0, -1.0, -1.0, -1.0
	for _, e := range events {
		switch {
		case e.Phase == "check-passed" && e.Item == "vm-crm-db-1" && e.Message == "database" && dbPort < 0:
			dbPort = e.ElapsedSeconds
		case e.Phase == "item-ready" && e.Item == "vm-crm-db-1" && dbReady < 0:
			dbReady = e.ElapsedSeconds
		case e.Phase == "post-action" && e.Message == "database-answers: done":
			action = e.ElapsedSeconds
		case e.Phase == "test-failover" && (e.Item == "vm-crm-web-1" || e.Item == "vm-crm-web-2") && webStart < 0:
			webStart = e.ElapsedSeconds
		}
	}
	if dbPort < 0 || dbReady < 0 || action < 0 || webStart < 0 {
		return fmt.Errorf("the timeline lacks a phase: database port checked at %v, database ready at %v, script action done at %v, web failover at %v (-1: missing)", dbPort, dbReady, action, webStart)
	}
	if !(dbPort <= dbReady && dbReady <= action && action <= webStart) {
		return fmt.Errorf("out of order: database port checked at +%vs, ready at +%vs, script action done at +%vs, web failover started at +%vs", dbPort, dbReady, action, webStart)
	}
	return nil
}
