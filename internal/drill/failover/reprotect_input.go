package failover

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/cacheaccount"
)

// The complete A2AReprotectInput (SDK v2.2.0) Azure needs to re-protect an
// A2A item after a committed failover:
//   - recoveryContainerId: the container replication goes to, the target of
//     the container mapping from the container the VM now serves in (the
//     azuredr_replication_policy creates both mappings, forward and back);
//   - policyId: that mapping's policy;
//   - recoveryResourceGroupId: where the VM replicates to (back to the
//     original VM's group, or to the item's recovery group after a
//     failback);
//   - vmDisks: every managed disk of the VM now serving (diskUri: its id),
//     each with the site's cache account in the new source region
//     (primaryStagingAzureStorageAccountId, created when missing, as for
//     the enable) and the site's cache account in the new target region
//     (recoveryAzureStorageAccountId, required by the model).

// reprotectPlan is where a re-protect in one direction goes.
type reprotectPlan struct {
	sourceContainerID, targetContainerID string
	sourceRegion, targetRegion           string
	servingVMID, targetGroupID           string
}

// planReprotect reads the item and works out the re-protect in dir.
func planReprotect(item *asr.ReplicationProtectedItem, s *Site, dir string) (reprotectPlan, error) {
	a, ok := item.Properties.ProviderSpecificDetails.(*asr.A2AReplicationDetails)
	if !ok || a == nil {
		return reprotectPlan{}, fmt.Errorf("item %s does not replicate with A2A", deref(item.ID))
	}
	original, recoveryVM := deref(a.FabricObjectID), deref(a.RecoveryFabricObjectID)
	if dir == dirRecoveryToPrimary {
		if recoveryVM == "" {
			return reprotectPlan{}, fmt.Errorf("item %s names no recovery virtual machine (recoveryFabricObjectId): nothing failed over to re-protect", deref(item.ID))
		}
		return reprotectPlan{sourceContainerID: s.RecoveryContainerID, targetContainerID: s.PrimaryContainerID,
			sourceRegion: s.RecoveryLocation, targetRegion: s.PrimaryLocation,
			servingVMID: recoveryVM, targetGroupID: groupIDOf(original)}, nil
	}
	return reprotectPlan{sourceContainerID: s.PrimaryContainerID, targetContainerID: s.RecoveryContainerID,
		sourceRegion: s.PrimaryLocation, targetRegion: s.RecoveryLocation,
		servingVMID: original, targetGroupID: deref(a.RecoveryAzureResourceGroupID)}, nil
}

// reprotectInput builds the complete re-protect input of the item in dir.
func reprotectInput(ctx context.Context, c *azure.Client, s *Site, id azure.ProtectedItemID, dir string) (asr.ReverseReplicationInput, error) {
	var none asr.ReverseReplicationInput
	item, err := azure.FindProtectedItem(ctx, c, id)
	if err != nil {
		return none, err
	}
	p, err := planReprotect(item, s, dir)
	if err != nil {
		return none, err
	}
	policyID, err := mappingPolicy(ctx, c, id, p.sourceContainerID, p.targetContainerID)
	if err != nil {
		return none, err
	}
	disks, err := vmDisks(ctx, c, p.servingVMID)
	if err != nil {
		return none, err
	}
	cacheSite := cacheaccount.Site{SubscriptionID: id.Subscription, ResourceGroup: s.RecoveryResourceGroup, Name: s.Name}
	staging, err := cacheaccount.Ensure(ctx, c, cacheSite, p.sourceRegion)
	if err != nil {
		return none, fmt.Errorf("the cache storage account in %s (the new source region): %w", p.sourceRegion, err)
	}
	target, err := cacheaccount.Ensure(ctx, c, cacheSite, p.targetRegion)
	if err != nil {
		return none, fmt.Errorf("the cache storage account in %s (the region replicated to): %w", p.targetRegion, err)
	}
	details := &asr.A2AReprotectInput{InstanceType: ptr("A2A"), RecoveryContainerID: ptr(p.targetContainerID),
		PolicyID: ptr(policyID), RecoveryResourceGroupID: ptr(p.targetGroupID)}
	for _, d := range disks {
		details.VMDisks = append(details.VMDisks, &asr.A2AVMDiskInputDetails{DiskURI: ptr(d),
			PrimaryStagingAzureStorageAccountID: ptr(staging), RecoveryAzureStorageAccountID: ptr(target)})
	}
	return asr.ReverseReplicationInput{Properties: &asr.ReverseReplicationInputProperties{
		FailoverDirection: ptr(dir), ProviderSpecificDetails: details}}, nil
}

// mappingPolicy is the policy of the container mapping from source to
// target (both container ids, in the item's vault).
func mappingPolicy(ctx context.Context, c *azure.Client, id azure.ProtectedItemID, source, target string) (string, error) {
	rid, err := arm.ParseResourceID(source)
	if err != nil || rid.Parent == nil {
		return "", fmt.Errorf("%q is not a protection container id", source)
	}
	pager := c.ContainerMappings().NewListByReplicationProtectionContainersPager(id.Vault, id.ResourceGroup, rid.Parent.Name, rid.Name, nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return "", err
		}
		for _, m := range page.Value {
			if m.Properties != nil && strings.EqualFold(deref(m.Properties.TargetProtectionContainerID), target) {
				return deref(m.Properties.PolicyID), nil
			}
		}
	}
	return "", fmt.Errorf("no container mapping from %s to %s: re-protect replicates that way with the mapping's policy; the azuredr_replication_policy creates the mapping back (apply it again if it was removed)", source, target)
}

// vmDisks are the managed disk ids of a VM, OS disk first.
func vmDisks(ctx context.Context, c *azure.Client, vmID string) ([]string, error) {
	rid, err := arm.ParseResourceID(vmID)
	if err != nil {
		return nil, fmt.Errorf("%q is not a virtual machine id", vmID)
	}
	vm, err := c.VirtualMachines().Get(ctx, rid.ResourceGroupName, rid.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("reading the virtual machine %s for its disks: %w", vmID, err)
	}
	sp := vm.Properties.StorageProfile
	if sp == nil || sp.OSDisk == nil || sp.OSDisk.ManagedDisk == nil {
		return nil, fmt.Errorf("virtual machine %s has no managed OS disk: A2A re-protect here handles managed disks", vmID)
	}
	ids := []string{deref(sp.OSDisk.ManagedDisk.ID)}
	for _, d := range sp.DataDisks {
		if d.ManagedDisk != nil {
			ids = append(ids, deref(d.ManagedDisk.ID))
		}
	}
	return ids, nil
}

// groupIDOf is the resource group id of an ARM id.
func groupIDOf(id string) string {
	rid, err := arm.ParseResourceID(id)
	if err != nil {
		return ""
	}
	return "/subscriptions/" + rid.SubscriptionID + "/resourceGroups/" + rid.ResourceGroupName
}
