package compute_test

import (
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// The spec's example VirtualMachine_Create_WithSshAuthentication.json
// (ComputeRP 2024-11-01, armcompute v6.4.0's
// ExampleVirtualMachinesClient_BeginCreateOrUpdate_createAVmWithSshAuthentication),
// with its placeholders filled as a user would ({your-username}, the
// image, an existing NIC of the estate's network): the emulator accepts it
// and answers every property the example's answer carries. The package's
// general replay (specexamples) cannot: there every VM example targets the
// estate's own VM and NIC.
func TestVMCreateSpecExampleWithSSHAuthentication(t *testing.T) {
	f := newARMFixture(t, emulator.Options{})
	nic := f.createNIC(t, "nsgExistingNic", nicBody("vnet-prod", "web"))
	const key = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCeClRAk2ipUs/l5voIsDC5q9RI+YSRd1Bvd/O+axgY4WiBzG+4FwJWZm/mLLe5DoOdHQwmU2FrKXZSW4w2sYE70KeWnrFViCOX5MTVvJgPE8ClugNl8RWth/tU849DvM9sT7vFgfVSHcAS2yDRyDlueii+8nF2ym8XWAPltFVCyLHRsyBp5YPqK8JFYIa1eybKsY3hEAxRCA+/7bq8et+Gj3coOsuRmrehav7rE6N12Pb80I6ofa6SM5XNYq4Xk0iYNx7R3kdz0Jj9XgZYWjAHjJmT0gTRoOnt6upOuxK7xI/ykWrllgpXrCPu3Ymz+c+ujaqcxDopnAl2lmf69/J1"
	p := emulatortest.Ptr[string]
	vm := f.createVM(t, "myVM", armcompute.VirtualMachine{
		Location: p("centralus"),
		Properties: &armcompute.VirtualMachineProperties{
			HardwareProfile: &armcompute.HardwareProfile{VMSize: emulatortest.Ptr(armcompute.VirtualMachineSizeTypesStandardD1V2)},
			NetworkProfile: &armcompute.NetworkProfile{NetworkInterfaces: []*armcompute.NetworkInterfaceReference{{
				ID: nic.ID, Properties: &armcompute.NetworkInterfaceReferenceProperties{Primary: emulatortest.Ptr(true)}}}},
			OSProfile: &armcompute.OSProfile{AdminUsername: p("azureuser"), ComputerName: p("myVM"),
				LinuxConfiguration: &armcompute.LinuxConfiguration{DisablePasswordAuthentication: emulatortest.Ptr(true),
					SSH: &armcompute.SSHConfiguration{PublicKeys: []*armcompute.SSHPublicKey{{Path: p("/home/azureuser/.ssh/authorized_keys"), KeyData: p(key)}}}}},
			StorageProfile: &armcompute.StorageProfile{
				ImageReference: &armcompute.ImageReference{Publisher: p("Canonical"), Offer: p("UbuntuServer"), SKU: p("16.04-LTS"), Version: p("latest")},
				OSDisk: &armcompute.OSDisk{Name: p("myVMosdisk"), Caching: emulatortest.Ptr(armcompute.CachingTypesReadWrite),
					CreateOption: emulatortest.Ptr(armcompute.DiskCreateOptionTypesFromImage),
					ManagedDisk:  &armcompute.ManagedDiskParameters{StorageAccountType: emulatortest.Ptr(armcompute.StorageAccountTypesStandardLRS)}},
			},
		},
	})
	// The example's answer, property by property.
	pr := vm.Properties
	var bad []string
	want := func(ok bool, what string) {
		if !ok {
			bad = append(bad, what)
		}
	}
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	want(deref(vm.Name) == "myVM" && deref(vm.Type) == "Microsoft.Compute/virtualMachines" && deref(vm.Location) == "centralus", "name, type, location")
	want(deref(vm.ID) == groupID()+"/providers/Microsoft.Compute/virtualMachines/myVM", "id")
	want(pr.HardwareProfile != nil && pr.HardwareProfile.VMSize != nil && *pr.HardwareProfile.VMSize == armcompute.VirtualMachineSizeTypesStandardD1V2, "hardwareProfile.vmSize")
	want(pr.NetworkProfile != nil && len(pr.NetworkProfile.NetworkInterfaces) == 1 && deref(pr.NetworkProfile.NetworkInterfaces[0].ID) == *nic.ID &&
		pr.NetworkProfile.NetworkInterfaces[0].Properties != nil && pr.NetworkProfile.NetworkInterfaces[0].Properties.Primary != nil && *pr.NetworkProfile.NetworkInterfaces[0].Properties.Primary, "networkProfile.networkInterfaces[0] (id, primary)")
	os := pr.OSProfile
	want(os != nil && deref(os.AdminUsername) == "azureuser" && deref(os.ComputerName) == "myVM", "osProfile.adminUsername, computerName")
	want(os != nil && os.LinuxConfiguration != nil && os.LinuxConfiguration.DisablePasswordAuthentication != nil && *os.LinuxConfiguration.DisablePasswordAuthentication &&
		os.LinuxConfiguration.SSH != nil && len(os.LinuxConfiguration.SSH.PublicKeys) == 1 &&
		deref(os.LinuxConfiguration.SSH.PublicKeys[0].Path) == "/home/azureuser/.ssh/authorized_keys" && deref(os.LinuxConfiguration.SSH.PublicKeys[0].KeyData) == key, "osProfile.linuxConfiguration (password off, the SSH key)")
	want(os != nil && os.Secrets != nil && len(os.Secrets) == 0, "osProfile.secrets (empty list)")
	want(deref(pr.ProvisioningState) == "Succeeded", "provisioningState")
	sp := pr.StorageProfile
	want(sp != nil && sp.DataDisks != nil && len(sp.DataDisks) == 0, "storageProfile.dataDisks (empty list)")
	want(sp != nil && sp.ImageReference != nil && deref(sp.ImageReference.Publisher) == "Canonical" && deref(sp.ImageReference.Offer) == "UbuntuServer" &&
		deref(sp.ImageReference.SKU) == "16.04-LTS" && deref(sp.ImageReference.Version) == "latest", "storageProfile.imageReference")
	d := (*armcompute.OSDisk)(nil)
	if sp != nil {
		d = sp.OSDisk
	}
	want(d != nil && deref(d.Name) == "myVMosdisk" && d.Caching != nil && *d.Caching == armcompute.CachingTypesReadWrite &&
		d.CreateOption != nil && *d.CreateOption == armcompute.DiskCreateOptionTypesFromImage, "storageProfile.osDisk (name, caching, createOption)")
	want(d != nil && d.ManagedDisk != nil && d.ManagedDisk.StorageAccountType != nil && *d.ManagedDisk.StorageAccountType == armcompute.StorageAccountTypesStandardLRS, "storageProfile.osDisk.managedDisk.storageAccountType")
	want(d != nil && d.OSType != nil && *d.OSType == armcompute.OperatingSystemTypesLinux, "storageProfile.osDisk.osType")
	want(deref(pr.VMID) != "", "vmId")
	if len(bad) > 0 {
		t.Fatalf("the answer differs from the spec example's in: %v", bad)
	}
}
