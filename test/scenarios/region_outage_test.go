package scenarios

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/test/harness"
	"github.com/azuredr/terraform-provider-azuredr/test/harness/approval"
	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

// Region outage: the emulator takes West Europe down. An unplanned failover,
// approved in advance by the incident manager's signed tokens, recovers the
// shop in North Europe and moves DNS there; once the shop runs on the DR side
// the region comes back, and the shop is re-protected and failed back, DNS
// following it home.
func TestRegionOutageUnplannedFailoverAndFailback(t *testing.T) {
	t.Parallel()
	pub, priv, err := approval.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu         sync.Mutex
		outage     string
		primaryURL string
		endOutage  sync.Once
	)
	harness.Run(t, harness.Options{
		Scenario:      "region-outage",
		Application:   "shop",
		Description:   "West Europe is down: approved unplanned failover of the web shop to North Europe, DNS moved and checked, then failback once the region is back.",
		TerraformDir:  "testdata/region-outage",
		Estate:        "testdata/region-outage/estate.json",
		NeedsEmulator: true,
		Vars:          map[string]any{"run_failover": false, "approver_public_key": approval.FormatPublicKey(pub)},
		DrillVars:     map[string]any{"run_failover": true},
		// The primary region is down: refreshing its resources would fail,
		// as it would in a real outage; the failover needs only the state.
		DrillApplyArgs: []string{"-refresh=false"},
		Objectives:     harness.Objectives{RTO: time.Hour, RPO: 15 * time.Minute},
		BeforeDrill: func(d *harness.Drill) error {
			var plan string
			if err := d.Output("recovery_plan_id", &plan); err != nil {
				return err
			}
			sign := func(action approval.Action) (string, error) {
				return approval.Sign(priv, approval.Approval{PlanID: plan, Action: action, Approver: "incident-manager",
					Expires: time.Now().Add(2 * time.Hour).Truncate(time.Second), Reason: "region outage drill"})
			}
			var err error
			if d.DrillVars["failover_approval"], err = sign(approval.Failover); err != nil {
				return err
			}
			if d.DrillVars["failback_approval"], err = sign(approval.Failback); err != nil {
				return err
			}
			web, err := d.VM("vm-shop-web-1")
			if err != nil {
				return err
			}
			id, err := d.Fault(harness.FaultRule{Kind: harness.FaultOutage, Region: "westeurope"})
			if err != nil {
				return err
			}
			mu.Lock()
			outage, primaryURL = id, web.URL
			mu.Unlock()
			d.Defer(func() error {
				var err error
				endOutage.Do(func() { err = d.EndFault(id) })
				return err
			})
			if status := get(web.URL); status != http.StatusServiceUnavailable {
				return fmt.Errorf("with West Europe down the shop answered HTTP %d (want 503)", status)
			}
			return nil
		},
		// The region comes back once the shop runs on the DR side (DNS
		// switched and checked): re-protect and failback need it.
		OnProgress: func(d *harness.Drill, p harness.Progress) {
			if p.Phase != "recovered" {
				return
			}
			mu.Lock()
			id := outage
			mu.Unlock()
			endOutage.Do(func() {
				if err := d.EndFault(id); err != nil {
					d.Logf("ending the outage: %v", err)
				}
			})
		},
		Verify: func(d *harness.Drill, r *report.Record) error {
			if len(r.Drills) != 1 || r.Drills[0].Kind != "failover" {
				return fmt.Errorf("want one failover, got %+v", r.Drills)
			}
			for _, it := range r.Drills[0].Items {
				if it.ActiveLocation != "Primary" || it.ProtectionState != "Protected" {
					return fmt.Errorf("%s ended %s on %s; after failback it should be Protected on the Primary", it.VM, it.ProtectionState, it.ActiveLocation)
				}
			}
			var switched, back bool
			for _, e := range r.Drills[0].Events {
				if e.Phase == "dns" && len(e.Message) > 0 {
					switched = switched || strings.Contains(e.Message, "answers the recovery endpoint")
					back = back || strings.Contains(e.Message, "answers the primary endpoint")
				}
			}
			if !switched || !back {
				return fmt.Errorf("DNS was not proven to move (to the DR site: %v, back: %v)", switched, back)
			}
			mu.Lock()
			defer mu.Unlock()
			if status := get(primaryURL); status != http.StatusOK {
				return fmt.Errorf("after failback the shop's primary answers HTTP %d", status)
			}
			return nil
		},
	})
}
