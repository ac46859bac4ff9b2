package emulator_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
)

// estateFor is a small estate in subscription id: a group with a network
// and one VM in it.
func estateFor(id, vmSubnet string) string {
	return `{"subscriptions":[{"id":"` + id + `","resourceGroups":[{"name":"rg-app","location":"westeurope",
	  "virtualNetworks":[{"name":"vnet-app","addressSpace":["10.9.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.9.1.0/24"}]}],
	  "virtualMachines":[{"name":"vm-app-1","subnet":"` + vmSubnet + `","site":{"title":"App"}}]}]}]}`
}

func TestAddEstateAddsASubscriptionAtRuntimeWithServingSites(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{TimeScale: 60})
	base := srv.URL()
	const other = "7d3e2a10-5b4c-4f6e-8a9b-0c1d2e3f4a5b"

	var added struct {
		ResourceGroups  []string              `json:"resourceGroups"`
		VirtualMachines []emulatortest.VMSite `json:"virtualMachines"`
	}
	resp := emulatortest.CallJSON(t, http.MethodPost, base+"/_emulator/estate", estateFor(other, "vnet-app/web"), &added)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /_emulator/estate: %d", resp.StatusCode)
	}
	if len(added.ResourceGroups) != 1 || !strings.Contains(added.ResourceGroups[0], other) || len(added.VirtualMachines) != 1 {
		t.Fatalf("added = %+v", added)
	}
	vm := added.VirtualMachines[0]
	if vm.URL == "" || vm.PrivateIPAddress == "" || !strings.HasPrefix(vm.PrivateIPAddress, "10.9.1.") {
		t.Fatalf("VM entry = %+v", vm)
	}
	if status, body, _ := emulatortest.GetPage(t, vm.URL); status != http.StatusOK || !strings.Contains(body, "App") {
		t.Fatalf("GET %s: %d %q", vm.URL, status, body)
	}
	// The group is served through ARM like a seeded one.
	if resp, _ := emulatortest.Call(t, http.MethodGet, base+"/subscriptions/"+other+"/resourceGroups/rg-app?api-version=2021-04-01", nil, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET the new group: %d", resp.StatusCode)
	}

	// The same estate again: 409, and nothing changes.
	resp, raw := emulatortest.Call(t, http.MethodPost, base+"/_emulator/estate", estateFor(other, "vnet-app/web"), nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(raw), "rg-app") {
		t.Fatalf("second POST: %d %s", resp.StatusCode, raw)
	}
}

func TestAddEstateRefusesBadInputAndWritesNothing(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{TimeScale: 60})
	base := srv.URL()
	const other = "8e4f3b21-6c5d-4a7f-9bac-1d2e3f4a5b6c"
	cases := map[string]struct{ body, want string }{
		"empty":          {"", "request body is empty"},
		"not a GUID":     {estateFor("sub-1", "vnet-app/web"), "GUID"},
		"unknown field":  {`{"subscriptions":[],"colour":1}`, "colour"},
		"missing subnet": {estateFor(other, "vnet-app/db"), "db"},
	}
	for name, c := range cases {
		resp, raw := emulatortest.Call(t, http.MethodPost, base+"/_emulator/estate", c.body, nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(raw), c.want) {
			t.Errorf("%s: %d %s (want 400 naming %q)", name, resp.StatusCode, raw, c.want)
		}
	}
	// The estate whose VM failed wrote neither its group nor its network.
	if resp, _ := emulatortest.Call(t, http.MethodGet, base+"/subscriptions/"+other+"/resourceGroups/rg-app?api-version=2021-04-01", nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a refused estate left its group: %d", resp.StatusCode)
	}
}
