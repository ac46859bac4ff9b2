package siterecovery

import (
	"strconv"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Re-protect of an A2A item: POST {item}/reProtect with a
// ReverseReplicationInput whose providerSpecificDetails is an
// A2AReprotectInput (SDK v2.2.0): recoveryContainerId (the container the
// reverse container mapping targets), policyId (that mapping's policy),
// recoveryResourceGroupId (where the VM replicates to) and vmDisks, one
// A2AVMDiskInputDetails per disk of the VM now serving (diskUri: its
// managed disk id; primaryStagingAzureStorageAccountId: the cache account
// in the new source region; recoveryAzureStorageAccountId: a storage
// account in the new target region). Azure refuses a re-protect without
// disk details (400 VMDisksMissing); the rest is checked like the enable's
// references.

// reprotectInput is ReverseReplicationInput with A2AReprotectInput.
type reprotectInput struct {
	Properties *struct {
		FailoverDirection       *string             `json:"failoverDirection"`
		ProviderSpecificDetails *a2aReprotectFields `json:"providerSpecificDetails"`
	} `json:"properties"`
}

type a2aReprotectFields struct {
	InstanceType            string `json:"instanceType"`
	RecoveryContainerID     string `json:"recoveryContainerId"`
	PolicyID                string `json:"policyId"`
	RecoveryResourceGroupID string `json:"recoveryResourceGroupId"`
	VMDisks                 []struct {
		DiskURI                             string `json:"diskUri"`
		PrimaryStagingAzureStorageAccountID string `json:"primaryStagingAzureStorageAccountId"`
		RecoveryAzureStorageAccountID       string `json:"recoveryAzureStorageAccountId"`
	} `json:"vmDisks"`
}

const reprotectDetails = "properties.providerSpecificDetails"

// reprotect is POST {item}/reProtect: replication starts the other way.
// Azure lists it as SwitchProtection in the item's allowedOperations.
func (f *itemFailovers) reprotect(req *service.Request) (arm.Response, error) {
	var in reprotectInput
	if len(strings.TrimSpace(string(req.Body))) > 0 {
		if err := req.Decode(&in); err != nil {
			return arm.Response{}, err
		}
	}
	return f.startAction(req, f.reprotectAction(in))
}

// reprotectAction is an item's re-protect with input in (also what a
// recovery plan's re-protect starts per item).
func (f *itemFailovers) reprotectAction(in reprotectInput) itemAction {
	return itemAction{op: opReprotect, allowed: allowSwitchProtection, kind: kindItemReprotect, duration: itemReprotectDuration,
		prepare: func(tx *store.Tx, it *protectedItemRecord, _ *protectedItemView, _ time.Time) (any, error) {
			fo := it.Properties.Failover.Failover
			want := opposite(directionOf(it))
			p := in.Properties
			if p != nil && p.FailoverDirection != nil && *p.FailoverDirection != "" && *p.FailoverDirection != want {
				return nil, arm.SiteRecoveryInvalidReference("InvalidFailoverDirection", "properties.failoverDirection",
					"'%s' is not possible: after failing over %s, '%s' re-protects %s", *p.FailoverDirection, fo.Direction, it.Properties.VMName, want)
			}
			if p == nil || p.ProviderSpecificDetails == nil {
				return nil, arm.InvalidProperty(reprotectDetails,
					"an A2A re-protect needs an A2AReprotectInput (instanceType A2A) naming recoveryContainerId, policyId, recoveryResourceGroupId and vmDisks")
			}
			if err := f.s.checkReprotect(tx, it, p.ProviderSpecificDetails); err != nil {
				return nil, err
			}
			input := actionInput{PreviousPhase: fo.Phase}
			fo.Phase = fphaseReprotecting
			it.Properties.Failover.Scenario = opReprotect
			return input, nil
		}}
}

// reprotectSides are the item's new source (where the VM serves now and
// replication will read from) and new target after a committed failover.
type reprotectSides struct {
	sourceContainerID, targetContainerID string
	sourceLocation, targetLocation       string
	sourceVMID                           string
}

func sidesForReprotect(it *protectedItemRecord) reprotectSides {
	st := &it.Properties
	fo := st.Failover.Failover
	if fo.Direction == directionPrimaryToRecovery {
		return reprotectSides{st.RecoveryContainerID, st.PrimaryContainerID, st.RecoveryLocation, st.PrimaryLocation, fo.RecoveryVMID}
	}
	return reprotectSides{st.PrimaryContainerID, st.RecoveryContainerID, st.PrimaryLocation, st.RecoveryLocation, st.VMID}
}

// checkReprotect checks everything A2AReprotectInput names.
func (s *Service) checkReprotect(tx *store.Tx, it *protectedItemRecord, d *a2aReprotectFields) error {
	if d.InstanceType != instanceA2A {
		return arm.InvalidProperty(reprotectDetails+".instanceType", "'%s' is not supported: the item replicates with A2A", d.InstanceType)
	}
	sides := sidesForReprotect(it)
	if d.RecoveryContainerID == "" {
		return arm.InvalidProperty(reprotectDetails+".recoveryContainerId",
			"required: the protection container to replicate to ('%s'), the target of the container mapping from '%s'", sides.targetContainerID, sides.sourceContainerID)
	}
	if !strings.EqualFold(d.RecoveryContainerID, sides.targetContainerID) {
		return arm.SiteRecoveryInvalidReference("InvalidRecoveryContainer", reprotectDetails+".recoveryContainerId",
			"'%s' is not where '%s' can re-protect to: it replicates from '%s' back to '%s'", d.RecoveryContainerID, it.Properties.VMName, sides.sourceContainerID, sides.targetContainerID)
	}
	m, ok, err := containerMappingBetween(tx, sides.sourceContainerID, sides.targetContainerID)
	if err != nil {
		return err
	}
	if !ok {
		return arm.SiteRecoveryInvalidReference("ProtectionContainerMappingNotFound", reprotectDetails+".recoveryContainerId",
			"no container mapping from '%s' to '%s': create the reverse mapping (with a replication policy) before re-protecting", sides.sourceContainerID, sides.targetContainerID)
	}
	if d.PolicyID == "" {
		return arm.InvalidProperty(reprotectDetails+".policyId", "required: the policy of the container mapping '%s' ('%s')", m.Name, m.Properties.PolicyID)
	}
	if !strings.EqualFold(d.PolicyID, m.Properties.PolicyID) {
		return arm.SiteRecoveryInvalidReference("InvalidPolicyId", reprotectDetails+".policyId",
			"'%s' is not the policy of the container mapping '%s' from '%s' to '%s' ('%s')", d.PolicyID, m.Name, sides.sourceContainerID, sides.targetContainerID, m.Properties.PolicyID)
	}
	if _, err := requireRecoveryGroup(tx, d.RecoveryResourceGroupID, reprotectDetails+".recoveryResourceGroupId"); err != nil {
		return err
	}
	return s.checkReprotectDisks(tx, it, sides, d)
}

// checkReprotectDisks checks vmDisks covers every disk of the VM now
// serving, each with its staging (cache) account in the new source region
// and its recovery account in the new target region.
func (s *Service) checkReprotectDisks(tx *store.Tx, it *protectedItemRecord, sides reprotectSides, d *a2aReprotectFields) error {
	disks, err := vmDiskIDs(tx, sides.sourceVMID)
	if err != nil {
		return err
	}
	if len(d.VMDisks) == 0 {
		return arm.SiteRecoveryInvalidReference("VMDisksMissing", reprotectDetails+".vmDisks",
			"disk details are required for every disk of '%s' (%s): diskUri, primaryStagingAzureStorageAccountId (a storage account in %s) and recoveryAzureStorageAccountId (in %s)",
			sides.sourceVMID, strings.Join(disks, ", "), sides.sourceLocation, sides.targetLocation)
	}
	seen := map[string]bool{}
	for i, vd := range d.VMDisks {
		at := reprotectDetails + ".vmDisks[" + strconv.Itoa(i) + "]"
		if !containsFold(disks, vd.DiskURI) {
			return arm.SiteRecoveryInvalidReference("InvalidDiskUri", at+".diskUri",
				"'%s' is not a disk of the virtual machine re-protected ('%s': %s)", vd.DiskURI, sides.sourceVMID, strings.Join(disks, ", "))
		}
		seen[strings.ToLower(vd.DiskURI)] = true
		if err := requireStorageAccountIn(tx, vd.PrimaryStagingAzureStorageAccountID, sides.sourceLocation, at+".primaryStagingAzureStorageAccountId",
			"the cache storage account in the new source region"); err != nil {
			return err
		}
		if err := requireStorageAccountIn(tx, vd.RecoveryAzureStorageAccountID, sides.targetLocation, at+".recoveryAzureStorageAccountId",
			"a storage account in the region replicated to"); err != nil {
			return err
		}
	}
	for _, id := range disks {
		if !seen[strings.ToLower(id)] {
			return arm.SiteRecoveryInvalidReference("VMDisksMissing", reprotectDetails+".vmDisks",
				"the disk '%s' of '%s' has no disk details: every disk of the virtual machine is re-protected", id, sides.sourceVMID)
		}
	}
	return nil
}

// vmDiskIDs are the managed disk ids of a VM (OS disk first).
func vmDiskIDs(r store.Reader, vmID string) ([]string, error) {
	vm, ok, err := service.GetJSON[compute.VM](r, vmID)
	if err != nil || !ok || vm.Properties.StorageProfile == nil {
		return nil, err
	}
	sp := vm.Properties.StorageProfile
	ids := []string{sp.OSDisk.ManagedDisk.ID}
	for _, d := range sp.DataDisks {
		ids = append(ids, d.ManagedDisk.ID)
	}
	return ids, nil
}

// requireStorageAccountIn checks a storage account id the input names
// exists and is in region.
func requireStorageAccountIn(r store.Reader, id, region, property, what string) error {
	if id == "" {
		return arm.InvalidProperty(property, "required: %s (%s)", what, region)
	}
	loc, ok, err := storageAccountLocation(r, id)
	if err != nil {
		return err
	}
	if !ok {
		return arm.SiteRecoveryInvalidReference("StorageAccountNotFound", property, "the storage account '%s' does not exist", id)
	}
	if !strings.EqualFold(normalizeLocation(loc), normalizeLocation(region)) {
		return arm.SiteRecoveryInvalidReference("InvalidStorageAccountLocation", property,
			"the storage account '%s' is in %s; it must be %s, in %s", id, loc, what, region)
	}
	return nil
}

func normalizeLocation(l string) string { return strings.ToLower(strings.ReplaceAll(l, " ", "")) }
