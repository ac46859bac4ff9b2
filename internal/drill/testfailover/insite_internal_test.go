package testfailover

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/insite"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/siterecovery"
)

// fakeExec is a Linux test network: nc reaches only the addresses in
// open; every script is recorded by VM.
type fakeExec struct {
	mu      sync.Mutex
	open    map[string]bool // "ip port"
	scripts map[string][][]string
}

func (f *fakeExec) Run(_ context.Context, vm string, script insite.Script) (insite.OS, insite.Output, error) {
	lines := script(insite.Linux)
	f.mu.Lock()
	f.scripts[vm] = append(f.scripts[vm], lines)
	f.mu.Unlock()
	var out strings.Builder
	code := 0
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "nc -z"):
			a := strings.Fields(l) // nc -z -w 3 'ip' 'port' 2>&1
			code = 1
			if f.open[strings.Trim(a[4], "'")+" "+strings.Trim(a[5], "'")] {
				code = 0
			}
		case strings.HasPrefix(l, "echo '"):
			out.WriteString(strings.Trim(strings.TrimPrefix(l, "echo "), "'") + "\n")
		case strings.HasPrefix(l, `echo "`):
			out.WriteString(strings.ReplaceAll(strings.Trim(strings.TrimPrefix(l, "echo "), `"`), "$?", fmt.Sprint(code)) + "\n")
		}
	}
	return insite.Linux, insite.Output{Stdout: out.String()}, nil
}

func proofRunner(exec insite.Executes, spec Spec) *runner {
	r := &runner{spec: spec, res: &Result{}}
	r.log.Clock = drill.WallClock()
	r.log.Start()
	r.useSite(exec)
	for i, name := range []string{"db-1", "web-1"} {
		r.items = append(r.items, &itemState{
			info:    &siterecovery.Item{SourceVMName: name},
			group:   1,
			prodIPs: []string{fmt.Sprintf("10.1.0.%d", 4+i)},
			res:     ItemResult{ItemID: name},
		})
		r.items[i].info.ID.Name = name
	}
	return r
}

const testVMID = "/subscriptions/s/resourceGroups/rg-dr/providers/Microsoft.Compute/virtualMachines/web-1-test"

func TestIsolationProof(t *testing.T) {
	spec := validSpec()
	spec.Checks = []drill.Check{{Name: "sql", Type: drill.CheckTCP, Address: "{private_ip}:1433"}, {Name: "web", Type: drill.CheckHTTP, URL: "https://{address}/"}}
	exec := &fakeExec{scripts: map[string][][]string{}, open: map[string]bool{}}
	r := proofRunner(exec, spec)
	vm := &testVM{ID: testVMID, Name: "web-1-test", Subnet: "subnet-a"}
	if err := r.proveIsolation(t.Context(), r.items[1], vm); err != nil {
		t.Fatalf("isolated network: %v", err)
	}
	// Every production address on 22, 80, 443, 3389 and the checks' 1433
	// (443 once).
	if got := len(exec.scripts[testVMID]); got != 1 {
		t.Fatalf("runs = %d, want 1", got)
	}
	script := strings.Join(exec.scripts[testVMID][0], "\n")
	for _, want := range []string{"nc -z -w 3 '10.1.0.4' '22'", "nc -z -w 3 '10.1.0.5' '1433'", "nc -z -w 3 '10.1.0.5' '3389'"} {
		if !strings.Contains(script, want) {
			t.Errorf("the proof lacks %q:\n%s", want, script)
		}
	}
	if n := strings.Count(script, "nc -z"); n != 10 {
		t.Errorf("%d probes, want 10:\n%s", n, script)
	}
	// A second item of the same subnet gets the verdict without a run.
	if err := r.proveIsolation(t.Context(), r.items[0], &testVM{ID: "other", Name: "db-1-test", Subnet: "subnet-a"}); err != nil || len(exec.scripts["other"]) != 0 {
		t.Errorf("same subnet: %v, runs %d", err, len(exec.scripts["other"]))
	}

	exec.open["10.1.0.4 1433"] = true
	r = proofRunner(exec, spec)
	err := r.proveIsolation(t.Context(), r.items[1], vm)
	if err == nil || err.Error() != "test network is not isolated: web-1-test reached db-1 10.1.0.4:1433" {
		t.Errorf("reaching production: %v", err)
	}
	spec.Isolation.Skip = true
	r = proofRunner(exec, spec)
	if err := r.proveIsolation(t.Context(), r.items[1], vm); err != nil {
		t.Errorf("skipped proof: %v", err)
	}
}

func TestNeedsPublicIP(t *testing.T) {
	s := validSpec()
	r := &runner{spec: s}
	if r.needsPublicIP() {
		t.Error("a drill of checks from the DR site makes public IPs")
	}
	r.spec.Checks = append(r.spec.Checks, drill.Check{Name: "lb", Type: drill.CheckHTTP, URL: "http://{address}/", From: drill.FromRunner})
	if !r.needsPublicIP() {
		t.Error("a check from the runner gets no public IP")
	}
}

func TestFileCanaryLoss(t *testing.T) {
	at := time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC)
	writes := []drill.CanaryWrite{{Item: "a", File: "/var/lib/azuredr/canary", WrittenAt: at}, {Item: "b", File: "/var/lib/azuredr/canary", WrittenAt: at}}
	items := []ItemResult{{ItemID: "a", CanaryMarkerAt: at}, {ItemID: "b", CanaryMarkerAt: at.Add(-90 * time.Second)}}
	if l := canaryLoss(writes, items); l == nil || *l != 90*time.Second {
		t.Errorf("loss = %v, want 1m30s", l)
	}
	if l := canaryLoss(writes, []ItemResult{{ItemID: "a"}}); l != nil {
		t.Errorf("no marker found, loss = %v", *l)
	}
}
