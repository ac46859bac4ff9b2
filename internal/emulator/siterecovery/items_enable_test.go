package siterecovery_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// Enabling A2A protection as Azure requires it: a cache (staging) storage
// account in the source region on every managed disk, disk types that are
// managed disk types (the source disk's when unset) and that the recovery
// VM size can attach, and the recovery network from the vault's network
// mapping when the input names none.

// wantRefusal asserts err is an ARM error with status and code whose
// message names mention (the property at fault, say).
func wantRefusal(t *testing.T, name string, err error, status int, code, mention string) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		var re *azcore.ResponseError
		if !errors.As(err, &re) {
			t.Fatalf("want %d %s, got %v", status, code, err)
		}
		if re.StatusCode != status || re.ErrorCode != code {
			t.Fatalf("want %d %s, got %d %s: %v", status, code, re.StatusCode, re.ErrorCode, err)
		}
		if !strings.Contains(err.Error(), mention) {
			t.Fatalf("the message does not name %q: %v", mention, err)
		}
	})
}

func TestEnableRefusesDisksWithoutAValidCacheAccount(t *testing.T) {
	t.Parallel()
	e := startRep(t, "", true)
	st := emulatortest.StorageClient(t, e.srv.URL(), emulatortest.Subscription)
	emulatortest.CreateStorageAccount(t, st, "rg-recovery", "cachewrongregion1", emulatortest.StorageAccountBody("westus2"))
	disk := func(f func(d *asr.A2AVMManagedDiskInputDetails)) asr.EnableProtectionInput {
		in := e.enableInput("rg-prod", "vm-web-1", "")
		a := in.Properties.ProviderSpecificDetails.(*asr.A2AEnableProtectionInput)
		f(a.VMManagedDisks[1]) // the data disk
		return in
	}
	noDisks := e.enableInput("rg-prod", "vm-web-1", "")
	noDisks.Properties.ProviderSpecificDetails.(*asr.A2AEnableProtectionInput).VMManagedDisks = nil
	cases := []struct {
		name, code, mention string
		in                  asr.EnableProtectionInput
	}{
		{"no vmManagedDisks", "BadRequest", "vmManagedDisks", noDisks},
		{"no staging account", "BadRequest", "vmManagedDisks[1].primaryStagingAzureStorageAccountId",
			disk(func(d *asr.A2AVMManagedDiskInputDetails) { d.PrimaryStagingAzureStorageAccountID = nil })},
		{"staging account missing", "StorageAccountNotFound", "cachenope",
			disk(func(d *asr.A2AVMManagedDiskInputDetails) {
				d.PrimaryStagingAzureStorageAccountID = emulatortest.Ptr(repStorageID("rg-dr", "cachenope"))
			})},
		{"staging account in the recovery region", "CacheStorageAccountNotInSourceRegion", "must be located in the same region as the source VM",
			disk(func(d *asr.A2AVMManagedDiskInputDetails) {
				d.PrimaryStagingAzureStorageAccountID = emulatortest.Ptr(repStorageID("rg-recovery", "cachewrongregion1"))
			})},
		{"not a storage account id", "StorageAccountNotFound", "primaryStagingAzureStorageAccountId",
			disk(func(d *asr.A2AVMManagedDiskInputDetails) {
				d.PrimaryStagingAzureStorageAccountID = emulatortest.Ptr(repGroupID("rg-dr"))
			})},
		{"no disk recovery group", "BadRequest", "vmManagedDisks[1].recoveryResourceGroupId",
			disk(func(d *asr.A2AVMManagedDiskInputDetails) { d.RecoveryResourceGroupID = nil })},
		{"unknown replica type", "BadRequest", "recoveryReplicaDiskAccountType",
			disk(func(d *asr.A2AVMManagedDiskInputDetails) {
				d.RecoveryReplicaDiskAccountType = emulatortest.Ptr("premium_lrs")
			})},
		{"unknown target type", "BadRequest", "recoveryTargetDiskAccountType",
			disk(func(d *asr.A2AVMManagedDiskInputDetails) {
				d.RecoveryTargetDiskAccountType = emulatortest.Ptr("Fast_SSD")
			})},
	}
	for _, tc := range cases {
		_, err := e.items.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1", tc.in, nil)
		wantRefusal(t, tc.name, err, 400, tc.code, tc.mention)
	}
	if _, err := e.enable(t, "vm-web-1", e.enableInput("rg-prod", "vm-web-1", "")); err != nil {
		t.Fatalf("the complete input: %v", err)
	}
}

func TestEnableDiskTypesFollowTheSourceDiskUnlessOverridden(t *testing.T) {
	t.Parallel()
	e := startRep(t, "", true)
	in := e.enableInput("rg-prod", "vm-web-1", "")
	data := in.Properties.ProviderSpecificDetails.(*asr.A2AEnableProtectionInput).VMManagedDisks[1]
	data.RecoveryReplicaDiskAccountType = emulatortest.Ptr("Standard_LRS")
	data.RecoveryTargetDiskAccountType = emulatortest.Ptr("StandardSSD_LRS")
	it, err := e.enable(t, "vm-web-1", in)
	if err != nil {
		t.Fatal(err)
	}
	disks := a2a(t, it).ProtectedManagedDisks
	if len(disks) != 2 {
		t.Fatalf("%d protected disks, want 2", len(disks))
	}
	vm, err := e.vms.Get(emulatortest.Context(t), "rg-prod", "vm-web-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	source := string(*vm.Properties.StorageProfile.OSDisk.ManagedDisk.StorageAccountType)
	for _, d := range disks {
		replica, target := *d.RecoveryReplicaDiskAccountType, *d.RecoveryTargetDiskAccountType
		wantReplica, wantTarget := source, source
		if strings.EqualFold(*d.DiskID, *data.DiskID) {
			wantReplica, wantTarget = "Standard_LRS", "StandardSSD_LRS"
		}
		if replica != wantReplica || target != wantTarget {
			t.Errorf("%s: replica %s target %s, want %s %s", *d.DiskName, replica, target, wantReplica, wantTarget)
		}
		if !strings.EqualFold(*d.PrimaryStagingAzureStorageAccountID, repStorageID("rg-dr", repCacheEast)) {
			t.Errorf("%s: staging account %v", *d.DiskName, *d.PrimaryStagingAzureStorageAccountID)
		}
	}
}

func TestEnableRefusesPremiumTargetDisksForASizeWithoutPremiumStorage(t *testing.T) {
	t.Parallel()
	e := startRep(t, "", true)
	// vm-basic is a Standard_D2_v3 (no "s": no premium storage) whose
	// disks are Premium_LRS, as the estate seeds them: following the
	// source disk, the target would be premium.
	_, err := e.items.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-basic",
		e.enableInput("rg-prod", "vm-basic", ""), nil)
	wantRefusal(t, "premium target", err, 400, "PremiumStorageNotSupportedForVmSize", "Standard_D2_v3")

	in := e.enableInput("rg-prod", "vm-basic", "")
	for _, d := range in.Properties.ProviderSpecificDetails.(*asr.A2AEnableProtectionInput).VMManagedDisks {
		d.RecoveryTargetDiskAccountType = emulatortest.Ptr("StandardSSD_LRS")
	}
	if _, err := e.enable(t, "vm-basic", in); err != nil {
		t.Fatalf("standard target disks: %v", err)
	}
}

func TestEnableWithoutARecoveryNetworkTakesTheNetworkMappings(t *testing.T) {
	t.Parallel()
	e := startRep(t, "", true)
	in := e.enableInput("rg-prod", "vm-web-1", "")
	in.Properties.ProviderSpecificDetails.(*asr.A2AEnableProtectionInput).RecoveryAzureNetworkID = nil
	_, err := e.items.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1", in, nil)
	wantRefusal(t, "no mapping", err, 400, "NetworkMappingNotFound", "vnet-prod")

	if _, err := createNetworkMapping(t, e.c, "fabric-eastus", "map-prod", "fabric-westus2",
		repVNetID("rg-prod", "vnet-prod"), repVNetID("rg-recovery", "vnet-recovery-2")); err != nil {
		t.Fatal(err)
	}
	in.Properties.ProviderSpecificDetails.(*asr.A2AEnableProtectionInput).RecoverySubnetName = emulatortest.Ptr("isolated")
	it, err := e.enable(t, "vm-web-1", in)
	if err != nil {
		t.Fatalf("with a network mapping: %v", err)
	}
	if got := *a2a(t, it).SelectedRecoveryAzureNetworkID; !strings.EqualFold(got, repVNetID("rg-recovery", "vnet-recovery-2")) {
		t.Errorf("selectedRecoveryAzureNetworkId = %s, want the mapping's recovery network", got)
	}
}

func TestContainerMappingAcceptsTheGenericProviderInput(t *testing.T) {
	t.Parallel()
	e := startRep(t, "", true)
	if _, err := createContainer(t, e.c, "fabric-westus2", "pc-westus2-b"); err != nil {
		t.Fatal(err)
	}
	create := func(name, instanceType string) error {
		p, err := e.c.mappings.BeginCreate(emulatortest.Context(t), vaultName, "rg-dr", "fabric-westus2", "pc-westus2", name, asr.CreateProtectionContainerMappingInput{
			Properties: &asr.CreateProtectionContainerMappingInputProperties{
				TargetProtectionContainerID: emulatortest.Ptr(*e.top.primaryContainer.ID), PolicyID: e.top.policy.ID,
				ProviderSpecificInput: &asr.ReplicationProviderSpecificContainerMappingInput{InstanceType: emulatortest.Ptr(instanceType)}}}, nil)
		_, err = emulatortest.Done(t, p, err)
		return err
	}
	wantRefusal(t, "another provider", create("map-hv", "HyperVReplicaAzure"), 400, "BadRequest", "instanceType")
	if err := create("map-west-east", "ReplicationProviderSpecificContainerMappingInput"); err != nil {
		t.Fatalf("the generic input: %v", err)
	}
	m, err := e.c.mappings.Get(emulatortest.Context(t), vaultName, "rg-dr", "fabric-westus2", "pc-westus2", "map-west-east", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Properties.ProviderSpecificDetails.(*asr.A2AProtectionContainerMappingDetails); !ok {
		t.Errorf("providerSpecificDetails = %T, want A2A details", m.Properties.ProviderSpecificDetails)
	}
	if !strings.EqualFold(*m.Properties.TargetProtectionContainerID, *e.top.primaryContainer.ID) {
		t.Errorf("targetProtectionContainerId = %s", *m.Properties.TargetProtectionContainerID)
	}
}

func TestUpdateRefusesASizeWithoutPremiumStorageForPremiumTargetDisks(t *testing.T) {
	t.Parallel()
	e := startRep(t, "", true)
	if _, err := e.enable(t, "vm-web-1", e.enableInput("rg-prod", "vm-web-1", "")); err != nil {
		t.Fatal(err)
	}
	resize := func(size string) error {
		p, err := e.items.BeginUpdate(emulatortest.Context(t), vaultName, "rg-dr", "fabric-eastus", "pc-eastus", "vm-web-1",
			asr.UpdateReplicationProtectedItemInput{Properties: &asr.UpdateReplicationProtectedItemInputProperties{RecoveryAzureVMSize: emulatortest.Ptr(size)}}, nil)
		_, err = emulatortest.Done(t, p, err)
		return err
	}
	// The disks follow the source's Premium_LRS.
	wantRefusal(t, "no premium storage", resize("Standard_D4_v3"), 400, "PremiumStorageNotSupportedForVmSize", "Standard_D4_v3")
	if err := resize("Standard_D4s_v3"); err != nil {
		t.Fatalf("a premium size: %v", err)
	}
}
