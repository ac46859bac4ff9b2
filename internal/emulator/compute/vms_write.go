package compute

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// The writes of VMs created through ARM: VirtualMachines_CreateOrUpdate
// (long-running PUT: 201 "Creating" for a new VM, 200 "Updating" for an
// existing one, with the polling headers) and VirtualMachines_Delete
// (long-running: 202, or 204 when there is nothing to delete). The estate's
// VMs stay refused with 409 (armcreated.go).
//
// A created VM runs when its creation completes (instance view
// PowerState/running, agent Ready), in the network of its primary NIC, so
// Run Command sees there what it sees from an estate VM; its disk starts
// empty and it serves no web site (it runs no application). Deleting it
// deletes the NICs whose deleteOption is Delete and detaches the others.

const (
	// Kind names are persisted with unfinished operations: never rename.
	kindVMWrite  = VMType + "/write"
	kindVMDelete = VMType + "/delete"

	// PowerStarting and PowerDeallocating are an ARM-created VM's power
	// states while it is being created and deleted.
	PowerStarting     = "starting"
	PowerDeallocating = "deallocating"
)

func (v *virtualMachines) writeKinds() []lro.Kind {
	failed := func(tx *store.Tx, op *lro.Operation) error {
		return lro.SetProvisioningState(tx, op.ResourceID, service.StateFailed)
	}
	return []lro.Kind{
		{Name: kindVMWrite, Namespace: computeNamespace, Duration: vmUpdateDuration, Complete: completeVMWrite, Fail: failed},
		{Name: kindVMDelete, Namespace: computeNamespace, Duration: vmDeleteBase, Complete: completeVMDelete, Fail: failed},
	}
}

const computeNamespace = "Microsoft.Compute"

// completeVMWrite: provisioned, and a new VM is running.
func completeVMWrite(tx *store.Tx, op *lro.Operation) error {
	if err := lro.SetProvisioningState(tx, op.ResourceID, service.StateSucceeded); err != nil {
		return err
	}
	st, ok, err := service.GetJSON[VMState](tx, StateKey(op.ResourceID))
	if err != nil || !ok || st.PowerState != PowerStarting {
		return err
	}
	st.PowerState = PowerRunning
	return service.PutJSON(tx, StateKey(op.ResourceID), st)
}

// completeVMDelete removes the VM and its records, deletes the NICs to
// delete with it and frees the others.
func completeVMDelete(tx *store.Tx, op *lro.Operation) error {
	vm, ok, err := service.GetJSON[VM](tx, op.ResourceID)
	if err != nil || !ok {
		return err
	}
	for _, ref := range vm.Properties.NetworkProfile.NetworkInterfaces {
		nic, ok, err := service.GetJSON[NIC](tx, ref.ID)
		if err != nil {
			return err
		}
		if !ok || nic.Properties.VirtualMachine == nil || !strings.EqualFold(nic.Properties.VirtualMachine.ID, vm.ID) {
			continue
		}
		if ref.Properties.DeleteOption == deleteOptionDelete {
			tx.Delete(nic.ID)
			unmarkARMCreated(tx, nic.ID)
			continue
		}
		nic.Properties.VirtualMachine, nic.Properties.Primary, nic.Etag = nil, true, service.NewEtag()
		if err := service.PutJSON(tx, nic.ID, nic); err != nil {
			return err
		}
	}
	tx.Delete(vm.ID)
	tx.Delete(StateKey(vm.ID))
	unmarkARMCreated(tx, vm.ID)
	return nil
}

func (v *virtualMachines) put(req *service.Request) (arm.Response, error) {
	name := req.Param("vmName")
	if err := ValidateVMName(name); err != nil {
		return arm.Response{}, err
	}
	var in vmInput
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	location, err := bodyLocation(in.Location, VMType)
	if err != nil {
		return arm.Response{}, err
	}
	if err := checkZones(in.Zones); err != nil {
		return arm.Response{}, err
	}
	var resp arm.Response
	err = v.s.Store.Update(func(tx *store.Tx) error {
		sub := req.Param("subscriptionId")
		rg, err := resources.RequireWritableGroup(v.s.Ops, tx, sub, req.Param("resourceGroupName"))
		if err != nil {
			return err
		}
		id := VMID(sub, rg.Name, name)
		cur, exists, err := service.GetJSON[VM](tx, id)
		if err != nil {
			return err
		}
		if exists {
			if !vmIsARMCreated(tx, cur) {
				return estateOwned("virtual machine", name)
			}
			resp, err = v.update(tx, req, cur, location, &in)
			return err
		}
		resp, err = v.create(tx, req, id, name, location, &in)
		return err
	})
	return resp, err
}

// create stores a new VM "Creating", its NICs attached, and starts its
// creation.
func (v *virtualMachines) create(tx *store.Tx, req *service.Request, id, name, location string, in *vmInput) (arm.Response, error) {
	plan, err := planVM(in)
	if err != nil {
		return arm.Response{}, err
	}
	if err := attachNICs(tx, id, location, plan.nics); err != nil {
		return arm.Response{}, err
	}
	if plan.osDisk.Name == "" {
		plan.osDisk.Name = name + "-osdisk"
	}
	plan.osDisk.ManagedDisk.ID = arm.ResourceGroupID(network.SubscriptionOf(id), resourceGroupOf(id)) + "/providers/" + diskType + "/" + plan.osDisk.Name
	vm := &VM{ID: id, Name: name, Type: VMType, Location: location, Tags: in.Tags, Zones: in.Zones,
		Properties: vmProperties{
			VMID:              arm.NewGUID(),
			HardwareProfile:   &vmHardware{VMSize: plan.size.name},
			StorageProfile:    &vmStorage{ImageReference: &plan.image, OSDisk: plan.osDisk, DataDisks: []Disk{}},
			OSProfile:         plan.osProfile,
			NetworkProfile:    &vmNetworkProfile{NetworkInterfaces: plan.nics},
			ProvisioningState: "Creating",
			TimeCreated:       v.s.Clock.Now(),
		}}
	op, err := v.s.Ops.Start(tx, lro.Spec{Kind: kindVMWrite, ResourceID: id, Location: location, Method: http.MethodPut,
		APIVersion: req.APIVersion, Duration: vmCreateDuration(plan.windows, plan.osDisk.DiskSizeGB, len(plan.nics))})
	if err != nil {
		return arm.Response{}, err
	}
	if err := service.PutJSON(tx, id, vm); err != nil {
		return arm.Response{}, err
	}
	if err := service.PutJSON(tx, StateKey(id), &VMState{ID: id, Role: RolePrimary, PowerState: PowerStarting}); err != nil {
		return arm.Response{}, err
	}
	if err := markARMCreated(tx, id, vm.Properties.VMID); err != nil {
		return arm.Response{}, err
	}
	return v.s.Ops.WithPolling(req.Base, op, arm.JSON(http.StatusCreated, vm)), nil
}

// attachNICs checks each NIC a new VM names (an existing NIC of the VM's
// subscription and region, provisioned, used by no other VM, all in one
// virtual network) and attaches it to the VM. refs get the NICs' own ids.
func attachNICs(tx *store.Tx, vmID, location string, refs []vmNICReference) error {
	vnet := ""
	for i := range refs {
		target := fmt.Sprintf("networkProfile.networkInterfaces[%d].id", i)
		if err := network.CheckReference(refs[i].ID, "networkInterfaces", target); err != nil {
			return err
		}
		nic, ok, err := service.GetJSON[NIC](tx, refs[i].ID)
		if err != nil {
			return err
		}
		if !ok || network.SubscriptionOf(nic.ID) != network.SubscriptionOf(vmID) {
			return &arm.Error{Status: http.StatusBadRequest, Code: "NotFound", Target: target,
				Message: fmt.Sprintf("Network interface %s was not found in the VM's subscription.", refs[i].ID)}
		}
		if nic.Location != location {
			return invalidParameter(target, "Network interface %s is in location '%s' and cannot be used by a virtual machine in location '%s': a VM and its NICs share their location.", nic.ID, nic.Location, location)
		}
		if st := nic.Properties.ProvisioningState; st != service.StateSucceeded {
			return arm.ReferencedResourceNotProvisioned(nic.ID, vmID, st)
		}
		if user := nic.Properties.VirtualMachine; user != nil && !strings.EqualFold(user.ID, vmID) {
			return nicInUse(nic.ID, user.ID)
		}
		if c := nic.primaryConfig(); c != nil && c.Properties.Subnet != nil {
			net := c.Properties.Subnet.ID[:strings.Index(strings.ToLower(c.Properties.Subnet.ID), "/subnets/")]
			if vnet != "" && !strings.EqualFold(vnet, net) {
				return invalidParameter("networkProfile.networkInterfaces", "The network interfaces of a virtual machine must be in one virtual network; %s is in %s, not %s.", nic.ID, net, vnet)
			}
			vnet = net
		}
		refs[i].ID = nic.ID
		nic.Properties.VirtualMachine = &network.SubResource{ID: vmID}
		nic.Properties.Primary = refs[i].Properties.Primary
		nic.Etag = service.NewEtag()
		if err := service.PutJSON(tx, nic.ID, nic); err != nil {
			return err
		}
	}
	return nil
}

// checkZones: a VM is in at most one availability zone, "1", "2" or "3".
func checkZones(zones []string) error {
	if len(zones) > 1 || len(zones) == 1 && !slices.Contains([]string{"1", "2", "3"}, zones[0]) {
		return invalidParameter("zones", "A virtual machine takes one availability zone, \"1\", \"2\" or \"3\"; got %v.", zones)
	}
	return nil
}

// update applies a PUT to an existing ARM-created VM: tags and size may
// change; what Azure fixes at creation (image, OS disk, OS profile, NICs
// while the VM runs, zones) is refused with 409 PropertyChangeNotAllowed.
func (v *virtualMachines) update(tx *store.Tx, req *service.Request, cur *VM, location string, in *vmInput) (arm.Response, error) {
	if cur.Location != location {
		return arm.Response{}, arm.InvalidResourceLocation(cur.Name, resourceGroupOf(cur.ID), cur.Location, location)
	}
	if err := v.s.Busy(tx, cur.ID); err != nil {
		return arm.Response{}, err
	}
	if err := immutableUnchanged(cur, in); err != nil {
		return arm.Response{}, err
	}
	if p := in.Properties; p != nil && p.HardwareProfile != nil && p.HardwareProfile.VMSize != "" {
		size, err := lookupVMSize(p.HardwareProfile.VMSize)
		if err != nil {
			return arm.Response{}, err
		}
		if len(cur.Properties.NetworkProfile.NetworkInterfaces) > size.maxNICs {
			return arm.Response{}, &arm.Error{Status: http.StatusBadRequest, Code: "NetworkInterfaceCountExceeded",
				Message: fmt.Sprintf("The virtual machine has %d network interfaces and the size %s takes at most %d.", len(cur.Properties.NetworkProfile.NetworkInterfaces), size.name, size.maxNICs)}
		}
		cur.Properties.HardwareProfile.VMSize = size.name
	}
	cur.Tags = in.Tags
	cur.Properties.ProvisioningState = service.StateUpdating
	op, err := v.s.Ops.Start(tx, lro.Spec{Kind: kindVMWrite, ResourceID: cur.ID, Location: location, Method: http.MethodPut, APIVersion: req.APIVersion})
	if err != nil {
		return arm.Response{}, err
	}
	if err := service.PutJSON(tx, cur.ID, cur); err != nil {
		return arm.Response{}, err
	}
	return v.s.Ops.WithPolling(req.Base, op, arm.JSON(http.StatusOK, cur)), nil
}

// immutableUnchanged refuses a body that changes what is fixed at
// creation; a property left out keeps its value.
func immutableUnchanged(cur *VM, in *vmInput) error {
	changed := func(property string) error {
		return &arm.Error{Status: http.StatusConflict, Code: "PropertyChangeNotAllowed", Target: property,
			Message: fmt.Sprintf("Changing property '%s' is not allowed.", property)}
	}
	if !slices.Equal(cur.Zones, in.Zones) && in.Zones != nil {
		return changed("zones")
	}
	p := in.Properties
	if p == nil {
		return nil
	}
	if sp := p.StorageProfile; sp != nil {
		if img := sp.ImageReference; img != nil && cur.Properties.StorageProfile.ImageReference != nil {
			had := *cur.Properties.StorageProfile.ImageReference
			if !strings.EqualFold(img.Publisher, had.Publisher) || !strings.EqualFold(img.Offer, had.Offer) || !strings.EqualFold(img.SKU, had.SKU) || !strings.EqualFold(img.Version, had.Version) {
				return changed("imageReference")
			}
		}
		if d := sp.OSDisk; d != nil {
			if d.Name != "" && !strings.EqualFold(d.Name, cur.Properties.StorageProfile.OSDisk.Name) {
				return changed("osDisk.name")
			}
			if d.DiskSizeGB != nil && *d.DiskSizeGB != cur.Properties.StorageProfile.OSDisk.DiskSizeGB {
				return changed("osDisk.diskSizeGB")
			}
		}
	}
	if op := p.OSProfile; op != nil {
		if op.ComputerName != "" && op.ComputerName != cur.Properties.OSProfile.ComputerName {
			return changed("osProfile.computerName")
		}
		if op.AdminUsername != "" && op.AdminUsername != cur.Properties.OSProfile.AdminUsername {
			return changed("osProfile.adminUsername")
		}
	}
	if np := p.NetworkProfile; np != nil && np.NetworkInterfaces != nil {
		had := cur.Properties.NetworkProfile.NetworkInterfaces
		same := len(had) == len(np.NetworkInterfaces)
		for i := 0; same && i < len(had); i++ {
			same = strings.EqualFold(had[i].ID, np.NetworkInterfaces[i].ID)
		}
		if !same {
			return changed("networkProfile.networkInterfaces")
		}
	}
	return nil
}

// delete starts the deletion (202; the VM shows "Deleting" until gone).
// Azure serialises a VM's operations: while a Run Command runs, the
// deletion is refused with 409 (retry once the command is done).
func (v *virtualMachines) delete(req *service.Request) (arm.Response, error) {
	var resp arm.Response
	err := v.s.Store.Update(func(tx *store.Tx) error {
		rg, err := resources.RequireWritableGroup(v.s.Ops, tx, req.Param("subscriptionId"), req.Param("resourceGroupName"))
		if err != nil {
			return err
		}
		name := req.Param("vmName")
		vm, ok, err := service.GetJSON[VM](tx, VMID(req.Param("subscriptionId"), rg.Name, name))
		if err != nil {
			return err
		}
		if !ok {
			resp = arm.Empty(http.StatusNoContent)
			return nil
		}
		if !vmIsARMCreated(tx, vm) {
			return estateOwned("virtual machine", name)
		}
		if cur, busy, err := v.s.Ops.InFlight(tx, vm.ID); err != nil {
			return err
		} else if busy && cur.Kind == runCommandKind {
			return &arm.Error{Status: http.StatusConflict, Code: "OperationNotAllowed",
				Message: fmt.Sprintf("Operation 'delete' is not allowed on VM '%s' while a Run Command is in progress (operation %s). Retry once the command has completed.", vm.Name, cur.ID)}
		}
		removed := 0
		for _, ref := range vm.Properties.NetworkProfile.NetworkInterfaces {
			if ref.Properties.DeleteOption == deleteOptionDelete {
				removed++
			}
		}
		if vm.Properties.StorageProfile.OSDisk.DeleteOption == deleteOptionDelete {
			removed++
		}
		op, err := v.s.Ops.Start(tx, lro.Spec{Kind: kindVMDelete, ResourceID: vm.ID, Location: vm.Location, Method: http.MethodDelete,
			APIVersion: req.APIVersion, Duration: vmDeleteDuration(removed)})
		if err != nil {
			return err
		}
		vm.Properties.ProvisioningState = service.StateDeleting
		if err := service.PutJSON(tx, vm.ID, vm); err != nil {
			return err
		}
		if st, ok, err := service.GetJSON[VMState](tx, StateKey(vm.ID)); err != nil {
			return err
		} else if ok {
			st.PowerState = PowerDeallocating
			if err := service.PutJSON(tx, StateKey(vm.ID), st); err != nil {
				return err
			}
		}
		resp = v.s.Ops.Accepted(req.Base, op)
		return nil
	})
	return resp, err
}
