package insite

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

// fakeVMs answers scripts as a Linux VM whose every command succeeds,
// with a canary marker on its disk; it records the scripts.
type fakeVMs struct {
	mu      sync.Mutex
	scripts map[string][]string
	fail    error
}

func (f *fakeVMs) Run(_ context.Context, vm string, script Script) (OS, Output, error) {
	lines := script(Linux)
	f.mu.Lock()
	f.scripts[vm] = append(f.scripts[vm], strings.Join(lines, "\n"))
	f.mu.Unlock()
	if f.fail != nil {
		return Linux, Output{}, f.fail
	}
	var out strings.Builder
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "echo '##azuredr"):
			out.WriteString(strings.Trim(strings.TrimPrefix(l, "echo "), "'") + "\n")
		case strings.HasPrefix(l, `echo "##azuredr`):
			out.WriteString(strings.ReplaceAll(strings.Trim(strings.TrimPrefix(l, "echo "), `"`), "$?", "0") + "\n")
		case strings.HasPrefix(l, "curl "):
			out.WriteString("HTTP/1.1 200 OK\r\n\r\nok\n")
		case strings.HasPrefix(l, "cat "):
			out.WriteString("azuredr-canary nightly\n2026-12-04T03:00:00.000000001Z\n")
		}
	}
	return Linux, Output{Stdout: out.String()}, nil
}

func TestSiteRunsChecksWithTheCanaryRead(t *testing.T) {
	vms := &fakeVMs{scripts: map[string][]string{}}
	s := NewSite(vms)
	var got []Marker
	s.ExpectCanary("VM-1", drill.CanaryFile{}, func(m Marker, err error) {
		if err != nil {
			t.Error(err)
		}
		got = append(got, m)
	})
	checks := []drill.Check{{Name: "home", Type: drill.CheckHTTP, URL: "http://{address}/"}, {Name: "ssh", Type: drill.CheckTCP, Address: "{address}:22"}}
	for range 2 {
		for i, o := range s.RunChecks(t.Context(), "vm-1", checks, drill.Target{Address: "10.0.0.4"}, time.Second) {
			if o.Err != nil {
				t.Errorf("check %d: %v", i, o.Err)
			}
		}
	}
	s.FlushCanary(t.Context(), "vm-1") // already read: nothing to run
	if len(vms.scripts["vm-1"]) != 2 {
		t.Fatalf("runs = %d, want one per round", len(vms.scripts["vm-1"]))
	}
	if !strings.Contains(vms.scripts["vm-1"][0], "cat '/var/lib/azuredr/canary'") || strings.Contains(vms.scripts["vm-1"][1], "canary") {
		t.Errorf("the canary read is not in the first round only:\n%s", strings.Join(vms.scripts["vm-1"], "\n---\n"))
	}
	if strings.Count(vms.scripts["vm-1"][0], "exit 0") != 1 {
		t.Errorf("the script ends twice:\n%s", vms.scripts["vm-1"][0])
	}
	if len(got) != 1 || got[0].Label != "nightly" {
		t.Errorf("markers = %+v", got)
	}

	// A VM without checks reads its marker alone.
	s.ExpectCanary("vm-2", drill.CanaryFile{LinuxPath: "/data/marker"}, func(m Marker, err error) { got = append(got, m) })
	s.FlushCanary(t.Context(), "vm-2")
	if len(vms.scripts["vm-2"]) != 1 || !strings.Contains(vms.scripts["vm-2"][0], "cat '/data/marker'") || len(got) != 2 {
		t.Errorf("alone: %q, %+v", vms.scripts["vm-2"], got)
	}

	// A Run Command that fails fails every check of its batch.
	vms.fail = errors.New("Run Command on vm-1: 409 Conflict")
	for _, o := range s.RunChecks(t.Context(), "vm-1", checks, drill.Target{}, time.Second) {
		if o.Err == nil || !strings.Contains(o.Err.Error(), "409") {
			t.Errorf("outcome = %v", o.Err)
		}
	}
}
