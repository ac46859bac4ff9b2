package compute_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

func TestCanaryWritesANewDataVersionDurably(t *testing.T) {
	dir := t.TempDir()
	seed := emulatortest.WriteSeed(t, emulatortest.EstateSeed)
	srv := emulatortest.Start(t, emulator.Options{DataDir: dir, SeedFile: seed})
	site := emulatortest.VMSites(t, srv.URL())["vm-web-1"]
	seeded := site.DataVersion

	status, first, body := emulatortest.PostCanary(t, site.URL, "")
	if status != http.StatusOK || first.VM != "vm-web-1" || first.Version != 2 || first.WrittenAt.Before(seeded.WrittenAt) {
		t.Fatalf("first canary: %d %s (seeded %+v)", status, body, seeded)
	}
	status, second, body := emulatortest.PostCanary(t, site.URL, "order #1001")
	if status != http.StatusOK || second.Version != 3 || second.WrittenAt.Before(first.WrittenAt) {
		t.Fatalf("second canary: %d %s", status, body)
	}
	status, page, header := emulatortest.GetPage(t, site.URL)
	if status != http.StatusOK || !strings.Contains(page, `id="data-version">3<`) || header.Get(web.HeaderDataVersion) != "3" ||
		!strings.Contains(page, "order #1001") || !strings.Contains(page, `id="role">primary<`) {
		t.Fatalf("the page after two canaries: %d %s", status, page)
	}
	if got := emulatortest.VMSites(t, srv.URL())["vm-web-1"].DataVersion; got.Version != 3 || !got.WrittenAt.Equal(second.WrittenAt) {
		t.Fatalf("/_emulator/vms after two canaries: %+v", got)
	}
	if h := srv.VMHistory(site.ID); len(h) != 3 || h[0].Version != 1 || h[1].Version != 2 || h[2].Version != 3 || h[2].Label != "order #1001" {
		t.Fatalf("history: %+v", h)
	}
	// The other VMs are untouched.
	if v := emulatortest.VMSites(t, srv.URL())["vm-web-2"].DataVersion.Version; v != 1 {
		t.Fatalf("another VM's version: %d", v)
	}

	// Methods and limits.
	if status, _, _ := emulatortest.GetPage(t, site.URL+"canary"); status != http.StatusMethodNotAllowed {
		t.Fatalf("GET /canary: %d", status)
	}
	if status, _, _ := emulatortest.PostCanary(t, strings.TrimSuffix(site.URL, "/")+"/x/", ""); status != http.StatusNotFound {
		t.Fatalf("POST /x/canary: %d", status)
	}
	if status, _, _ := emulatortest.PostCanary(t, site.URL, strings.Repeat("x", web.MaxCanaryLabel+1)); status != http.StatusRequestEntityTooLarge {
		t.Fatalf("a label over 1 KiB: %d", status)
	}

	// Acknowledged writes survive a restart.
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	again := emulatortest.Start(t, emulator.Options{DataDir: dir, SeedFile: seed})
	after := emulatortest.VMSites(t, again.URL())["vm-web-1"]
	if after.DataVersion.Version != 3 || after.URL != site.URL {
		t.Fatalf("after a restart: %+v", after)
	}
	if status, page, _ := emulatortest.GetPage(t, after.URL); status != http.StatusOK || !strings.Contains(page, `id="data-version">3<`) {
		t.Fatalf("the page after a restart: %d %s", status, page)
	}
	if status, next, body := emulatortest.PostCanary(t, after.URL, ""); status != http.StatusOK || next.Version != 4 {
		t.Fatalf("a canary after a restart: %d %s", status, body)
	}
	if h := again.VMHistory(site.ID); len(h) != 4 {
		t.Fatalf("history after a restart: %+v", h)
	}
}

func TestConcurrentCanariesGetDistinctVersions(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{SeedFile: emulatortest.WriteSeed(t, emulatortest.EstateSeed)})
	site := emulatortest.VMSites(t, srv.URL())["vm-standby"]
	const n = 20
	var mu sync.Mutex
	seen := map[int]bool{}
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(site.URL+"canary", "text/plain", strings.NewReader("w"+strconv.Itoa(i)))
			if err != nil {
				t.Error(err)
				return
			}
			defer func() { _ = resp.Body.Close() }()
			var out emulatortest.CanaryResult
			if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
				t.Errorf("canary %d: %d %v", i, resp.StatusCode, err)
				return
			}
			mu.Lock()
			seen[out.Version] = true
			mu.Unlock()
		}()
	}
	wg.Wait()
	for v := 2; v <= n+1; v++ {
		if !seen[v] {
			t.Fatalf("version %d missing from %v", v, seen)
		}
	}
	if _, _, header := emulatortest.GetPage(t, site.URL); header.Get(web.HeaderDataVersion) != strconv.Itoa(n+1) {
		t.Fatalf("the page shows version %s, want %d", header.Get(web.HeaderDataVersion), n+1)
	}
}

func TestCanaryDuringARegionOutageIs503(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{SeedFile: emulatortest.WriteSeed(t, emulatortest.EstateSeed)})
	site := emulatortest.VMSites(t, srv.URL())["vm-web-1"]
	var rule struct{ ID string }
	if resp := emulatortest.CallJSON(t, http.MethodPost, srv.URL()+"/_emulator/faults", `{"kind":"outage","region":"centralus"}`, &rule); resp.StatusCode != http.StatusCreated {
		t.Fatalf("adding the outage: %d", resp.StatusCode)
	}
	if status, _, _ := emulatortest.PostCanary(t, site.URL, ""); status != http.StatusServiceUnavailable {
		t.Fatalf("a canary during the outage: %d", status)
	}
	if h := srv.VMHistory(site.ID); len(h) != 1 {
		t.Fatalf("a refused canary was written: %+v", h)
	}
	if resp, _ := emulatortest.Call(t, http.MethodDelete, srv.URL()+"/_emulator/faults/"+rule.ID, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("removing the outage: %d", resp.StatusCode)
	}
	if status, out, body := emulatortest.PostCanary(t, site.URL, ""); status != http.StatusOK || out.Version != 2 {
		t.Fatalf("a canary after the outage: %d %s", status, body)
	}
}

func TestOnlyPrimaryVMsTakeCanaries(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{SeedFile: emulatortest.WriteSeed(t, emulatortest.EstateSeed)})
	site := emulatortest.VMSites(t, srv.URL())["vm-standby"]
	if err := srv.SetVMRole(site.ID, "test"); err != nil {
		t.Fatal(err)
	}
	status, _, body := emulatortest.PostCanary(t, site.URL, "")
	if status != http.StatusConflict || !strings.Contains(body, "vm-standby is a test VM, not a primary") {
		t.Fatalf("a canary on a test VM: %d %s", status, body)
	}
	if s := emulatortest.VMSites(t, srv.URL())["vm-standby"]; s.Role != "test" || s.DataVersion.Version != 1 {
		t.Fatalf("/_emulator/vms: %+v", s)
	}
	if _, page, header := emulatortest.GetPage(t, site.URL); !strings.Contains(page, `id="role">test<`) || header.Get(web.HeaderRole) != "test" {
		t.Fatalf("the test VM's page: %s", page)
	}
	if err := srv.SetVMRole(site.ID, "primary"); err != nil {
		t.Fatal(err)
	}
	if status, out, body := emulatortest.PostCanary(t, site.URL, ""); status != http.StatusOK || out.Version != 2 {
		t.Fatalf("a canary on the primary again: %d %s", status, body)
	}
}
