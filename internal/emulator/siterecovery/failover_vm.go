package siterecovery

import (
	"encoding/json"
	"net/netip"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

// The VMs Site Recovery makes: a test failover's VM (role "test") and a
// failover's recovery VM (role "recovery"), built like the estate's VMs
// (compute.SeedVMOf) from the protected VM's shape, in a network of the
// target region, serving the data version of the recovery point used.

// failoverSide is one end of an item's replication: where its VM is (the
// source) or comes up on failover (the target).
type failoverSide struct {
	location   string
	vmID       string // the VM there, if any
	vmName     string
	vmSize     string
	zone       string
	groupID    string
	networkID  string
	subnetName string
}

// failoverVMSpec says what VM to make.
type failoverVMSpec struct {
	itemID      string
	sourceVMID  string // shape (size, disks) and title come from it
	groupID     string
	location    string
	zone        string
	name        string
	size        string
	role        string
	titleSuffix string
	data        web.DataVersion
	networkID   string
	subnetName  string
	// staticIP is the NIC's address ("" = the next free one).
	staticIP string
	// publicIPID is a user's public IP to attach to the NIC (it stays
	// the user's: deleteFailoverVM detaches it). Without one the VM has
	// no public IP: Site Recovery never makes one.
	publicIPID string
	// diskTypes are the disks' account types, OS disk first (the item's
	// recoveryTargetDiskAccountType); "" keeps the estate's default.
	diskTypes []string
	tags      map[string]string
}

// failoverVM is what createFailoverVM made.
type failoverVM struct {
	vmID, nicID, publicIPID string
}

// createFailoverVM stores the VM, its NIC (in the subnet, with the next
// free address) and, when asked, a public IP on the NIC, then starts its
// site (in tx: see compute.Service.ServeInTx). Errors are *arm.Error whose message
// says what is wrong.
func (s *Service) createFailoverVM(tx *store.Tx, spec failoverVMSpec) (*failoverVM, error) {
	sub, gname, ok := arm.SplitGroupID(spec.groupID)
	if !ok {
		return nil, arm.BadRequest("InvalidRecoveryResourceGroup", "'%s' is not a resource group id", spec.groupID)
	}
	rg, found, err := resources.GetGroup(tx, sub, gname)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, arm.BadRequest("RecoveryResourceGroupNotFound", "the resource group '%s' does not exist", spec.groupID)
	}
	if rg.Properties.ProvisioningState == service.StateDeleting {
		return nil, arm.BadRequest("RecoveryResourceGroupNotFound", "the resource group '%s' is being deleted", rg.Name)
	}
	if _, exists := tx.Get(compute.VMID(sub, rg.Name, spec.name)); exists {
		return nil, arm.BadRequest("VmAlreadyExists", "a virtual machine named '%s' already exists in resource group '%s'", spec.name, rg.Name)
	}
	if err := s.applyItemNICSettings(tx, &spec); err != nil {
		return nil, err
	}

	// The shape and title of the source VM.
	sv := compute.SeedVirtualMachine{Name: spec.name, Location: spec.location, Zone: spec.zone, Tags: map[string]string{}}
	for k, v := range spec.tags {
		sv.Tags[k] = v
	}
	title := ""
	size := spec.size
	var files *compute.VMFiles
	if src, ok, err := service.GetJSON[compute.VM](tx, spec.sourceVMID); err != nil {
		return nil, err
	} else if ok {
		title = src.Name
		if size == "" && src.Properties.HardwareProfile != nil {
			size = src.Properties.HardwareProfile.VMSize
		}
		if sp := src.Properties.StorageProfile; sp != nil {
			sv.OSType = sp.OSDisk.OSType
			os := sp.OSDisk.DiskSizeGB
			sv.OSDiskSizeGB = &os
			for _, d := range sp.DataDisks {
				sv.DataDisks = append(sv.DataDisks, d.DiskSizeGB)
			}
		}
	}
	if st, ok, err := service.GetJSON[compute.VMState](tx, compute.StateKey(spec.sourceVMID)); err != nil {
		return nil, err
	} else if ok {
		if st.Title != "" {
			title = st.Title
		}
		// The disk as of the recovery point: the files the source's scripts
		// wrote up to that data version (a file canary's marker).
		files = st.Files.AsOf(spec.data.Version)
	}
	if title == "" {
		title = spec.name
	}
	sv.Site = &compute.SeedSite{Title: title + spec.titleSuffix}
	made, err := compute.SeedVMOf(sub, rg.Name, rg.Location, sv, s.Clock.Now())
	if err != nil {
		return nil, err
	}
	vm := made.VM
	if size != "" {
		vm.Properties.HardwareProfile.VMSize = size
	}
	setDiskTypes(vm, spec.diskTypes)
	made.State.Role = spec.role
	made.State.Data = spec.data
	made.State.History = []web.DataVersion{spec.data}
	made.State.Files = files

	// The NIC, in the target subnet.
	nic := compute.NewNIC(vm)
	nic.Tags = spec.tags
	vnet, ok, err := network.GetVNet(tx, spec.networkID)
	if err != nil {
		return nil, err
	}
	if !ok || vnet.Properties.ProvisioningState == service.StateDeleting {
		return nil, arm.BadRequest("NetworkNotFound", "the virtual network '%s' no longer exists", spec.networkID)
	}
	if vnet.Location != spec.location {
		return nil, arm.BadRequest("NetworkNotInTargetRegion", "the virtual network '%s' is in %s, not %s", vnet.Name, vnet.Location, spec.location)
	}
	i := network.IndexByName(vnet.Properties.Subnets, spec.subnetName)
	if i < 0 {
		return nil, arm.BadRequest("SubnetNotFound", "the virtual network '%s' has no subnet '%s' any more", vnet.Name, spec.subnetName)
	}
	sn := &vnet.Properties.Subnets[i]
	used, err := compute.UsedAddresses(tx, sn.ID)
	if err != nil {
		return nil, err
	}
	var want netip.Addr
	if spec.staticIP != "" {
		if want, err = netip.ParseAddr(spec.staticIP); err != nil {
			return nil, arm.BadRequest("InvalidStaticIPAddress", "'%s' is not an IP address", spec.staticIP)
		}
	}
	ip, err := compute.AllocateAddress(sn, want, used)
	if err != nil {
		return nil, err
	}
	cfg := &nic.Properties.IPConfigurations[0].Properties
	cfg.Subnet = &network.SubResource{ID: sn.ID}
	cfg.PrivateIPAddress = ip.String()

	out := &failoverVM{vmID: vm.ID, nicID: nic.ID}
	if spec.publicIPID != "" {
		// The user's public IP: the NIC references it (its
		// ipConfiguration is derived from that), the site answers at its
		// address, and it is not written: it stays the user's.
		user, err := compute.AttachPublicIP(tx, nic, spec.publicIPID)
		if err != nil {
			return nil, err
		}
		if user.Properties.IPAddress != "" {
			made.State.Address = user.Properties.IPAddress
		}
		out.publicIPID = user.ID
	}
	if _, exists := tx.Get(nic.ID); exists {
		return nil, arm.BadRequest("NetworkInterfaceAlreadyExists", "a network interface named '%s' already exists in resource group '%s'", nic.Name, rg.Name)
	}
	if err := service.PutJSON(tx, vm.ID, vm); err != nil {
		return nil, err
	}
	if err := service.PutJSON(tx, nic.ID, nic); err != nil {
		return nil, err
	}
	if err := service.PutJSON(tx, compute.StateKey(vm.ID), made.State); err != nil {
		return nil, err
	}
	if err := s.compute.ServeInTx(tx, vm, made.State); err != nil {
		if compute.IsServeError(err) {
			return nil, arm.Internal(err)
		}
		return nil, err
	}
	return out, nil
}

// deleteFailoverVM deletes a VM Site Recovery made for item itemID (only
// if it still carries the item's tag: a VM of that name the user made
// meanwhile is left alone), its NIC and public IP, and stops its site.
func (s *Service) deleteFailoverVM(tx *store.Tx, itemID, vmID, nicID, pipID string) {
	owned := func(id string, tags map[string]string) bool {
		return id != "" && (strings.EqualFold(tags[TestFailoverTag], itemID) || strings.EqualFold(tags[RecoveryVMTag], itemID))
	}
	if vm, ok, _ := service.GetJSON[compute.VM](tx, vmID); ok && owned(vm.ID, vm.Tags) {
		tx.Delete(vm.ID)
		tx.Delete(compute.StateKey(vm.ID))
		s.compute.StopInTx(vm.ID)
	}
	if nic, ok, _ := service.GetJSON[compute.NIC](tx, nicID); ok && owned(nic.ID, nic.Tags) {
		tx.Delete(nic.ID)
	}
	// A user's public IP is detached with the NIC, and kept.
	if pip, ok, _ := service.GetJSON[compute.PublicIP](tx, pipID); ok && owned(pip.ID, pip.Tags) {
		tx.Delete(pip.ID)
	}
}

// applyItemNICSettings fills what the item's settings say of the VM to
// make: its disks' target types, and the NIC settings of its role (the
// test failover's tfo*, the failover's recovery*). A VM gets a public IP
// only when the settings name one, as in Azure: a drill verifying from
// outside the isolated test network names one (tfoPublicIPAddressId).
func (s *Service) applyItemNICSettings(r store.Reader, spec *failoverVMSpec) error {
	it, ok, err := service.GetJSON[protectedItemRecord](r, spec.itemID)
	if err != nil || !ok {
		return err
	}
	st := &it.Properties
	if spec.diskTypes == nil {
		spec.diskTypes = targetDiskTypes(st.Disks)
	}
	if len(st.NICs) == 0 {
		return nil
	}
	n := st.NICs[0]
	switch spec.role {
	case compute.RoleTest:
		spec.staticIP, spec.publicIPID = n.TfoStaticIP, n.TfoPublicIPID
	case compute.RoleRecovery:
		if !strings.EqualFold(spec.location, st.RecoveryLocation) {
			return nil // failing back: the source NIC's own settings
		}
		spec.staticIP, spec.publicIPID = n.RecoveryStaticIP, n.RecoveryPublicIPID
	}
	return nil
}

// tfoSubnet is the subnet a test VM joins: the item's tfoSubnetName when
// set, else fallback (named like the recovery subnet).
func tfoSubnet(it *protectedItemRecord, fallback string) string {
	if nics := it.Properties.NICs; len(nics) > 0 && nics[0].TfoSubnetName != "" {
		return nics[0].TfoSubnetName
	}
	return fallback
}

// setDiskTypes gives the VM's disks (OS disk first) the types asked.
func setDiskTypes(vm *compute.VM, types []string) {
	sp := vm.Properties.StorageProfile
	if sp == nil {
		return
	}
	for i, t := range types {
		switch {
		case t == "":
		case i == 0:
			sp.OSDisk.ManagedDisk.StorageAccountType = t
		case i-1 < len(sp.DataDisks):
			sp.DataDisks[i-1].ManagedDisk.StorageAccountType = t
		}
	}
}

// targetDiskTypes are an item's recoveryTargetDiskAccountType per disk,
// OS disk first, as setDiskTypes takes them.
func targetDiskTypes(disks []itemDisk) []string {
	var os string
	var data []string
	for _, d := range disks {
		if d.DiskType == "OperatingSystem" {
			os = d.TargetDiskAccountType
		} else {
			data = append(data, d.TargetDiskAccountType)
		}
	}
	return append([]string{os}, data...)
}

func jsonUnmarshal(raw []byte, v any) error {
	if len(raw) == 0 {
		return nil
	}
	return json.Unmarshal(raw, v)
}

type errString string

func (e errString) Error() string { return string(e) }
