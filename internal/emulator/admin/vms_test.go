package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

func TestEstateAndVMs(t *testing.T) {
	_, c := start(t)
	added, err := c.AddEstate(ctx(t), estate)
	if err != nil {
		t.Fatal(err)
	}
	if len(added.ResourceGroups) != 1 || !strings.HasSuffix(added.ResourceGroups[0], "/resourceGroups/rg-prod") {
		t.Fatalf("groups %v, want rg-prod's id", added.ResourceGroups)
	}
	if len(added.VirtualMachines) != 1 {
		t.Fatalf("VMs %+v, want vm-web-1", added.VirtualMachines)
	}
	web := added.VirtualMachines[0]
	if web.Name != "vm-web-1" || web.Location != "centralus" || !web.Running || web.URL == "" || web.Port == 0 ||
		web.Role != "primary" || web.DataVersion.Version != 1 || web.PrivateIPAddress != "10.1.1.4" ||
		!strings.HasSuffix(web.NICID, "/networkInterfaces/vm-web-1-nic") {
		t.Fatalf("VM %+v, want vm-web-1 serving, primary, data version 1, at 10.1.1.4", web)
	}
	// The site serves what the listing says.
	resp, err := http.Get(web.URL)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the site at %s: HTTP %d", web.URL, resp.StatusCode)
	}
	_, err = c.AddEstate(ctx(t), estate)
	wantError(t, err, http.StatusConflict, "Conflict")

	vm, err := c.AddVM(ctx(t), admin.NewVM{SubscriptionID: sub, ResourceGroup: "rg-prod", Name: "vm-web-2",
		Subnet: "vnet-prod/web", PrivateIPAddress: "10.1.1.20", Tags: map[string]string{"role": "web"},
		Site: &admin.Site{Title: "Shop"}, OSDiskSizeGB: 256, DataDisks: []int{512}})
	if err != nil {
		t.Fatal(err)
	}
	if vm.Name != "vm-web-2" || vm.PrivateIPAddress != "10.1.1.20" || vm.Tags["role"] != "web" || !vm.Running {
		t.Fatalf("added %+v, want vm-web-2 at 10.1.1.20, tagged, serving", vm)
	}
	vms, err := c.VMs(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(vms) != 2 || vms[0].ID != web.ID || vms[1].ID != vm.ID || vms[1].URL != vm.URL {
		t.Fatalf("VMs %+v, want vm-web-1 and vm-web-2", vms)
	}

	_, err = c.AddVM(ctx(t), admin.NewVM{SubscriptionID: sub, ResourceGroup: "rg-prod", Name: "vm-web-2"})
	wantError(t, err, http.StatusConflict, "Conflict")
	_, err = c.AddVM(ctx(t), admin.NewVM{SubscriptionID: sub, ResourceGroup: "rg-missing", Name: "vm-x"})
	wantError(t, err, http.StatusNotFound, "ResourceGroupNotFound")
}
