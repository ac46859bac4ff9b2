package compute

import (
	"fmt"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Which VMs and NICs a client created through ARM, as against the estate's
// (the seed's, the admin API's, Site Recovery's test and recovery VMs):
// only the former take ARM's PUT and DELETE, and an ARM-created VM serves
// no web site. The mark is the emulator's own record beside the resource,
// never a tag (a tag is Azure state any writer can set), and it names the
// resource's incarnation (a NIC's resourceGuid, a VM's vmId): a mark left
// behind by a resource group's deletion never vouches for a later resource
// with the same id.

const armCreatedPrefix = "/_emulator/armcreated"

type armCreatedMark struct {
	Incarnation string `json:"incarnation"`
}

func markARMCreated(tx *store.Tx, id, incarnation string) error {
	return service.PutJSON(tx, armCreatedPrefix+id, armCreatedMark{Incarnation: incarnation})
}

func unmarkARMCreated(tx *store.Tx, id string) { tx.Delete(armCreatedPrefix + id) }

// isARMCreated reports whether the resource id, in its incarnation, was
// created through ARM.
func isARMCreated(r store.Reader, id, incarnation string) bool {
	m, ok, err := service.GetJSON[armCreatedMark](r, armCreatedPrefix+id)
	return err == nil && ok && m.Incarnation == incarnation
}

// vmIsARMCreated and nicIsARMCreated name each type's incarnation.
func vmIsARMCreated(r store.Reader, vm *VM) bool {
	return isARMCreated(r, vm.ID, vm.Properties.VMID)
}

func nicIsARMCreated(r store.Reader, nic *NIC) bool {
	return isARMCreated(r, nic.ID, nic.Properties.ResourceGUID)
}

// estateOwned is the 409 for a write through ARM on one of the estate's
// resources: they are made and removed by the seed, the admin API, Site
// Recovery and resource group deletion.
func estateOwned(kind, name string) *arm.Error {
	return arm.Conflict("%s", fmt.Sprintf(
		"The %s '%s' is managed by the emulator's estate (the seed, the admin API or Site Recovery): it is created and deleted with its VM and resource group and cannot be created, changed or deleted through the API. Resources created through the API can.",
		kind, name))
}
