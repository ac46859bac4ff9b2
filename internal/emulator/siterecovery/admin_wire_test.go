package siterecovery_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// The admin API's wire shapes, pinned. Every view the admin client
// (internal/emulator/admin) reads is captured for a small estate that sets
// as many optional fields as it can (a test failover, a failover with its
// re-protect, pauses open and closed, a Traffic Manager profile with
// probes), reduced to a skeleton (field names in the order the server
// writes them, each value replaced by its JSON type) and compared with
// testdata/admin_wire.golden. It guards the single definition of each
// admin wire type: a renamed field, a lost omitempty or a new value format
// shows here. Regenerate, only for a wire change made on purpose, with
//
//	go test ./internal/emulator/siterecovery -run TestAdminWireShapes -update

var updateGolden = flag.Bool("update", false, "rewrite testdata/admin_wire.golden")

func TestAdminWireShapes(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1", "vm-web-2")
	base := e.srv.URL()

	// A labelled canary write, then a test failover of vm-web-1 (its
	// testFailover, the test VM) and a failover of vm-web-2 committed and
	// re-protected (its failoverState with a timeline, the recovery VM).
	// The test failover takes the newest point: wait for it to carry the
	// canary, so the shapes do not depend on timing.
	writeCanary(t, tfoSites(t, base)["vm-web-1"].URL)
	emulatortest.Eventually(t, "the newest point carries the canary", func() bool {
		pts := pointsWithVersions(t, base, "vm-web-1")
		return len(pts) > 0 && pts[0].Version == 2
	})
	if _, err := e.testFailover(t, "vm-web-1", ""); err != nil {
		t.Fatalf("test failover: %v", err)
	}
	for _, step := range []struct {
		name string
		in   any
	}{{"unplanned", unplanned("PrimaryToRecovery", true)}, {"commit", nil}, {"reprotect", nil}} {
		if step.name == "reprotect" {
			e.reverseMapping(t)
			step.in = e.reprotect(t, "vm-web-2", "RecoveryToPrimary")
		}
		if _, err := e.action(t, step.name, "vm-web-2", step.in); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
	}
	e.waitProtected(t, "vm-web-2")

	// Pauses: one closed (a region rule removed), one open (a VM's rule).
	closed := addRule(t, base, `{"kind":"replicationPause","region":"eastus"}`)
	emulatortest.Call(t, http.MethodDelete, base+"/_emulator/faults/"+closed, nil, nil)
	addRule(t, base, `{"kind":"replicationPause","vmId":"`+repVMID("rg-prod", "vm-web-1")+`"}`)
	addRule(t, base, `{"kind":"throttle","pathPrefix":"/subscriptions/none/","count":2}`)
	addRule(t, base, `{"kind":"error","status":503,"rate":0.5,"pathPrefix":"/subscriptions/none/"}`)
	addRule(t, base, `{"kind":"drop","afterHandling":true,"pathPrefix":"/subscriptions/none/"}`)
	addRule(t, base, `{"kind":"latency","latencyMs":5,"pathPrefix":"/subscriptions/none/"}`)

	// A Traffic Manager profile on vm-web-1's site, probed.
	port := tfoSites(t, base)["vm-web-1"].Port
	profile := map[string]any{"location": "global", "properties": map[string]any{
		"profileStatus": "Enabled", "trafficRoutingMethod": "Priority",
		"dnsConfig":     map[string]any{"relativeName": "wire-cms", "ttl": 30},
		"monitorConfig": map[string]any{"protocol": "HTTP", "port": port, "path": "/healthz", "intervalInSeconds": 10, "timeoutInSeconds": 5, "toleratedNumberOfFailures": 1},
		"endpoints": []any{map[string]any{"name": "primary", "type": "Microsoft.Network/trafficManagerProfiles/azureEndpoints",
			"properties": map[string]any{"targetResourceId": repVMID("rg-prod", "vm-web-1"), "priority": 1}}},
	}}
	if resp, raw := emulatortest.Call(t, http.MethodPut, base+repGroupID("rg-prod")+"/providers/Microsoft.Network/trafficManagerProfiles/tm-wire?api-version=2022-04-01",
		profile, nil); resp.StatusCode != http.StatusCreated {
		t.Fatalf("PUT profile: %d %s", resp.StatusCode, raw)
	}
	emulatortest.Eventually(t, "a probe of the endpoint", func() bool {
		var out struct {
			Value []struct {
				Endpoints []struct {
					Probes int `json:"probes"`
				} `json:"endpoints"`
			} `json:"value"`
		}
		emulatortest.CallJSON(t, http.MethodGet, base+"/_emulator/trafficmanager", nil, &out)
		return len(out.Value) == 1 && len(out.Value[0].Endpoints) == 1 && out.Value[0].Endpoints[0].Probes > 0
	})
	// Every item has a recovery point (and a number for rpoSeconds).
	emulatortest.Eventually(t, "every item's recovery points", func() bool {
		for _, it := range replicationState(t, base).Value {
			if it.RPOSeconds == nil || len(it.RecoveryPoints) == 0 {
				return false
			}
		}
		return true
	})

	var doc strings.Builder
	view := func(name, method, path string, body any, status int) {
		t.Helper()
		resp, raw := emulatortest.Call(t, method, base+path, body, nil)
		if resp.StatusCode != status {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
		if !json.Valid(raw) {
			t.Fatalf("%s %s: not JSON: %s", method, path, raw)
		}
		doc.WriteString(name + " " + skeleton(raw) + "\n")
	}
	view("healthz", http.MethodGet, "/_emulator/healthz", nil, http.StatusOK)
	view("stats", http.MethodGet, "/_emulator/stats", nil, http.StatusOK)
	view("faults", http.MethodGet, "/_emulator/faults", nil, http.StatusOK)
	view("operations", http.MethodGet, "/_emulator/operations?status=Succeeded", nil, http.StatusOK)
	view("vms", http.MethodGet, "/_emulator/vms", nil, http.StatusOK)
	view("replication", http.MethodGet, "/_emulator/replication", nil, http.StatusOK)
	view("trafficmanager", http.MethodGet, "/_emulator/trafficmanager", nil, http.StatusOK)
	view("addVM", http.MethodPost, "/_emulator/vms", map[string]any{"subscriptionId": emulatortest.Subscription, "resourceGroup": "rg-west",
		"name": "vm-added", "tags": map[string]string{"k": "v"}}, http.StatusCreated)
	view("addEstate", http.MethodPost, "/_emulator/estate", `{"subscriptions":[{"id":"00000000-0000-0000-0000-0000000000bb","resourceGroups":[
		{"name":"rg-more","location":"eastus","virtualMachines":[{"name":"vm-more"}]}]}]}`, http.StatusCreated)

	golden := filepath.Join("testdata", "admin_wire.golden")
	if *updateGolden {
		if err := os.WriteFile(golden, []byte(doc.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	gotLines, wantLines := strings.Split(doc.String(), "\n"), strings.Split(string(want), "\n")
	for i := range wantLines {
		if i >= len(gotLines) || gotLines[i] != wantLines[i] {
			got := ""
			if i < len(gotLines) {
				got = gotLines[i]
			}
			t.Errorf("admin wire shape changed:\n got %s\nwant %s", got, wantLines[i])
		}
	}
	if len(gotLines) > len(wantLines) {
		t.Errorf("admin wire shape: unexpected views %q", gotLines[len(wantLines):])
	}
}

// skeleton is raw's shape: objects with their keys in order, each scalar
// replaced by its type ("string", "time" for an RFC 3339 string, "number",
// "bool", "null"), and each array by the set of its elements' skeletons,
// sorted (so the order of listings and the count of alike items do not
// matter; the shapes they take do). Map-like objects (stats' counters,
// tags) are keyed by data: their keys become "*".
func skeleton(raw []byte) string {
	// Decoding into any would lose the keys' order: walk the tokens.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return walk(dec, "", false)
}

// dataKeyed are the objects whose keys are data, by their key: stats'
// counters (operations also by method, one level down) and tags.
var dataKeyed = map[string]bool{"operations": true, "statuses": true, "faults": true, "tags": true}

// walk reads one value; key is its key in the enclosing object, inData
// whether that object's values are data-keyed objects too.
func walk(dec *json.Decoder, key string, inData bool) string {
	tok, err := dec.Token()
	if err != nil {
		return "invalid"
	}
	switch tok := tok.(type) {
	case json.Delim:
		switch tok {
		case '{':
			var fields []string
			seen := map[string]bool{}
			byData := dataKeyed[key] || inData
			for dec.More() {
				k, _ := dec.Token()
				name := k.(string)
				val := walk(dec, name, byData && key == "operations")
				if byData {
					name = "*"
					if seen[name+val] {
						continue
					}
					seen[name+val] = true
				}
				fields = append(fields, name+":"+val)
			}
			_, _ = dec.Token()
			if byData {
				sort.Strings(fields)
			}
			return "{" + strings.Join(fields, ",") + "}"
		case '[':
			set := map[string]bool{}
			for dec.More() {
				set[walk(dec, "", false)] = true
			}
			_, _ = dec.Token()
			elems := make([]string, 0, len(set))
			for e := range set {
				elems = append(elems, e)
			}
			sort.Strings(elems)
			return "[" + strings.Join(elems, "|") + "]"
		}
	case string:
		if _, err := time.Parse(time.RFC3339Nano, tok); err == nil {
			return "time"
		}
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return "?"
}
