package drill

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSite is an in-site runner: it records each batch and fails each
// check (by name) until its attempt number passes.
type fakeSite struct {
	mu       sync.Mutex
	runs     []string       // "vm: check, check"
	attempts map[string]int // per check
	passAt   map[string]int // attempt at which a check passes (0: first)
}

func (f *fakeSite) RunChecks(_ context.Context, vm string, checks []Check, t Target, _ time.Duration) []CheckOutcome {
	f.mu.Lock()
	defer f.mu.Unlock()
	var names []string
	out := make([]CheckOutcome, len(checks))
	for i, c := range checks {
		names = append(names, c.Name)
		f.attempts[c.Name]++
		if f.attempts[c.Name] < f.passAt[c.Name] {
			out[i].Err = fmt.Errorf("%s: not yet (attempt %d on %s)", c.Name, f.attempts[c.Name], vm)
		} else if c.Type == CheckHTTP {
			out[i].Observation = &Observation{DataVersion: 4}
		}
	}
	f.runs = append(f.runs, vm+": "+strings.Join(names, ", "))
	return out
}

// A round of a VM's checks from the DR site is one batch; a retry sends
// only the checks still failing; the runner's checks run directly, in
// their place in the round.
func TestCheckerSiteBatchesPerRound(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	site := &fakeSite{attempts: map[string]int{}, passAt: map[string]int{"sql": 3, "home": 2}}
	var mu sync.Mutex
	var events []string
	k := Checker{
		Checks: []Check{
			{Name: "home", Type: CheckHTTP, URL: "http://{address}/"},
			{Name: "sql", Type: CheckTCP, Address: "{private_ip}:1433"},
			{Name: "lb", Type: CheckHTTP, URL: srv.URL + "/{vm_name}", From: FromRunner},
			{Name: "ssh", Type: CheckTCP, Address: "{private_ip}:22", From: FromDRSite},
		},
		Interval: time.Millisecond, Timeout: time.Second, Site: site,
		Emit: func(phase string, g int, item, msg string) {
			mu.Lock()
			events = append(events, phase+" "+item+": "+msg)
			mu.Unlock()
		},
	}
	vm := "/subscriptions/s/resourceGroups/rg-test/providers/Microsoft.Compute/virtualMachines/web-1-test"
	obs, err := k.RunItem(t.Context(), web1, "web-1", Target{Address: "10.2.0.4", PrivateIP: "10.2.0.4", VMName: "web-1-test", VMID: vm})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{vm + ": home, sql, ssh", vm + ": home, sql", vm + ": sql"}
	if fmt.Sprint(site.runs) != fmt.Sprint(want) {
		t.Errorf("runs = %q, want %q", site.runs, want)
	}
	if obs == nil || obs.DataVersion != 4 {
		t.Errorf("observation = %+v", obs)
	}
	passed := map[string]int{}
	for _, e := range events {
		if n, ok := strings.CutPrefix(e, PhaseCheckPassed+" web-1: "); ok {
			passed[n]++
		}
	}
	for _, c := range k.Checks {
		if passed[c.Name] != 1 {
			t.Errorf("check %s passed %d times in the events %q", c.Name, passed[c.Name], events)
		}
	}
	// The order of a round's events is the checks' order: ssh after lb.
	first := strings.Join(events[:4], "\n")
	if !strings.Contains(first, "lb") || strings.Index(first, "lb") > strings.Index(first, "ssh") {
		t.Errorf("round 1's events out of order:\n%s", first)
	}
}

// The probe VM runs every check from the DR site; checks after a group
// run on its first test VM; with no VM or runner they fail saying why.
func TestCheckerSiteVMs(t *testing.T) {
	site := &fakeSite{attempts: map[string]int{}, passAt: map[string]int{}}
	k := Checker{Checks: []Check{{Name: "lb", Type: CheckHTTP, URL: "http://lb.example/", Once: true}},
		Interval: time.Millisecond, Timeout: time.Second, Site: site, Emit: func(string, int, string, string) {},
		GroupVM: func(g int) string { return fmt.Sprintf("vm-of-group-%d", g) }}
	if err := k.RunAfterGroup(t.Context(), 2, true); err != nil {
		t.Fatal(err)
	}
	k.ProbeVMID = "probe"
	if _, err := (Checker{Checks: []Check{{Name: "home", Type: CheckHTTP, URL: "http://{address}/"}}, Site: site, ProbeVMID: "probe", Emit: k.Emit}).RunItem(t.Context(), db1, "db-1", Target{VMID: "db-1-test"}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"vm-of-group-2: lb", "probe: home"}; fmt.Sprint(site.runs) != fmt.Sprint(want) {
		t.Errorf("runs = %q, want %q", site.runs, want)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := Checker{Checks: []Check{{Name: "home", Type: CheckHTTP, URL: "http://{address}/"}}, Interval: time.Millisecond, Emit: k.Emit}.RunItem(ctx, db1, "db-1", Target{VMID: "x"})
	if err == nil || !strings.Contains(err.Error(), "home (last attempt: runs from the DR site (From dr_site) but the drill has no in-site runner)") {
		t.Errorf("without a runner: %v", err)
	}
}

// Fail-fast holds for checks from the DR site as for direct ones.
func TestCheckerSiteFailFast(t *testing.T) {
	site := &fakeSite{attempts: map[string]int{}, passAt: map[string]int{"home": 1 << 30}}
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	clk := &fakeClock{now: start, step: time.Minute}
	k := Checker{Checks: []Check{{Name: "home", Type: CheckHTTP, URL: "http://{address}/"}},
		Interval: time.Hour, Timeout: time.Second, Site: site, Emit: func(string, int, string, string) {},
		Clock: Clock{Now: clk.Now, Scale: 1e9}, FailFast: &FailFast{From: start, RTO: 5 * time.Minute, Grace: time.Minute}}
	_, err := k.RunItem(t.Context(), db1, "db-1", Target{VMID: "vm"})
	if !errors.Is(err, ErrChecksGaveUp) || !strings.Contains(err.Error(), "home (last attempt: home: not yet") {
		t.Fatalf("RunItem = %v", err)
	}
	if len(site.runs) < 2 {
		t.Errorf("runs = %q: not retried before giving up", site.runs)
	}
}

// Observe asks from where the http check runs: the DR site's VM.
func TestObserveFromSite(t *testing.T) {
	site := &fakeSite{attempts: map[string]int{}, passAt: map[string]int{}}
	k := Checker{Checks: []Check{{Name: "home", Type: CheckHTTP, URL: "http://{address}:8080/shop?x=1"}}, Site: site, Timeout: time.Second}
	o := k.Observe(t.Context(), Target{Address: "10.2.0.4", VMID: "web-1-test"})
	if o == nil || o.DataVersion != 4 || fmt.Sprint(site.runs) != "[web-1-test: observe]" {
		t.Errorf("observation %+v, runs %q", o, site.runs)
	}
}
