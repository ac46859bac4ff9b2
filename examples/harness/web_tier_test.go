package drills

import (
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/test/harness"
	"github.com/azuredr/terraform-provider-azuredr/test/harness/approval"
	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

// The web tier's nightly parallel drill: test failover into the isolated
// network, the home page checked from the DR side, RTO and RPO measured
// against the objectives, the test VM cleaned up.
func TestWebTierDrill(t *testing.T) {
	t.Parallel()
	harness.Run(t, harness.Options{
		Scenario:     "example-web-tier",
		Application:  "web",
		Description:  "An external module's drill: the web tier failed over into the isolated network and its page checked from the DR side.",
		TerraformDir: "testdata/web",
		Estate:       "testdata/web/estate.json",
		Vars:         map[string]any{"run_drill": false},
		DrillVars:    map[string]any{"run_drill": true},
		Objectives:   harness.Objectives{RTO: time.Hour, RPO: 15 * time.Minute},
		Verify: func(d *harness.Drill, r *report.Record) error {
			if len(r.Drills) != 1 || !r.Drills[0].Passed {
				return fmt.Errorf("want one passed drill, got %+v", r.Drills)
			}
			return nil
		},
	})
}

// A failover drill's approvals are signed in the test, the way an incident
// manager signs them with azuredr-approve: the public approval package
// makes the token the provider verifies.
func TestFailoverApprovalIsSignedForOnePlanAndAction(t *testing.T) {
	pub, priv, err := approval.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	plan := "/subscriptions/00000000-0000-4000-8000-0000000000aa/resourceGroups/rg-web-recovery/providers/Microsoft.RecoveryServices/vaults/web/replicationRecoveryPlans/web"
	token, err := approval.Sign(priv, approval.Approval{PlanID: plan, Action: approval.Failover,
		Approver: "incident-manager", Expires: time.Now().Add(time.Hour).Truncate(time.Second), Reason: "nightly drill"})
	if err != nil {
		t.Fatal(err)
	}
	approvers := []approval.Approver{{Name: "incident-manager", PublicKey: pub}}
	if _, err := approval.Verify(token, approvers, approval.Want{PlanID: plan, Action: approval.Failover}, time.Now()); err != nil {
		t.Fatalf("the provider would refuse the token signed for its plan and action: %v", err)
	}
	if _, err := approval.Verify(token, approvers, approval.Want{PlanID: plan, Action: approval.Failback}, time.Now()); err == nil {
		t.Fatal("a failover approval was accepted for a failback")
	}
	if got := approval.FormatPublicKey(pub); len(got) < len("ed25519:") || got[:8] != "ed25519:" {
		t.Fatalf("FormatPublicKey = %q, want the site's ed25519:<base64> form", got)
	}
}
