package siterecovery

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// The managed disks of an A2A enable (vmManagedDisks): each names a disk
// of the VM, its cache storage account in the source region and, optionally,
// the replica and target disk types (the source disk's type when unset, as
// A2AVMManagedDiskInputDetails documents).

// diskAccountTypes are the managed disk types Site Recovery replicates to
// (armcompute's DiskStorageAccountTypes); compared exactly, as Azure's enum.
var diskAccountTypes = []string{"Standard_LRS", "Premium_LRS", "StandardSSD_LRS", "Premium_ZRS", "StandardSSD_ZRS", "PremiumV2_LRS", "UltraSSD_LRS"}

// protectedDisks checks vmManagedDisks against the VM's managed disks and
// returns the disks to replicate. recoverySize is the recovery VM's size:
// a premium target disk needs a size with premium storage.
func protectedDisks(r store.Reader, vm *compute.VM, in []a2aManagedDiskIn, recoverySize string) ([]itemDisk, error) {
	own := vmDisks(vm)
	const listProp = a2aPath + ".vmManagedDisks"
	if len(in) == 0 {
		if len(own) == 0 {
			return []itemDisk{}, nil
		}
		return nil, arm.InvalidProperty(listProp,
			"the virtual machine '%s' has %d managed disks: list each with its diskId, recoveryResourceGroupId and primaryStagingAzureStorageAccountId (a cache storage account in %s)",
			vm.Name, len(own), vm.Location)
	}
	out := []itemDisk{}
	seen := map[string]bool{}
	for i, d := range in {
		prop := listProp + "[" + strconv.Itoa(i) + "]"
		if d.DiskID == "" {
			return nil, arm.InvalidProperty(prop+".diskId", "the managed disk id is required")
		}
		var disk *itemDisk
		for j := range own {
			if strings.EqualFold(own[j].DiskID, d.DiskID) {
				c := own[j]
				disk = &c
			}
		}
		if disk == nil {
			return nil, arm.SiteRecoveryInvalidReference("DiskNotAttachedToVm", prop+".diskId",
				"the managed disk '%s' is not a disk of virtual machine '%s'", d.DiskID, vm.Name)
		}
		if seen[strings.ToLower(disk.DiskID)] {
			return nil, arm.InvalidProperty(prop+".diskId", "the managed disk '%s' is listed twice", d.DiskID)
		}
		seen[strings.ToLower(disk.DiskID)] = true
		id, err := requireRecoveryGroup(r, d.RecoveryResourceGroupID, prop+".recoveryResourceGroupId")
		if err != nil {
			return nil, err
		}
		disk.RecoveryResourceGroupID = id
		if disk.StagingAccountID, err = requireStagingAccount(r, d.PrimaryStagingAzureStorageAccountID, prop+".primaryStagingAzureStorageAccountId", vm); err != nil {
			return nil, err
		}
		source := disk.TargetDiskAccountType // the source disk's type
		for _, at := range []struct {
			value string
			dst   *string
			prop  string
		}{
			{d.RecoveryReplicaDiskAccountType, &disk.ReplicaDiskAccountType, ".recoveryReplicaDiskAccountType"},
			{d.RecoveryTargetDiskAccountType, &disk.TargetDiskAccountType, ".recoveryTargetDiskAccountType"},
		} {
			switch {
			case at.value == "":
				*at.dst = source
			case !contains(diskAccountTypes, at.value):
				return nil, arm.InvalidProperty(prop+at.prop, "'%s' is not a managed disk type: use one of %s", at.value, strings.Join(diskAccountTypes, ", "))
			default:
				*at.dst = at.value
			}
		}
		if err := checkPremiumSupport(recoverySize, disk.TargetDiskAccountType, prop+".recoveryTargetDiskAccountType"); err != nil {
			return nil, err
		}
		out = append(out, *disk)
	}
	return out, nil
}

// vmDisks are the VM's managed disks, each with its own type as the
// default replica and target type.
func vmDisks(vm *compute.VM) []itemDisk {
	var own []itemDisk
	sp := vm.Properties.StorageProfile
	if sp == nil {
		return nil
	}
	add := func(d compute.Disk, typ string) {
		if d.ManagedDisk.ID == "" {
			return
		}
		own = append(own, itemDisk{DiskID: d.ManagedDisk.ID, DiskName: d.Name, DiskType: typ, CapacityGB: d.DiskSizeGB,
			ReplicaDiskAccountType: d.ManagedDisk.StorageAccountType, TargetDiskAccountType: d.ManagedDisk.StorageAccountType})
	}
	add(sp.OSDisk, "OperatingSystem")
	for _, d := range sp.DataDisks {
		add(d, "Data")
	}
	return own
}

// requireStagingAccount checks a disk's cache storage account: given, an
// existing storage account, in the source VM's region (Azure: "The cache
// storage account '...' specified must be located in the same region as
// the source VM").
func requireStagingAccount(r store.Reader, id, property string, vm *compute.VM) (string, error) {
	if strings.TrimSpace(id) == "" {
		return "", arm.InvalidProperty(property,
			"the cache storage account is required for every managed disk: give the id of a standard storage account in %s, the region of virtual machine '%s'",
			vm.Location, vm.Name)
	}
	acct, ok, err := findStorageAccount(r, id)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", arm.SiteRecoveryInvalidReference("StorageAccountNotFound", property,
			"the cache storage account '%s' was not found: create it in %s first", id, vm.Location)
	}
	if !sameRegion(acct.location, vm.Location) {
		return "", arm.SiteRecoveryInvalidReference("CacheStorageAccountNotInSourceRegion", property,
			"The cache storage account '%s' specified must be located in the same region as the source VM. The specific cache storage account location is : '%s', the source VM's is '%s'.",
			acct.id, acct.location, vm.Location)
	}
	return acct.id, nil
}

// sizeRule splits an Azure VM size name: Standard_D2s_v5 is family D, 2
// vCPUs, features "s"; Standard_DS2_v2 is family DS (the older spelling of
// premium storage); Standard_E8-4ads_v5 constrains the vCPUs.
var sizeRule = regexp.MustCompile(`^(?:Standard|Basic)_([A-Z]+)(\d+)(?:-\d+)?([a-z]*)(?:_.*)?$`)

// premiumStorage reports whether a VM size can attach premium disks, and
// whether the emulator knows: sizes with the "s" feature letter (or a
// family ending in S) can; others cannot; names it cannot read are unknown.
func premiumStorage(size string) (supported, known bool) {
	m := sizeRule.FindStringSubmatch(size)
	if m == nil {
		return false, false
	}
	return strings.HasSuffix(m[1], "S") || strings.Contains(m[3], "s"), true
}

// checkPremiumSupport refuses a premium target disk type for a recovery
// VM size without premium storage (when the size is known).
func checkPremiumSupport(size, diskType, property string) error {
	if !strings.HasPrefix(diskType, "Premium") && diskType != "UltraSSD_LRS" {
		return nil
	}
	if ok, known := premiumStorage(size); known && !ok {
		return arm.SiteRecoveryInvalidReference("PremiumStorageNotSupportedForVmSize", property,
			"the recovery virtual machine size '%s' does not support premium storage, so its disks cannot be '%s': use Standard_LRS or StandardSSD_LRS, or a size with premium storage (an \"s\" in its features, e.g. Standard_D2s_v5)",
			size, diskType)
	}
	return nil
}

func sameRegion(a, b string) bool {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }
	return norm(a) == norm(b)
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
