package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

func TestFaults(t *testing.T) {
	_, c := start(t)
	f, err := c.AddFault(ctx(t), admin.FaultRule{Kind: admin.FaultThrottle, PathPrefix: "/subscriptions/", Count: 3})
	if err != nil {
		t.Fatal(err)
	}
	// The server's defaults come back filled in.
	if f.ID == "" || f.Kind != admin.FaultThrottle || f.RetryAfterSeconds != 1 || f.Rate != 1 || f.Count != 3 || f.Applied != 0 {
		t.Fatalf("added %+v, want a throttle with an id, Retry-After 1, rate 1, count 3", f)
	}
	lat, err := c.AddFault(ctx(t), admin.FaultRule{Kind: admin.FaultLatency, LatencyMs: 5, Rate: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if lat.LatencyMs != 5 || lat.Rate != 0.5 || lat.Count != 0 {
		t.Fatalf("added %+v, want latency 5 ms at rate 0.5, no count", lat)
	}
	list, err := c.Faults(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0] != f || list[1] != lat {
		t.Fatalf("listed %+v, want %+v and %+v", list, f, lat)
	}

	if err := c.DeleteFault(ctx(t), f.ID); err != nil {
		t.Fatal(err)
	}
	err = c.DeleteFault(ctx(t), f.ID)
	e := wantError(t, err, http.StatusNotFound, "FaultNotFound")
	if e.Method != http.MethodDelete || e.Path != "/_emulator/faults/"+f.ID || !strings.Contains(e.Message, f.ID) {
		t.Fatalf("error %+v does not name the request and the rule", e)
	}

	if err := c.ClearFaults(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if list, err := c.Faults(ctx(t)); err != nil || len(list) != 0 {
		t.Fatalf("after clearing: %+v (%v), want none", list, err)
	}
}

// A rule the server refuses is its 400, with the field it names.
func TestAddFaultRefused(t *testing.T) {
	_, c := start(t)
	_, err := c.AddFault(ctx(t), admin.FaultRule{Kind: admin.FaultLatency})
	e := wantError(t, err, http.StatusBadRequest, "InvalidFaultRule")
	if !strings.Contains(e.Message, "latencyMs") || !strings.Contains(err.Error(), "POST /_emulator/faults: HTTP 400 InvalidFaultRule") {
		t.Fatalf("error %q does not name the field", err)
	}
	_, err = c.AddFault(ctx(t), admin.FaultRule{Kind: admin.FaultOutage})
	wantError(t, err, http.StatusBadRequest, "InvalidFaultRule")
}
