package compute

import (
	"fmt"
	"net/http"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// The writes of NICs created through ARM: NetworkInterfaces_CreateOrUpdate
// (long-running PUT, final state via Azure-AsyncOperation: 201 new / 200
// updated, the body already "Succeeded" as the network resource provider
// answers it, with the polling headers), _UpdateTags (PATCH, synchronous)
// and _Delete (long-running: 202, or 204 when there is nothing to delete;
// 400 NicInUse while a VM uses the NIC). The estate's NICs stay refused
// with 409 (armcreated.go).

const (
	// Simulated durations: the network resource provider writes a NIC in
	// about a second and deletes it in a few.
	nicWriteDuration  = time.Second
	nicDeleteDuration = 5 * time.Second
	// Kind names are persisted with unfinished operations: never rename.
	kindNICWrite  = nicType + "/write"
	kindNICDelete = nicType + "/delete"
)

func (n *networkInterfaces) OperationKinds() []lro.Kind {
	return []lro.Kind{
		lro.ProvisioningKind(kindNICWrite, networkNamespace, nicWriteDuration),
		{Name: kindNICDelete, Namespace: networkNamespace, Duration: nicDeleteDuration,
			Complete: func(tx *store.Tx, op *lro.Operation) error {
				tx.Delete(op.ResourceID)
				unmarkARMCreated(tx, op.ResourceID)
				return nil
			},
			Fail: func(tx *store.Tx, op *lro.Operation) error {
				return lro.SetProvisioningState(tx, op.ResourceID, service.StateFailed)
			}},
	}
}

func (n *networkInterfaces) put(req *service.Request) (arm.Response, error) {
	name, in, location, err := networkPut(req, "networkInterfaceName", nicType, func(in *nicInput) *string { return in.Location })
	if err != nil {
		return arm.Response{}, err
	}
	var resp arm.Response
	err = n.s.Store.Update(func(tx *store.Tx) error {
		sub := req.Param("subscriptionId")
		rg, err := resources.RequireWritableGroup(n.s.Ops, tx, sub, req.Param("resourceGroupName"))
		if err != nil {
			return err
		}
		id := nicID(sub, rg.Name, name)
		cur, exists, err := service.GetJSON[NIC](tx, id)
		if err != nil {
			return err
		}
		status := http.StatusCreated
		if exists {
			if !nicIsARMCreated(tx, cur) {
				return estateOwned("network interface", name)
			}
			if err := n.s.Busy(tx, id); err != nil {
				return err
			}
			status = http.StatusOK
		} else {
			cur = nil
		}
		nic, err := buildNIC(tx, cur, id, name, location, in)
		if err != nil {
			return err
		}
		op, err := n.s.Ops.Start(tx, lro.Spec{Kind: kindNICWrite, ResourceID: id, Location: location,
			Method: http.MethodPut, APIVersion: req.APIVersion})
		if err != nil {
			return err
		}
		if err := service.PutJSON(tx, id, nic); err != nil {
			return err
		}
		if err := markARMCreated(tx, id, nic.Properties.ResourceGUID); err != nil {
			return err
		}
		resp = n.s.Ops.WithPolling(req.Base, op, arm.JSON(status, nic))
		return nil
	})
	return resp, err
}

// findForWrite reads the NIC the path names for a write: nil without
// error when it does not exist, 409 when it is the estate's.
func (n *networkInterfaces) findForWrite(tx *store.Tx, req *service.Request) (*NIC, error) {
	rg, err := resources.RequireWritableGroup(n.s.Ops, tx, req.Param("subscriptionId"), req.Param("resourceGroupName"))
	if err != nil {
		return nil, err
	}
	name := req.Param("networkInterfaceName")
	nic, ok, err := service.GetJSON[NIC](tx, nicID(req.Param("subscriptionId"), rg.Name, name))
	if err != nil || !ok {
		return nil, err
	}
	if !nicIsARMCreated(tx, nic) {
		return nil, estateOwned("network interface", name)
	}
	return nic, nil
}

// updateTags is NetworkInterfaces_UpdateTags: the tags replaced, 200 with
// the NIC.
func (n *networkInterfaces) updateTags(req *service.Request) (arm.Response, error) {
	return replaceTags(n.s, req, func(tx *store.Tx) (*NIC, error) {
		nic, err := n.findForWrite(tx, req)
		if err == nil && nic == nil {
			err = arm.ResourceNotFound(nicType, req.Param("networkInterfaceName"), req.Param("resourceGroupName"))
		}
		return nic, err
	}, func(nic *NIC) *network.TrackedResource { return &nic.TrackedResource },
		func(_ store.Reader, nic *NIC) any { return nic })
}

// delete starts the deletion (202; the NIC shows "Deleting" until gone),
// unless a VM uses the NIC.
func (n *networkInterfaces) delete(req *service.Request) (arm.Response, error) {
	var resp arm.Response
	err := n.s.Store.Update(func(tx *store.Tx) error {
		nic, err := n.findForWrite(tx, req)
		if err != nil {
			return err
		}
		if nic == nil {
			resp = arm.Empty(http.StatusNoContent)
			return nil
		}
		if vm := nic.Properties.VirtualMachine; vm != nil {
			return nicInUse(nic.ID, vm.ID)
		}
		op, err := n.s.Ops.Start(tx, lro.Spec{Kind: kindNICDelete, ResourceID: nic.ID, Location: nic.Location,
			Method: http.MethodDelete, APIVersion: req.APIVersion})
		if err != nil {
			return err
		}
		nic.Properties.ProvisioningState = service.StateDeleting
		resp = n.s.Ops.Accepted(req.Base, op)
		return service.PutJSON(tx, nic.ID, nic)
	})
	return resp, err
}

// nicInUse is the network resource provider's refusal to delete (or give
// another VM) a NIC a VM uses.
func nicInUse(nicID, userID string) *arm.Error {
	return &arm.Error{Status: http.StatusBadRequest, Code: "NicInUse",
		Message: fmt.Sprintf("Network Interface %s is used by existing resource %s. In order to delete the network interface, it must be dissociated from the resource. To learn more, see aka.ms/deletenic.", nicID, userID)}
}
