package compute_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// VMs and NICs created through ARM with the real SDK clients and pollers:
// a probe VM in production's network, as a drill makes one.

func TestProbeVMCreatedThroughARMRunsInItsNICsNetwork(t *testing.T) {
	f := newARMFixture(t, emulator.Options{})
	nic := f.createNIC(t, "probe-nic", nicBody("vnet-prod", "web"))
	cfg := nic.Properties.IPConfigurations[0].Properties
	// 10.1.1.4 and .5 are the estate's; Azure keeps .0-.3.
	if *cfg.PrivateIPAddress != "10.1.1.6" || *nic.Properties.ProvisioningState != "Succeeded" || !*cfg.Primary || nic.Properties.VirtualMachine != nil {
		t.Fatalf("NIC: %+v %+v", nic.Properties, cfg)
	}

	vm := f.createVM(t, "vm-probe", probeVM(t, "probe-nic", armcompute.DeleteOptionsDelete))
	if *vm.Properties.ProvisioningState != "Succeeded" || *vm.Properties.StorageProfile.OSDisk.OSType != armcompute.OperatingSystemTypesLinux ||
		*vm.Properties.StorageProfile.OSDisk.DiskSizeGB != 30 || vm.Properties.OSProfile.AdminPassword != nil {
		t.Fatalf("VM: %+v", vm.Properties)
	}
	iv, err := f.vms.InstanceView(emulatortest.Context(t), "rg-prod", "vm-probe", nil)
	if err != nil {
		t.Fatal(err)
	}
	if *iv.Statuses[1].Code != "PowerState/running" || iv.VMAgent == nil || *iv.VMAgent.Statuses[0].DisplayStatus != "Ready" {
		t.Fatalf("instance view: %s / agent %+v", *iv.Statuses[1].Code, iv.VMAgent)
	}
	got, err := f.nics.Get(emulatortest.Context(t), "rg-prod", "probe-nic", nil)
	if err != nil || got.Properties.VirtualMachine == nil || !strings.EqualFold(*got.Properties.VirtualMachine.ID, *vm.ID) {
		t.Fatalf("the NIC does not name its VM: %v %+v", err, got.Properties)
	}

	// Its shell sees its network: a neighbour answers, another network
	// does not; its disk starts empty; it serves no site.
	msg := f.sh(t, "vm-probe", "nc -z -w 3 10.1.1.4 22", `echo "same $?"`, "nc -z -w 3 10.2.1.4 22", `echo "other $?"`,
		"cat /var/www/marker 2>&1", `echo "file $?"`)
	for _, want := range []string{"same 0\n", "other 1\n", "file 1\n"} {
		if !strings.Contains(msg, want) {
			t.Fatalf("output lacks %q:\n%s", want, msg)
		}
	}
	site := emulatortest.VMSites(t, f.srv.URL())["vm-probe"]
	if site.Running || site.URL != "" || site.PowerState != "running" || site.PrivateIPAddress != "10.1.1.6" {
		t.Fatalf("/_emulator/vms: %+v", site)
	}
	port := f.srv.WebPort()
	if msg := f.sh(t, "vm-web-1", "nc -z -w 3 10.1.1.6 "+strconv.Itoa(port), `echo "web $?"`, "nc -z -w 3 10.1.1.6 22", `echo "ssh $?"`); !strings.Contains(msg, "web 1\n") || !strings.Contains(msg, "ssh 0\n") {
		t.Fatalf("from a neighbour:\n%s", msg)
	}

	// Listed beside the estate, counted in the stats.
	pager := f.vms.NewListPager("rg-prod", nil)
	page, err := pager.NextPage(emulatortest.Context(t))
	if err != nil || len(page.Value) != 5 {
		t.Fatalf("list: %v, %d VMs", err, len(page.Value))
	}
	if ops := emulatortest.GetStats(t, f.srv.URL()).Operations; ops["VirtualMachines_CreateOrUpdate"]["PUT"] != 1 || ops["NetworkInterfaces_CreateOrUpdate"]["PUT"] != 1 {
		t.Fatalf("stats: %+v", ops)
	}

	// deleteOption Delete: the NIC goes with the VM.
	p, err := f.vms.BeginDelete(emulatortest.Context(t), "rg-prod", "vm-probe", nil)
	if _, err := emulatortest.Done(t, p, err); err != nil {
		t.Fatal(err)
	}
	_, err = f.vms.Get(emulatortest.Context(t), "rg-prod", "vm-probe", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	_, err = f.nics.Get(emulatortest.Context(t), "rg-prod", "probe-nic", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	if resp, _ := emulatortest.Call(t, http.MethodDelete, vmURL(f.srv.URL(), "rg-prod", "vm-probe")+"?api-version="+computeAPI, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("deleting again: %d", resp.StatusCode)
	}
}

func TestDetachedNICOutlivesItsVMAndCanThenBeDeleted(t *testing.T) {
	f := newARMFixture(t, emulator.Options{})
	f.createNIC(t, "keep-nic", nicBody("vnet-prod", "db"))
	f.createVM(t, "vm-keep", probeVM(t, "keep-nic", armcompute.DeleteOptionsDetach))

	// A NIC in use cannot be deleted.
	_, err := f.nics.BeginDelete(emulatortest.Context(t), "rg-prod", "keep-nic", nil)
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "NicInUse")

	p, err := f.vms.BeginDelete(emulatortest.Context(t), "rg-prod", "vm-keep", nil)
	if _, err := emulatortest.Done(t, p, err); err != nil {
		t.Fatal(err)
	}
	nic, err := f.nics.Get(emulatortest.Context(t), "rg-prod", "keep-nic", nil)
	if err != nil || nic.Properties.VirtualMachine != nil || *nic.Properties.IPConfigurations[0].Properties.PrivateIPAddress != "10.1.2.5" {
		t.Fatalf("detached NIC: %v %+v", err, nic.Properties)
	}
	np, err := f.nics.BeginDelete(emulatortest.Context(t), "rg-prod", "keep-nic", nil)
	if _, err := emulatortest.Done(t, np, err); err != nil {
		t.Fatal(err)
	}
	_, err = f.nics.Get(emulatortest.Context(t), "rg-prod", "keep-nic", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
}

func TestCreatingAVMAnswersAsAzure(t *testing.T) {
	f := newARMFixture(t, emulator.Options{TimeScale: 10})
	base := f.srv.URL()
	f.createNIC(t, "slow-nic", nicBody("vnet-prod", "web"))
	resp, raw := emulatortest.Call(t, http.MethodPut, vmURL(base, "rg-prod", "vm-slow")+"?api-version="+computeAPI,
		asMap(t, probeVM(t, "slow-nic", armcompute.DeleteOptionsDelete)), nil)
	if resp.StatusCode != http.StatusCreated || !strings.Contains(string(raw), `"provisioningState":"Creating"`) ||
		!strings.Contains(resp.Header.Get("Azure-AsyncOperation"), "/providers/Microsoft.Compute/locations/centralus/operations/") {
		t.Fatalf("PUT: %d %s %v", resp.StatusCode, raw, resp.Header)
	}
	// Until it runs, it takes no Run Command and its NIC is taken.
	_, err := f.run(t, "vm-slow", "RunShellScript", "true")
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")
	_, err = f.nics.BeginDelete(emulatortest.Context(t), "rg-prod", "slow-nic", nil)
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "NicInUse")
	ops := emulatortest.Operations(t, base, "InProgress")
	if len(ops) != 1 || ops[0].Kind != "Microsoft.Compute/virtualMachines/write" {
		t.Fatalf("operations: %+v", ops)
	}
	// 40 s first boot + 30 GB x 0.2 s + one NIC x 2 s.
	if d := ops[0].DueTime.Sub(ops[0].StartTime); d.Seconds() != 48 {
		t.Fatalf("a Linux 30 GB VM takes %s to create", d)
	}
}

func TestDeletingAVMWhileARunCommandRunsIsRefused(t *testing.T) {
	f := newARMFixture(t, emulator.Options{TimeScale: 100})
	f.createNIC(t, "busy-nic", nicBody("vnet-prod", "web"))
	f.createVM(t, "vm-busy", probeVM(t, "busy-nic", armcompute.DeleteOptionsDelete))
	// A probe of an address nothing routes to costs its timeout: the run
	// lasts 20 + 20 simulated seconds.
	p, err := f.vms.BeginRunCommand(emulatortest.Context(t), "rg-prod", "vm-busy", armcompute.RunCommandInput{
		CommandID: emulatortest.Ptr("RunShellScript"), Script: []*string{emulatortest.Ptr("nc -z -w 20 10.9.9.9 22")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.vms.BeginDelete(emulatortest.Context(t), "rg-prod", "vm-busy", nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "OperationNotAllowed")
	if _, err := p.PollUntilDone(emulatortest.Context(t), nil); err != nil {
		t.Fatal(err)
	}
	dp, err := f.vms.BeginDelete(emulatortest.Context(t), "rg-prod", "vm-busy", nil)
	if _, err := emulatortest.Done(t, dp, err); err != nil {
		t.Fatal(err)
	}
}

func TestVMsAndNICsCreatedThroughARMSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	f := newARMFixture(t, emulator.Options{DataDir: dir})
	f.createNIC(t, "durable-nic", nicBody("vnet-prod", "web"))
	f.createVM(t, "vm-durable", probeVM(t, "durable-nic", armcompute.DeleteOptionsDetach))
	if err := f.srv.Close(); err != nil {
		t.Fatal(err)
	}
	g := newARMFixture(t, emulator.Options{DataDir: dir})
	vm, err := g.vms.Get(emulatortest.Context(t), "rg-prod", "vm-durable", nil)
	if err != nil || *vm.Properties.ProvisioningState != "Succeeded" {
		t.Fatalf("after restart: %v %+v", err, vm)
	}
	if msg := g.sh(t, "vm-durable", "nc -z -w 3 10.1.1.4 22", `echo "same $?"`); !strings.Contains(msg, "same 0\n") {
		t.Fatalf("after restart:\n%s", msg)
	}
	// Still the API's to delete, not the estate's.
	p, err := g.vms.BeginDelete(emulatortest.Context(t), "rg-prod", "vm-durable", nil)
	if _, err := emulatortest.Done(t, p, err); err != nil {
		t.Fatal(err)
	}
	np, err := g.nics.BeginDelete(emulatortest.Context(t), "rg-prod", "durable-nic", nil)
	if _, err := emulatortest.Done(t, np, err); err != nil {
		t.Fatal(err)
	}
}

func TestTheEstatesVMsStayReadOnly(t *testing.T) {
	f := newARMFixture(t, emulator.Options{})
	_, err := f.vms.BeginDelete(emulatortest.Context(t), "rg-prod", "vm-web-1", nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "Conflict")
	_, err = f.vms.BeginCreateOrUpdate(emulatortest.Context(t), "rg-prod", "vm-web-1", probeVM(t, "vm-web-1-nic", armcompute.DeleteOptionsDetach), nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "Conflict")
	// Nor can a new VM take an estate VM's NIC.
	_, err = f.vms.BeginCreateOrUpdate(emulatortest.Context(t), "rg-prod", "vm-thief", probeVM(t, "vm-web-1-nic", armcompute.DeleteOptionsDetach), nil)
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "NicInUse")
}

func TestUpdatingAnARMCreatedVM(t *testing.T) {
	f := newARMFixture(t, emulator.Options{})
	f.createNIC(t, "upd-nic", nicBody("vnet-prod", "web"))
	body := probeVM(t, "upd-nic", armcompute.DeleteOptionsDelete)
	f.createVM(t, "vm-upd", body)
	body.Tags = map[string]*string{"drill": emulatortest.Ptr("q3")}
	body.Properties.HardwareProfile.VMSize = emulatortest.Ptr(armcompute.VirtualMachineSizeTypes("standard_b2s"))
	vm := f.createVM(t, "vm-upd", body)
	if *vm.Tags["drill"] != "q3" || *vm.Properties.HardwareProfile.VMSize != "Standard_B2s" || *vm.Properties.ProvisioningState != "Succeeded" {
		t.Fatalf("updated: %+v %+v", vm.Tags, vm.Properties.HardwareProfile)
	}
	body.Properties.OSProfile.AdminUsername = emulatortest.Ptr("other")
	_, err := f.vms.BeginCreateOrUpdate(emulatortest.Context(t), "rg-prod", "vm-upd", body, nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "PropertyChangeNotAllowed")
}
