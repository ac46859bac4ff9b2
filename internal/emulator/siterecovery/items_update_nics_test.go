package siterecovery_test

import (
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// The item update's NIC settings: each IP configuration named as the
// source NIC names it, and the test failover settings (subnet, static
// address) the test VM then gets.

func (e *repEnv) update(t *testing.T, item string, nics []*asr.VMNicInputDetails) (asr.ReplicationProtectedItem, error) {
	t.Helper()
	p, err := e.items.BeginUpdate(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", item,
		asr.UpdateReplicationProtectedItemInput{Properties: &asr.UpdateReplicationProtectedItemInputProperties{
			VMNics:                  nics,
			ProviderSpecificDetails: &asr.A2AUpdateReplicationProtectedItemInput{InstanceType: emulatortest.Ptr("A2A")},
		}}, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.ReplicationProtectedItem, err
}

func nicWith(nicID string, ipc *asr.IPConfigInputDetails) []*asr.VMNicInputDetails {
	return []*asr.VMNicInputDetails{{NicID: emulatortest.Ptr(nicID), IPConfigs: []*asr.IPConfigInputDetails{ipc}}}
}

func TestItemUpdateNamesIPConfigurationsAndSetsTheTestFailoverNIC(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1")
	nicID := *a2a(t, e.get(t, "vm-web-1")).VMNics[0].NicID

	_, err := e.update(t, "vm-web-1", nicWith(nicID, &asr.IPConfigInputDetails{IPConfigName: emulatortest.Ptr("ipconfig-nope"), RecoverySubnetName: emulatortest.Ptr("web")}))
	wantRefusal(t, "unknown IP configuration", err, 400, "IpConfigurationNotFound", "ipconfig1")
	_, err = e.update(t, "vm-web-1", nicWith(nicID, &asr.IPConfigInputDetails{RecoverySubnetName: emulatortest.Ptr("web")}))
	wantRefusal(t, "no IP configuration name", err, 400, "BadRequest", "ipConfigName")
	_, err = e.update(t, "vm-web-1", nicWith(nicID, &asr.IPConfigInputDetails{IPConfigName: emulatortest.Ptr("ipconfig1"),
		TfoPublicIPAddressID: emulatortest.Ptr(repGroupID("rg-recovery") + "/providers/Microsoft.Network/publicIPAddresses/pip-nope")}))
	wantRefusal(t, "missing public IP", err, 400, "PublicIpAddressNotFound", "tfoPublicIPAddressId")
	_, err = e.update(t, "vm-web-1", nicWith(nicID, &asr.IPConfigInputDetails{IPConfigName: emulatortest.Ptr("ipconfig1"), TfoStaticIPAddress: emulatortest.Ptr("10.9.1")}))
	wantRefusal(t, "bad static address", err, 400, "BadRequest", "tfoStaticIPAddress")

	it, err := e.update(t, "vm-web-1", nicWith(nicID, &asr.IPConfigInputDetails{IPConfigName: emulatortest.Ptr("ipconfig1"), IsPrimary: emulatortest.Ptr(true),
		RecoverySubnetName: emulatortest.Ptr("web"), TfoSubnetName: emulatortest.Ptr("web"), TfoStaticIPAddress: emulatortest.Ptr("10.9.1.50")}))
	if err != nil {
		t.Fatalf("the complete update: %v", err)
	}
	ipc := a2a(t, it).VMNics[0].IPConfigs[0]
	if *ipc.Name != "ipconfig1" || ipc.TfoSubnetName == nil || *ipc.TfoSubnetName != "web" || ipc.TfoStaticIPAddress == nil || *ipc.TfoStaticIPAddress != "10.9.1.50" {
		t.Fatalf("vmNics[0].ipConfigs[0] = %+v", ipc)
	}
	if ipc.TfoPublicIPAddressID != nil {
		t.Errorf("tfoPublicIPAddressId = %s, none was set", *ipc.TfoPublicIPAddressID)
	}

	// The test VM comes up with the settings and the item's disk types.
	if _, err := e.testFailover(t, "vm-web-1", ""); err != nil {
		t.Fatal(err)
	}
	nic, err := emulatortest.NICClient(t, e.srv.URL()).Get(emulatortest.Context(t), "rg-recovery", "vm-web-1-test-nic", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := *nic.Properties.IPConfigurations[0].Properties.PrivateIPAddress; got != "10.9.1.50" {
		t.Errorf("test VM address %s, want the tfoStaticIPAddress 10.9.1.50", got)
	}
	vm, err := e.vms.Get(emulatortest.Context(t), "rg-recovery", "vm-web-1-test", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := *a2a(t, it).ProtectedManagedDisks[0].RecoveryTargetDiskAccountType
	if got := string(*vm.Properties.StorageProfile.OSDisk.ManagedDisk.StorageAccountType); !strings.EqualFold(got, want) {
		t.Errorf("test VM OS disk %s, want the item's target type %s", got, want)
	}
	if _, err := e.cleanup(t, "vm-web-1"); err != nil {
		t.Fatal(err)
	}
}

func TestATestVMGetsTheNamedPublicIPAndCleanupKeepsIt(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1")
	p, err := e.pips.BeginCreateOrUpdate(emulatortest.Context(t), "rg-recovery", "pip-drill", armnetwork.PublicIPAddress{
		Location: emulatortest.Ptr("westus2"),
		SKU:      &armnetwork.PublicIPAddressSKU{Name: emulatortest.Ptr(armnetwork.PublicIPAddressSKUNameStandard)},
		Properties: &armnetwork.PublicIPAddressPropertiesFormat{
			PublicIPAllocationMethod: emulatortest.Ptr(armnetwork.IPAllocationMethodStatic)},
	}, nil)
	made, err := emulatortest.Done(t, p, err)
	if err != nil {
		t.Fatal(err)
	}
	address := *made.Properties.IPAddress
	nicID := *a2a(t, e.get(t, "vm-web-1")).VMNics[0].NicID
	if _, err := e.update(t, "vm-web-1", nicWith(nicID, &asr.IPConfigInputDetails{IPConfigName: emulatortest.Ptr("ipconfig1"),
		TfoPublicIPAddressID: made.ID})); err != nil {
		t.Fatal(err)
	}
	if _, err := e.testFailover(t, "vm-web-1", ""); err != nil {
		t.Fatal(err)
	}
	nic, err := emulatortest.NICClient(t, e.srv.URL()).Get(emulatortest.Context(t), "rg-recovery", "vm-web-1-test-nic", nil)
	if err != nil {
		t.Fatal(err)
	}
	if ref := nic.Properties.IPConfigurations[0].Properties.PublicIPAddress; ref == nil || !strings.EqualFold(*ref.ID, *made.ID) {
		t.Fatalf("the test NIC's public IP: %+v, want %s", ref, *made.ID)
	}
	if _, err := e.pips.Get(emulatortest.Context(t), "rg-recovery", "vm-web-1-test-pip", nil); err == nil {
		t.Error("the emulator made a public IP of its own beside the named one")
	}
	if _, role, ok := siteVersion(t, address, e.srv.WebPort()); !ok || role != "test" {
		t.Errorf("the test VM does not answer at the public IP's address %s (role %q)", address, role)
	}
	if _, err := e.cleanup(t, "vm-web-1"); err != nil {
		t.Fatal(err)
	}
	after, err := e.pips.Get(emulatortest.Context(t), "rg-recovery", "pip-drill", nil)
	if err != nil {
		t.Fatalf("the user's public IP after cleanup: %v", err)
	}
	if after.Properties.IPConfiguration != nil {
		t.Errorf("the public IP is still attached to %s after cleanup", *after.Properties.IPConfiguration.ID)
	}
}
