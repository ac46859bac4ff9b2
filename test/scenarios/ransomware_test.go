package scenarios

import (
	"fmt"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/test/harness"
	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

// Ransomware: a clean write, then the infection, both replicated to the
// recovery side. The drill recovers from the newest point strictly before
// the infection and proves the recovered server serves the clean data
// version, not the infected one, which the replicas do hold.
func TestRansomwareRecoveryBeforeInfection(t *testing.T) {
	t.Parallel()
	const vm = "vm-files-1"
	var clean, infected int
	harness.Run(t, harness.Options{
		Scenario:      "ransomware-recovery",
		Application:   "files",
		Description:   "The file server is encrypted and the encryption replicated: recover from the newest point before the infection and prove the infected data is absent.",
		TerraformDir:  "testdata/ransomware",
		Estate:        "testdata/ransomware/estate.json",
		NeedsEmulator: true,
		Vars:          map[string]any{"run_drill": false},
		DrillVars:     map[string]any{"run_drill": true},
		BeforeDrill: func(d *harness.Drill) error {
			var err error
			if clean, _, err = d.Canary(vm, "quarterly figures (clean)"); err != nil {
				return err
			}
			if err := waitForPointHolding(d, vm, clean); err != nil {
				return err
			}
			var infectedAt time.Time
			if infected, infectedAt, err = d.Canary(vm, "INFECTED: files encrypted, pay 5 BTC"); err != nil {
				return err
			}
			// The infection replicates too: that is why "latest" is wrong.
			if err := waitForPointHolding(d, vm, infected); err != nil {
				return err
			}
			d.DrillVars["infected_at"] = infectedAt.UTC().Format(time.RFC3339Nano)
			return nil
		},
		Verify: func(d *harness.Drill, r *report.Record) error {
			if len(r.Drills) != 1 || len(r.Drills[0].Items) != 1 {
				return fmt.Errorf("want one drill of one VM, got %+v", r.Drills)
			}
			it := r.Drills[0].Items[0]
			if it.DataVersion == 0 {
				return fmt.Errorf("the recovered server reported no data version")
			}
			if it.DataVersion >= int64(infected) {
				return fmt.Errorf("the recovered server serves data version %d: the infection (version %d) was restored", it.DataVersion, infected)
			}
			if it.DataVersion != int64(clean) {
				return fmt.Errorf("the recovered server serves data version %d, want the last clean one, %d", it.DataVersion, clean)
			}
			// Ground truth: the point used holds the clean version, per the emulator.
			points, err := d.RecoveryPoints(vm)
			if err != nil {
				return err
			}
			for _, p := range points {
				if p.Time.Equal(it.RecoveryPointTime) {
					if p.DataVersion == nil || p.DataVersion.Version >= infected {
						return fmt.Errorf("recovery point %s holds data version %v, not clean data", p.Time, p.DataVersion)
					}
					return nil
				}
			}
			return fmt.Errorf("the recovery point used (%s) is not among %s's points", it.RecoveryPointTime, vm)
		},
	})
}

// waitForPointHolding waits until a recovery point of vm holds version.
func waitForPointHolding(d *harness.Drill, vm string, version int) error {
	return d.WaitFor(fmt.Sprintf("a recovery point of %s holding data version %d", vm, version), 5*time.Minute, func() (bool, error) {
		points, err := d.RecoveryPoints(vm)
		if err != nil {
			return false, err
		}
		return len(points) > 0 && points[0].DataVersion != nil && points[0].DataVersion.Version >= version, nil
	})
}
