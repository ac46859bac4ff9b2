package siterecovery_test

import (
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
)

// The complete A2AReprotectInput a test re-protect sends, as the provider
// builds it: the reverse mapping's target container and policy, the group
// the VM replicates to, and for every disk of the VM now serving its cache
// account in the new source region and a storage account in the target.

func storageAccountID(group, name string) string {
	return "/subscriptions/" + emulatortest.Subscription + "/resourceGroups/" + group + "/providers/Microsoft.Storage/storageAccounts/" + name
}

// storageAccount creates (or keeps) a StorageV2 Standard_LRS account and
// returns its id.
func (e *tfoEnv) storageAccount(t *testing.T, group, name, location string) string {
	t.Helper()
	c, err := armstorage.NewAccountsClient(emulatortest.Subscription, emulatortest.Credential{}, emulatortest.ClientOptions(e.srv.URL()))
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.BeginCreate(emulatortest.Context(t), group, name, armstorage.AccountCreateParameters{
		Location: emulatortest.Ptr(location), Kind: emulatortest.Ptr(armstorage.KindStorageV2),
		SKU: &armstorage.SKU{Name: emulatortest.Ptr(armstorage.SKUNameStandardLRS)}}, nil)
	r, err := emulatortest.Done(t, p, err)
	if err != nil {
		t.Fatalf("storage account %s: %v", name, err)
	}
	return *r.ID
}

// reverseMapping creates the mapping from the recovery container back to
// the primary one, with the topology's policy.
func (e *tfoEnv) reverseMapping(t *testing.T) asr.ProtectionContainerMapping {
	t.Helper()
	return emulatortest.Must[asr.ProtectionContainerMapping](t, "reverse mapping")(createMapping(t, e.c, "fabric-westus2", "pc-westus2", "map-west-east",
		*e.top.primaryContainer.ID, *e.top.policy.ID))
}

// reprotect is the complete re-protect input of item in direction.
func (e *tfoEnv) reprotect(t *testing.T, item, direction string) asr.ReverseReplicationInput {
	t.Helper()
	servingVM, container, group := repVMID("rg-recovery", item), e.top.primaryContainer.ID, "rg-prod"
	staging := e.storageAccount(t, "rg-recovery", "cachewest", "westus2")
	target := e.storageAccount(t, "rg-recovery", "cacheeast", "eastus")
	if direction == "PrimaryToRecovery" {
		servingVM, container, group = repVMID("rg-prod", item), e.top.recoveryContainer.ID, "rg-recovery"
		staging, target = target, staging
	}
	vm, err := emulatortest.VMClient(t, e.srv.URL()).Get(emulatortest.Context(t), groupOf(servingVM), item, nil)
	var disks []*asr.A2AVMDiskInputDetails
	if err == nil {
		sp := vm.Properties.StorageProfile
		ids := []*string{sp.OSDisk.ManagedDisk.ID}
		for _, d := range sp.DataDisks {
			ids = append(ids, d.ManagedDisk.ID)
		}
		for _, id := range ids {
			disks = append(disks, &asr.A2AVMDiskInputDetails{DiskURI: id,
				PrimaryStagingAzureStorageAccountID: emulatortest.Ptr(staging), RecoveryAzureStorageAccountID: emulatortest.Ptr(target)})
		}
	}
	return asr.ReverseReplicationInput{Properties: &asr.ReverseReplicationInputProperties{
		FailoverDirection: emulatortest.Ptr(direction),
		ProviderSpecificDetails: &asr.A2AReprotectInput{InstanceType: emulatortest.Ptr("A2A"), RecoveryContainerID: container,
			PolicyID: e.top.policy.ID, RecoveryResourceGroupID: emulatortest.Ptr("/subscriptions/" + emulatortest.Subscription + "/resourceGroups/" + group),
			VMDisks: disks}}}
}

// groupOf is the resource group name in an ARM id.
func groupOf(id string) string { return strings.Split(id, "/")[4] }
