package acctest

import (
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

func TestCreateVMAndCanary(t *testing.T) {
	Emulator(t) // skips without TF_ACC
	e := CreateEstate(t, RandomName("vmtest"), "eastus2")
	vm := CreateVM(t, e.Group, "vm-app-1", "", e.NetworkID+"/subnets/web", WithSize("Standard_B2s"), WithDataDisks(64))
	if vm.Location != "eastus2" || vm.PrivateIP != "10.10.1.4" || !strings.HasSuffix(vm.NICID, "/networkInterfaces/vm-app-1-nic") ||
		!strings.HasPrefix(vm.WebURL, "http://127.") || !strings.HasSuffix(vm.ID, "/virtualMachines/vm-app-1") {
		t.Fatalf("VM: %+v", vm)
	}
	got, err := Client(t).VirtualMachines().Get(t.Context(), e.Group, vm.Name, nil)
	if err != nil || *got.Properties.HardwareProfile.VMSize != "Standard_B2s" || len(got.Properties.StorageProfile.DataDisks) != 1 {
		t.Fatalf("GET the VM: %v", err)
	}
	v1, at1 := Canary(t, vm.WebURL)
	v2, at2 := Canary(t, vm.WebURL)
	if v1 != 2 || v2 != 3 || at2.Before(at1) {
		t.Fatalf("canaries: %d at %s, %d at %s", v1, at1, v2, at2)
	}
	second := CreateVM(t, e.Group, "vm-app-2", "eastus2", e.NetworkID+"/subnets/web", WithPrivateIP("10.10.1.20"))
	if second.PrivateIP != "10.10.1.20" {
		t.Fatalf("second VM: %+v", second)
	}
}
