package compute_test

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

const computeAPI = "2024-11-01"

func vmURL(base, group, name string) string {
	return base + "/subscriptions/" + emulatortest.Subscription + "/resourceGroups/" + group + "/providers/Microsoft.Compute/virtualMachines/" + name
}

func TestSeededVMsServeTheirSitesOnDistinctAddressesAndOnePort(t *testing.T) {
	dir := t.TempDir()
	srv := emulatortest.Start(t, emulator.Options{DataDir: dir, SeedFile: emulatortest.WriteSeed(t, emulatortest.EstateSeed)})
	sites := emulatortest.VMSites(t, srv.URL())
	if len(sites) != 3 {
		t.Fatalf("sites = %+v", sites)
	}
	seen := map[string]bool{}
	for name, s := range sites {
		ip := net.ParseIP(s.Address)
		if !s.Running || ip == nil || !(&net.IPNet{IP: net.IPv4(127, 64, 0, 0), Mask: net.CIDRMask(10, 32)}).Contains(ip) {
			t.Fatalf("%s: %+v not running in 127.64.0.0/10", name, s)
		}
		if s.Port != srv.WebPort() || s.URL != "http://"+s.Address+":"+strconv.Itoa(s.Port)+"/" || s.DataVersion.Version != 1 {
			t.Fatalf("%s: %+v (web port %d)", name, s, srv.WebPort())
		}
		if seen[s.Address] {
			t.Fatalf("two VMs share %s", s.Address)
		}
		seen[s.Address] = true
		status, body, header := emulatortest.GetPage(t, s.URL)
		if status != http.StatusOK || !strings.Contains(body, name) || !strings.Contains(body, s.Location) ||
			!strings.Contains(body, `id="data-version">1<`) || header.Get(web.HeaderDataVersion) != "1" {
			t.Fatalf("%s: page %d %s", name, status, body)
		}
		if status, body, _ := emulatortest.GetPage(t, s.URL+"healthz"); status != http.StatusOK || body != "ok\n" {
			t.Fatalf("%s: healthz %d %q", name, status, body)
		}
	}
	if s := sites["vm-web-2"]; s.Location != "eastus2" {
		t.Fatalf("a VM's own location was not used: %+v", s)
	}
	if _, body, _ := emulatortest.GetPage(t, sites["vm-web-1"].URL); !strings.Contains(body, "<title>Milestone CMS</title>") {
		t.Fatalf("the site's title is missing: %s", body)
	}
	if status, _, _ := emulatortest.GetPage(t, sites["vm-web-1"].URL+"nothing-here"); status != http.StatusNotFound {
		t.Fatalf("unknown path: %d", status)
	}

	// A restart serves the same VMs at the same addresses and port.
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	again := emulatortest.Start(t, emulator.Options{DataDir: dir, SeedFile: emulatortest.WriteSeed(t, emulatortest.EstateSeed)})
	after := emulatortest.VMSites(t, again.URL())
	for name, s := range sites {
		if a := after[name]; a.URL != s.URL || !a.Running {
			t.Fatalf("%s moved from %s to %+v", name, s.URL, a)
		}
		if status, body, _ := emulatortest.GetPage(t, s.URL); status != http.StatusOK || !strings.Contains(body, name) {
			t.Fatalf("%s after restart: %d %s", name, status, body)
		}
	}
}

func TestVirtualMachinesGetAndList(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{SeedFile: emulatortest.WriteSeed(t, emulatortest.EstateSeed)})
	base := srv.URL()
	sites := emulatortest.VMSites(t, base)

	var vm struct {
		ID         string            `json:"id"`
		Name       string            `json:"name"`
		Type       string            `json:"type"`
		Location   string            `json:"location"`
		Tags       map[string]string `json:"tags"`
		Properties struct {
			VMID              string `json:"vmId"`
			ProvisioningState string `json:"provisioningState"`
			InstanceView      *struct {
				Statuses []struct{ Code string } `json:"statuses"`
			} `json:"instanceView"`
		} `json:"properties"`
	}
	resp := emulatortest.CallJSON(t, http.MethodGet, vmURL(base, "rg-prod", "VM-WEB-1")+"?api-version="+computeAPI, nil, &vm)
	if resp.StatusCode != http.StatusOK || vm.Name != "vm-web-1" || vm.Type != "Microsoft.Compute/virtualMachines" || vm.Location != "centralus" ||
		vm.Tags["role"] != "web" || vm.Tags[emulator.WebTag] != sites["vm-web-1"].URL || vm.Properties.ProvisioningState != "Succeeded" ||
		vm.Properties.VMID == "" || vm.Properties.InstanceView != nil {
		t.Fatalf("GET: %d %+v", resp.StatusCode, vm)
	}
	resp = emulatortest.CallJSON(t, http.MethodGet, vmURL(base, "rg-prod", "vm-web-1")+"?api-version="+computeAPI+"&$expand=instanceView", nil, &vm)
	if resp.StatusCode != http.StatusOK || vm.Properties.InstanceView == nil || len(vm.Properties.InstanceView.Statuses) != 2 ||
		vm.Properties.InstanceView.Statuses[1].Code != "PowerState/running" {
		t.Fatalf("GET $expand=instanceView: %d %+v", resp.StatusCode, vm.Properties.InstanceView)
	}
	var iv struct {
		Statuses []struct{ Code string } `json:"statuses"`
	}
	if resp := emulatortest.CallJSON(t, http.MethodGet, vmURL(base, "rg-prod", "vm-web-1")+"/instanceView?api-version="+computeAPI, nil, &iv); resp.StatusCode != http.StatusOK ||
		len(iv.Statuses) != 2 || iv.Statuses[0].Code != "ProvisioningState/succeeded" {
		t.Fatalf("instanceView: %d %+v", resp.StatusCode, iv)
	}

	var page struct {
		Value []struct{ Name string } `json:"value"`
	}
	listed := func(url string) []string {
		t.Helper()
		page.Value = nil
		if resp := emulatortest.CallJSON(t, http.MethodGet, url, nil, &page); resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", url, resp.StatusCode)
		}
		var names []string
		for _, v := range page.Value {
			names = append(names, v.Name)
		}
		return names
	}
	if got := strings.Join(listed(base+"/subscriptions/"+emulatortest.Subscription+"/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines?api-version="+computeAPI), ","); got != "vm-web-1,vm-web-2" {
		t.Fatalf("list by group = %s", got)
	}
	if got := strings.Join(listed(base+"/subscriptions/"+emulatortest.Subscription+"/providers/Microsoft.Compute/virtualMachines?api-version="+computeAPI), ","); got != "vm-web-1,vm-web-2,vm-standby" {
		t.Fatalf("list all = %s", got)
	}
	if got := strings.Join(listed(base+"/subscriptions/"+emulatortest.Subscription+"/providers/Microsoft.Compute/locations/eastus2/virtualMachines?api-version="+computeAPI), ","); got != "vm-web-2,vm-standby" {
		t.Fatalf("list by location = %s", got)
	}

	for url, code := range map[string]string{
		vmURL(base, "rg-prod", "vm-nope"):         "ResourceNotFound",
		vmURL(base, "rg-nope", "vm-web-1"):        "ResourceGroupNotFound",
		vmURL(base, "rg-prod", "vm-web-1") + "/x": "InvalidResourceType",
	} {
		resp, body := emulatortest.Call(t, http.MethodGet, url+"?api-version="+computeAPI, nil, nil)
		if resp.Header.Get("x-ms-error-code") != code {
			t.Errorf("GET %s: %d %s, want %s", url, resp.StatusCode, body, code)
		}
	}
}

func TestARegionOutageTakesItsSitesDown(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{SeedFile: emulatortest.WriteSeed(t, emulatortest.EstateSeed)})
	sites := emulatortest.VMSites(t, srv.URL())
	var rule struct{ ID string }
	if resp := emulatortest.CallJSON(t, http.MethodPost, srv.URL()+"/_emulator/faults", `{"kind":"outage","region":"centralus"}`, &rule); resp.StatusCode != http.StatusCreated {
		t.Fatalf("adding the outage: %d", resp.StatusCode)
	}
	for _, path := range []string{"", "healthz"} {
		if status, _, header := emulatortest.GetPage(t, sites["vm-web-1"].URL+path); status != http.StatusServiceUnavailable || header.Get(web.HeaderRegion) != "centralus" {
			t.Fatalf("centralus site /%s during the outage: %d", path, status)
		}
	}
	if status, _, _ := emulatortest.GetPage(t, sites["vm-standby"].URL); status != http.StatusOK {
		t.Fatalf("eastus2 site during the centralus outage: %d", status)
	}
	if s := emulatortest.VMSites(t, srv.URL())["vm-web-1"]; !s.Running {
		t.Fatalf("an outage is not a stopped VM: %+v", s)
	}
	if resp, _ := emulatortest.Call(t, http.MethodDelete, srv.URL()+"/_emulator/faults/"+rule.ID, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("removing the outage: %d", resp.StatusCode)
	}
	if status, _, _ := emulatortest.GetPage(t, sites["vm-web-1"].URL); status != http.StatusOK {
		t.Fatalf("centralus site after the outage: %d", status)
	}
}

func TestVMsGoAwayWithTheirResourceGroup(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{SeedFile: emulatortest.WriteSeed(t, emulatortest.EstateSeed), TimeScale: emulatortest.Fast})
	url := emulatortest.VMSites(t, srv.URL())["vm-standby"].URL
	if _, err := emulatortest.GroupsClient(t, srv.URL()).BeginDelete(emulatortest.Context(t), "rg-standby", nil); err != nil {
		t.Fatal(err)
	}
	emulatortest.Eventually(t, "the standby VM's site to stop", func() bool {
		_, ok := emulatortest.VMSites(t, srv.URL())["vm-standby"]
		resp, err := http.Get(url)
		if err == nil {
			_ = resp.Body.Close()
		}
		return !ok && err != nil
	})
}

func TestBadVirtualMachineSeedsAreRefusedNamingTheItem(t *testing.T) {
	group := func(vms string) string {
		return `{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[{"name":"rg-a","location":"eastus"},{"name":"rg-b","location":"eastus","virtualMachines":[` + vms + `]}]}]}`
	}
	cases := map[string]struct{ seed, want string }{
		"unknown field":     {group(`{"name":"vm1","colour":"big"}`), `"colour"`},
		"unknown site item": {group(`{"name":"vm1","site":{"titel":"x"}}`), `"titel"`},
		"bad name":          {group(`{"name":"vm 1"}`), `resourceGroups[1] ("rg-b").virtualMachines[0] ("vm 1")`},
		"name ends in dash": {group(`{"name":"vm1-"}`), `virtualMachines[0] ("vm1-")`},
		"bad location":      {group(`{"name":"vm1"},{"name":"vm2","location":"mars"}`), `virtualMachines[1] ("vm2")`},
		"duplicate":         {group(`{"name":"vm1"},{"name":"VM1"}`), `appears twice`},
		"reserved tag":      {group(`{"name":"vm1","tags":{"` + emulator.WebTag + `":"x"}}`), emulator.WebTag},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { emulatortest.WantSeedRefused(t, tc.seed, tc.want) })
	}
}

func TestWebPortOption(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	srv := emulatortest.Start(t, emulator.Options{SeedFile: emulatortest.WriteSeed(t, emulatortest.EstateSeed), WebPort: port})
	for name, s := range emulatortest.VMSites(t, srv.URL()) {
		if s.Port != port {
			t.Fatalf("%s on port %d, want %d", name, s.Port, port)
		}
	}
	if _, err := emulator.New(emulator.Options{DataDir: t.TempDir(), WebPort: 70000}); err == nil {
		t.Fatal("web port 70000 accepted")
	}
}
