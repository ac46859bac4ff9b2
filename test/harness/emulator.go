package harness

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

// VM is one VM of the emulator's estate, as its admin API lists it.
type VM = admin.VM

// RecoveryPoint is one recovery point of a replicated VM, with the data
// version it holds (the emulator's ground truth).
type RecoveryPoint = admin.RecoveryPoint

// addEstate adds the estate file to the emulator under subscription sub
// (replacing the file's one subscription id) and returns its VMs by name.
func (tg Target) addEstate(path, sub string) (map[string]VM, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("estate: %w", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("estate %s: %w", path, err)
	}
	subs, _ := doc["subscriptions"].([]any)
	if len(subs) != 1 {
		return nil, fmt.Errorf("estate %s: a drill's estate holds exactly one subscription (it gets a fresh id), not %d", path, len(subs))
	}
	subs[0].(map[string]any)["id"] = sub
	body, _ := json.Marshal(doc)
	api, err := tg.adminAPI()
	if err != nil {
		return nil, fmt.Errorf("estate %s: %w", path, err)
	}
	added, err := api.AddEstate(context.Background(), body)
	if err != nil {
		return nil, fmt.Errorf("estate %s: %w", path, err)
	}
	vms := map[string]VM{}
	for _, vm := range added.VirtualMachines {
		vms[vm.Name] = vm
	}
	return vms, nil
}

// ownVMs lists the emulator's VMs of this drill's subscription.
func (d *Drill) ownVMs() ([]VM, error) {
	api, err := d.Target.adminAPI()
	if err != nil {
		return nil, err
	}
	all, err := api.VMs(context.Background())
	if err != nil {
		return nil, err
	}
	var mine []VM
	for _, vm := range all {
		if strings.Contains(strings.ToLower(vm.ID), "/subscriptions/"+strings.ToLower(d.SubscriptionID)+"/") {
			mine = append(mine, vm)
		}
	}
	return mine, nil
}

// testVMs names this drill's test-failover VMs still in the emulator.
func (d *Drill) testVMs() ([]string, error) {
	vms, err := d.ownVMs()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, vm := range vms {
		if vm.Role == "test" {
			names = append(names, vm.Name)
		}
	}
	return names, nil
}

// VM returns the estate's VM by name, as the emulator shows it now.
func (d *Drill) VM(name string) (VM, error) {
	vms, err := d.ownVMs()
	if err != nil {
		return VM{}, err
	}
	for _, vm := range vms {
		if vm.Name == name {
			return vm, nil
		}
	}
	return VM{}, fmt.Errorf("no VM %q in the drill's estate", name)
}

// Canary writes a new data version on a production VM (POST /canary on its
// site) and returns it with its write time (the emulator's clock).
func (d *Drill) Canary(vmName, label string) (version int, writtenAt time.Time, err error) {
	vm, err := d.VM(vmName)
	if err != nil {
		return 0, time.Time{}, err
	}
	resp, err := http.Post(strings.TrimSuffix(vm.URL, "/")+"/canary", "text/plain", strings.NewReader(label))
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("canary on %s: %w", vmName, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return 0, time.Time{}, fmt.Errorf("canary on %s: HTTP %d: %s", vmName, resp.StatusCode, raw)
	}
	var out struct {
		Version   int       `json:"version"`
		WrittenAt time.Time `json:"writtenAt"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return 0, time.Time{}, fmt.Errorf("canary on %s: %w", vmName, err)
	}
	d.Logf("canary on %s: data version %d written at %s", vmName, out.Version, out.WrittenAt.Format(time.RFC3339))
	return out.Version, out.WrittenAt, nil
}

// RecoveryPoints lists a replicated VM's recovery points, newest first,
// with the data version each holds.
func (d *Drill) RecoveryPoints(vmName string) ([]RecoveryPoint, error) {
	api, err := d.Target.adminAPI()
	if err != nil {
		return nil, err
	}
	rep, err := api.Replication(context.Background())
	if err != nil {
		return nil, err
	}
	for _, it := range rep.Items {
		if it.VMName == vmName && strings.Contains(strings.ToLower(it.VMID), strings.ToLower(d.SubscriptionID)) {
			return it.RecoveryPoints, nil
		}
	}
	return nil, fmt.Errorf("no replicated VM %q in the drill's subscription", vmName)
}

// WaitFor polls cond every second until it returns true, an error, or
// timeout passes.
func (d *Drill) WaitFor(what string, timeout time.Duration, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waiting for %s: not within %s", what, timeout)
		}
		time.Sleep(time.Second)
	}
}

// Fault injects an emulator fault (see the emulator's README: outage,
// throttle, error, latency, replicationPause, vmFailure) and returns its id.
func (d *Drill) Fault(rule admin.FaultRule) (string, error) {
	api, err := d.Target.adminAPI()
	if err != nil {
		return "", err
	}
	f, err := api.AddFault(context.Background(), rule)
	if err != nil {
		return "", err
	}
	body, _ := json.Marshal(rule)
	d.Logf("fault %s injected: %s", f.ID, body)
	return f.ID, nil
}

// EndFault removes a fault.
func (d *Drill) EndFault(id string) error {
	api, err := d.Target.adminAPI()
	if err != nil {
		return err
	}
	if err := api.DeleteFault(context.Background(), id); err != nil {
		return err
	}
	d.Logf("fault %s ended", id)
	return nil
}

// Output reads a Terraform output's value as JSON into out.
func (d *Drill) Output(name string, out any) error {
	text, err := d.terraform(context.Background(), "output", "output", "-json", name)
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(text), out)
}

// waitForRecoveryPoints refreshes the replicated VMs until each reports a
// recovery point: a drill needs one to fail over to.
func (d *Drill) waitForRecoveryPoints(ctx context.Context) error {
	resources, err := d.state(ctx)
	if err != nil {
		return err
	}
	args := []string{"apply", "-refresh-only", "-input=false", "-auto-approve", "-no-color", "-compact-warnings"}
	n := 0
	for _, r := range resources {
		if r.Mode == "managed" && r.Type == "azuredr_replicated_vm" {
			args = append(args, "-target="+r.Address)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	start := time.Now()
	for {
		if _, err := d.terraform(ctx, "refresh", args...); err != nil {
			return err
		}
		resources, err := d.state(ctx)
		if err != nil {
			return err
		}
		waiting := 0
		for _, r := range resources {
			if r.Mode == "managed" && r.Type == "azuredr_replicated_vm" && r.Values["latest_recovery_point"] == nil {
				waiting++
			}
		}
		if waiting == 0 {
			d.Logf("every replicated VM (%d) has a recovery point", n)
			return nil
		}
		d.Logf("%d of %d replicated VM(s) have no recovery point yet (%s)", waiting, n, time.Since(start).Round(time.Second))
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for recovery points: %w", ctx.Err())
		case <-time.After(3 * time.Second):
		}
	}
}

// newGUID is a random subscription id.
func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
