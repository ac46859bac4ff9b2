package scenarios

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/test/harness"
	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

// Hardware failure of one VM of a multi-VM estate: the host under
// vm-erp-app-2 fails (the emulator's vmFailure fault: its site stops
// answering and its replication stops). The drill recovers that server alone
// and proves the other two kept serving production, untouched.
func TestHardwareFailureOfOneVM(t *testing.T) {
	t.Parallel()
	const failed = "vm-erp-app-2"
	harness.Run(t, harness.Options{
		Scenario:      "hardware-failure",
		Application:   "erp",
		Description:   "The host under one ERP application server fails: that server alone is recovered from its newest recovery point while the rest of the estate keeps running.",
		TerraformDir:  "testdata/hardware-failure",
		Estate:        "testdata/hardware-failure/estate.json",
		NeedsEmulator: true,
		Vars:          map[string]any{"run_drill": false, "failed_vm": failed},
		DrillVars:     map[string]any{"run_drill": true},
		Objectives:    harness.Objectives{RTO: 30 * time.Minute, RPO: 15 * time.Minute},
		BeforeDrill: func(d *harness.Drill) error {
			vm, err := d.VM(failed)
			if err != nil {
				return err
			}
			id, err := d.Fault(harness.FaultRule{Kind: harness.FaultVMFailure, VMID: vm.ID})
			if err != nil {
				return err
			}
			d.Defer(func() error { return d.EndFault(id) })
			if status := get(vm.URL); status != http.StatusServiceUnavailable {
				return fmt.Errorf("after its host failed, %s answered HTTP %d (want 503)", failed, status)
			}
			return nil
		},
		Verify: func(d *harness.Drill, r *report.Record) error {
			if len(r.Drills) != 1 || len(r.Drills[0].Items) != 1 || r.Drills[0].Items[0].VM != failed {
				return fmt.Errorf("the drill should recover %s alone; it recovered %+v", failed, r.Drills)
			}
			for _, name := range []string{"vm-erp-app-1", "vm-erp-db-1"} {
				vm, err := d.VM(name)
				if err != nil {
					return err
				}
				if vm.Role != "primary" || get(vm.URL) != http.StatusOK {
					return fmt.Errorf("%s was touched by the drill: role %s, its site answers %d", name, vm.Role, get(vm.URL))
				}
			}
			return nil
		},
	})
}

// get is the status of a GET (0 when nothing answers).
func get(url string) int {
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
