package compute

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
)

// What a VM PUT must say, checked as the compute resource provider checks
// it (armcompute.VirtualMachine, virtualMachine.json 2024-11-01): a known
// size, an image with an OS disk made from it, an OS profile (osprofile.go
// rules), one or more NICs. This file reads the body; vms_write.go checks
// the NICs against the store. Every refusal is 400 InvalidParameter naming
// the property (target) unless Azure has a code of its own.

// vmInput is the PUT body: the fields the emulator acts on.
type vmInput struct {
	Location   *string           `json:"location"`
	Tags       map[string]string `json:"tags"`
	Zones      []string          `json:"zones"`
	Properties *struct {
		HardwareProfile *struct {
			VMSize string `json:"vmSize"`
		} `json:"hardwareProfile"`
		StorageProfile *struct {
			ImageReference *vmImageReference `json:"imageReference"`
			OSDisk         *struct {
				Name         string `json:"name"`
				CreateOption string `json:"createOption"`
				Caching      string `json:"caching"`
				DiskSizeGB   *int   `json:"diskSizeGB"`
				DeleteOption string `json:"deleteOption"`
				ManagedDisk  *struct {
					StorageAccountType string `json:"storageAccountType"`
				} `json:"managedDisk"`
			} `json:"osDisk"`
			DataDisks []json.RawMessage `json:"dataDisks"`
		} `json:"storageProfile"`
		OSProfile      *osProfileInput `json:"osProfile"`
		NetworkProfile *struct {
			NetworkInterfaces []struct {
				ID         string `json:"id"`
				Properties *struct {
					Primary      *bool  `json:"primary"`
					DeleteOption string `json:"deleteOption"`
				} `json:"properties"`
			} `json:"networkInterfaces"`
		} `json:"networkProfile"`
	} `json:"properties"`
}

// vmPlan is a body that passed the checks that need no store.
type vmPlan struct {
	size      vmSize
	image     vmImageReference
	windows   bool
	osDisk    Disk
	osProfile *vmOSProfile
	nics      []vmNICReference
}

const (
	deleteOptionDelete = "Delete"
	deleteOptionDetach = "Detach"
	// Sizes of the images' OS disks: Azure's Linux images are 30 GB,
	// Windows Server's 127 GB.
	linuxImageDiskGB   = 30
	windowsImageDiskGB = 127
)

var (
	imageVersionPattern = regexp.MustCompile(`^(latest|\d+\.\d+\.\d+)$`)
	storageAccountTypes = []string{"Standard_LRS", "Premium_LRS", "StandardSSD_LRS", "Premium_ZRS", "StandardSSD_ZRS"}
)

func invalidParameter(target, format string, args ...any) *arm.Error {
	return &arm.Error{Status: http.StatusBadRequest, Code: "InvalidParameter", Target: target, Message: fmt.Sprintf(format, args...)}
}

// missingParameter is the compute resource provider's refusal of an
// absent required property.
func missingParameter(name string) *arm.Error {
	return invalidParameter(name, "Required parameter '%s' is missing (null).", name)
}

// planVM applies the checks of a new VM's body that need no store.
func planVM(in *vmInput) (*vmPlan, error) {
	p := in.Properties
	if p == nil || p.HardwareProfile == nil || p.HardwareProfile.VMSize == "" {
		return nil, missingParameter("hardwareProfile.vmSize")
	}
	size, err := lookupVMSize(p.HardwareProfile.VMSize)
	if err != nil {
		return nil, err
	}
	plan := &vmPlan{size: size}
	if err := plan.storage(in); err != nil {
		return nil, err
	}
	if p.OSProfile == nil {
		return nil, missingParameter("osProfile")
	}
	if plan.osProfile, err = resolveOSProfile(p.OSProfile, plan.windows); err != nil {
		return nil, err
	}
	return plan, plan.network(in)
}

// storage reads storageProfile: an image and an OS disk made from it.
func (plan *vmPlan) storage(in *vmInput) error {
	sp := in.Properties.StorageProfile
	if sp == nil || sp.ImageReference == nil {
		return missingParameter("storageProfile.imageReference")
	}
	img := *sp.ImageReference
	for _, f := range []struct{ name, v string }{{"publisher", img.Publisher}, {"offer", img.Offer}, {"sku", img.SKU}, {"version", img.Version}} {
		if strings.TrimSpace(f.v) == "" {
			return missingParameter("imageReference." + f.name)
		}
	}
	if !imageVersionPattern.MatchString(img.Version) {
		return invalidParameter("imageReference.version", "The value '%s' of parameter 'imageReference.version' is invalid: use 'latest' or major.minor.build.", img.Version)
	}
	img.ExactVersion = ""
	plan.image = img
	// The OS follows the image, as in Azure: Windows Server's publisher
	// makes Windows VMs, every other image here Linux.
	plan.windows = strings.EqualFold(img.Publisher, "MicrosoftWindowsServer")
	d := sp.OSDisk
	if d == nil || d.CreateOption == "" {
		return missingParameter("osDisk.createOption")
	}
	if !strings.EqualFold(d.CreateOption, "FromImage") {
		return invalidParameter("osDisk.createOption", "The value '%s' of parameter 'osDisk.createOption' is not supported with an imageReference: use FromImage (the emulator serves no disks to attach).", d.CreateOption)
	}
	osType, imageGB := "Linux", linuxImageDiskGB
	if plan.windows {
		osType, imageGB = "Windows", windowsImageDiskGB
	}
	gb := imageGB
	if d.DiskSizeGB != nil {
		gb = *d.DiskSizeGB
		if gb < imageGB {
			return &arm.Error{Status: http.StatusBadRequest, Code: "ResizeDiskError", Target: "osDisk.diskSizeGB",
				Message: fmt.Sprintf("Disk size %d GB is smaller than the size of the corresponding disk in the VM image: %d GB. This is not allowed. Please choose equal or greater size or do not specify an explicit size.", gb, imageGB)}
		}
		if gb > maxOSDiskSizeGB {
			return invalidParameter("osDisk.diskSizeGB", "The value %d of parameter 'osDisk.diskSizeGB' is invalid: an OS disk is at most %d GB.", gb, maxOSDiskSizeGB)
		}
	}
	deleteOption, err := resolveDeleteOption("osDisk.deleteOption", d.DeleteOption)
	if err != nil {
		return err
	}
	storage := vmStorageType
	if d.ManagedDisk != nil && d.ManagedDisk.StorageAccountType != "" {
		if storage = canonical(d.ManagedDisk.StorageAccountType, storageAccountTypes); storage == "" {
			return invalidParameter("osDisk.managedDisk.storageAccountType", "The value '%s' of parameter 'osDisk.managedDisk.storageAccountType' is invalid: one of %s.", d.ManagedDisk.StorageAccountType, strings.Join(storageAccountTypes, ", "))
		}
	}
	caching := "ReadWrite"
	if d.Caching != "" {
		if caching = canonical(d.Caching, []string{"None", "ReadOnly", "ReadWrite"}); caching == "" {
			return invalidParameter("osDisk.caching", "The value '%s' of parameter 'osDisk.caching' is invalid: None, ReadOnly or ReadWrite.", d.Caching)
		}
	}
	if len(sp.DataDisks) > 0 {
		return invalidParameter("storageProfile.dataDisks", "The emulator creates VMs through ARM with an OS disk only: leave dataDisks out.")
	}
	plan.osDisk = Disk{Name: d.Name, OSType: osType, CreateOption: "FromImage", Caching: caching, DiskSizeGB: gb,
		ManagedDisk: vmManagedDisk{StorageAccountType: storage}, DeleteOption: deleteOption}
	return nil
}

// network reads networkProfile: one or more NICs, distinct, one primary
// when several, each with its deleteOption.
func (plan *vmPlan) network(in *vmInput) error {
	np := in.Properties.NetworkProfile
	if np == nil || len(np.NetworkInterfaces) == 0 {
		return missingParameter("networkProfile.networkInterfaces")
	}
	if n := len(np.NetworkInterfaces); n > plan.size.maxNICs {
		return &arm.Error{Status: http.StatusBadRequest, Code: "NetworkInterfaceCountExceeded",
			Message: fmt.Sprintf("The number of network interfaces for virtual machine is %d and exceeds the maximum allowed for the virtual machine size %s (%d).", n, plan.size.name, plan.size.maxNICs)}
	}
	seen, primaries := map[string]bool{}, 0
	for i, ref := range np.NetworkInterfaces {
		target := fmt.Sprintf("networkProfile.networkInterfaces[%d].id", i)
		if ref.ID == "" {
			return missingParameter(target)
		}
		if seen[strings.ToLower(ref.ID)] {
			return invalidParameter(target, "The network interface %s is listed twice.", ref.ID)
		}
		seen[strings.ToLower(ref.ID)] = true
		out := vmNICReference{ID: ref.ID}
		option := ""
		if ref.Properties != nil {
			out.Properties.Primary = ref.Properties.Primary != nil && *ref.Properties.Primary
			option = ref.Properties.DeleteOption
		}
		var err error
		if out.Properties.DeleteOption, err = resolveDeleteOption(fmt.Sprintf("networkProfile.networkInterfaces[%d].properties.deleteOption", i), option); err != nil {
			return err
		}
		if out.Properties.Primary {
			primaries++
		}
		plan.nics = append(plan.nics, out)
	}
	switch {
	case len(plan.nics) == 1:
		plan.nics[0].Properties.Primary = true
	case primaries != 1:
		return &arm.Error{Status: http.StatusBadRequest, Code: "VirtualMachineMustHaveOneNetworkInterfaceAsPrimary", Target: "networkProfile.networkInterfaces",
			Message: fmt.Sprintf("Virtual machine must have exactly one network interface set as the primary; %d of %d are.", primaries, len(plan.nics))}
	}
	return nil
}

// resolveDeleteOption is Delete or Detach (the default, as the API's).
func resolveDeleteOption(target, v string) (string, error) {
	if v == "" {
		return deleteOptionDetach, nil
	}
	if c := canonical(v, []string{deleteOptionDelete, deleteOptionDetach}); c != "" {
		return c, nil
	}
	return "", invalidParameter(target, "The value '%s' of parameter '%s' is invalid: Delete or Detach.", v, target)
}

// canonical is v spelled as in allowed (matched case-insensitively), ""
// when it is none of them.
func canonical(v string, allowed []string) string {
	for _, a := range allowed {
		if strings.EqualFold(v, a) {
			return a
		}
	}
	return ""
}
