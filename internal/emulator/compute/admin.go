package compute

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// addVMRequest is the body of POST /_emulator/vms: a seed file's VM entry
// plus where it goes.
type addVMRequest struct {
	SubscriptionID string `json:"subscriptionId"`
	ResourceGroup  string `json:"resourceGroup"`
	SeedVirtualMachine
}

// addVM is POST /_emulator/vms: one VM (with its NIC and web site) added to
// an existing resource group at runtime, validated as the seed's VMs are.
// 201 with its /_emulator/vms entry once its site serves; 404 for a missing
// group, 409 for an existing VM or a group being deleted, 400 naming the
// field at fault otherwise.
func (s *Service) addVM(req *service.Request) (arm.Response, error) {
	var in addVMRequest
	dec := json.NewDecoder(bytes.NewReader(req.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		if errors.Is(err, io.EOF) {
			return arm.Response{}, arm.InvalidRequestContent("the request body is empty")
		}
		return arm.Response{}, arm.InvalidRequestContent(service.DescribeJSONError(err))
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return arm.Response{}, arm.InvalidRequestContent("unexpected data after the JSON object")
	}
	if !arm.IsGUID(in.SubscriptionID) {
		return arm.Response{}, arm.InvalidProperty("subscriptionId", "'%s' is not a subscription id (a GUID)", in.SubscriptionID)
	}
	if strings.TrimSpace(in.ResourceGroup) == "" {
		return arm.Response{}, arm.InvalidProperty("resourceGroup", "the resource group is required")
	}
	var vm *SeededVM
	err := s.Store.Update(func(tx *store.Tx) error {
		rg, err := resources.RequireWritableGroup(s.Ops, tx, in.SubscriptionID, in.ResourceGroup)
		if err != nil {
			return err
		}
		v, err := SeedVMOf(in.SubscriptionID, rg.Name, rg.Location, in.SeedVirtualMachine, s.Clock.Now())
		if err != nil {
			return err
		}
		if _, exists := tx.Get(v.VM.ID); exists {
			return arm.Conflict("The virtual machine '%s' already exists in resource group '%s'.", in.Name, rg.Name)
		}
		vm = &v
		return s.placeVM(tx, vm)
	})
	if err != nil {
		return arm.Response{}, err
	}
	if err := s.ReconcileSites(); err != nil {
		s.Log.Warn("starting web sites", "err", err)
	}
	if _, serving := s.fleet.Address(vm.VM.ID); !serving {
		return arm.Response{}, fmt.Errorf("the web site of %s did not start (see the log)", vm.VM.ID)
	}
	stored, ok, err := service.GetJSON[VM](s.Store, vm.VM.ID)
	if err != nil || !ok {
		return arm.Response{}, service.NotFoundByID(vm.VM.ID, err)
	}
	site, err := s.VMSiteOf(s.Store, stored)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusCreated, site), nil
}
