package resources

import (
	"net/http"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// resourceGroups serves Microsoft.Resources/resourceGroups (api-version
// 2021-04-01 in armresources v1.2.0).
type resourceGroups struct {
	s *Service
}

const (
	resourceGroupPath  = "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}"
	resourceGroupsPath = "/subscriptions/{subscriptionId}/resourcegroups"
)

func (g *resourceGroups) Routes() []service.Route {
	return []service.Route{
		{Method: http.MethodPut, Pattern: resourceGroupPath, Operation: "ResourceGroups_CreateOrUpdate", Handle: g.createOrUpdate},
		{Method: http.MethodGet, Pattern: resourceGroupPath, Operation: "ResourceGroups_Get", Handle: g.get},
		{Method: http.MethodHead, Pattern: resourceGroupPath, Operation: "ResourceGroups_CheckExistence", Handle: g.checkExistence},
		{Method: http.MethodPatch, Pattern: resourceGroupPath, Operation: "ResourceGroups_Update", Handle: g.update},
		{Method: http.MethodDelete, Pattern: resourceGroupPath, Operation: "ResourceGroups_Delete", Handle: g.delete},
		{Method: http.MethodGet, Pattern: resourceGroupsPath, Operation: "ResourceGroups_List", Handle: g.list},
	}
}

func (g *resourceGroups) OperationKinds() []lro.Kind {
	return []lro.Kind{g.s.deleteResourceGroupKind()}
}

// resourceGroupInput is the PUT body.
type resourceGroupInput struct {
	Location  *string           `json:"location"`
	ManagedBy *string           `json:"managedBy"`
	Tags      map[string]string `json:"tags"`
}

// createOrUpdate answers 201 for a new group and 200 for an existing one.
// Like ARM, a PUT replaces tags and managedBy; the location cannot change.
func (g *resourceGroups) createOrUpdate(req *service.Request) (arm.Response, error) {
	sub, name := req.Param("subscriptionId"), req.Param("resourceGroupName")
	if err := ValidateGroupName(name); err != nil {
		return arm.Response{}, err
	}
	var in resourceGroupInput
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	if in.Location == nil {
		return arm.Response{}, arm.LocationRequired()
	}
	location, err := ResolveLocation(*in.Location)
	if err != nil {
		return arm.Response{}, err
	}
	var managedBy string
	if in.ManagedBy != nil {
		managedBy = *in.ManagedBy
	}
	var resp arm.Response
	err = g.s.Store.Update(func(tx *store.Tx) error {
		rg, exists, err := GetGroup(tx, sub, name)
		if err != nil {
			return err
		}
		status := http.StatusOK
		if exists {
			if err := CheckGroupWritable(g.s.Ops, tx, rg); err != nil {
				return err
			}
			if rg.Location != location {
				return arm.InvalidResourceGroupLocation(*in.Location, rg.Location)
			}
			rg.Tags, rg.ManagedBy = in.Tags, managedBy
		} else {
			rg, status = NewGroup(sub, name, location, in.Tags, managedBy), http.StatusCreated
		}
		resp = arm.JSON(status, rg)
		return PutGroup(tx, rg)
	})
	return resp, err
}

// FindGroup returns the group the request names (its subscriptionId and
// resourceGroupName), or 404 ResourceGroupNotFound: the first check of a
// read in any namespace.
func FindGroup(r store.Reader, req *service.Request) (*Group, error) {
	name := req.Param("resourceGroupName")
	rg, ok, err := GetGroup(r, req.Param("subscriptionId"), name)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceGroupNotFound(name)
	}
	return rg, nil
}

func (g *resourceGroups) get(req *service.Request) (arm.Response, error) {
	rg, err := FindGroup(g.s.Store, req)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, rg), nil
}

// checkExistence is HEAD: 204 or 404, never a body.
func (g *resourceGroups) checkExistence(req *service.Request) (arm.Response, error) {
	if _, err := FindGroup(g.s.Store, req); err != nil {
		return arm.Response{}, err
	}
	return arm.Empty(http.StatusNoContent), nil
}

// resourceGroupPatch is the PATCH body; absent fields keep their value.
type resourceGroupPatch struct {
	ManagedBy *string           `json:"managedBy"`
	Tags      map[string]string `json:"tags"`
}

// update is PATCH: synchronous, replacing the tags (and managedBy) given.
func (g *resourceGroups) update(req *service.Request) (arm.Response, error) {
	var in resourceGroupPatch
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	var resp arm.Response
	err := g.s.Store.Update(func(tx *store.Tx) error {
		rg, err := FindGroup(tx, req)
		if err != nil {
			return err
		}
		if err := CheckGroupWritable(g.s.Ops, tx, rg); err != nil {
			return err
		}
		if in.Tags != nil {
			rg.Tags = in.Tags
		}
		if in.ManagedBy != nil {
			rg.ManagedBy = *in.ManagedBy
		}
		resp = arm.JSON(http.StatusOK, rg)
		return PutGroup(tx, rg)
	})
	return resp, err
}

// delete starts the deletion as a long-running operation: 202 with the
// polling URLs, the group showing provisioningState "Deleting" meanwhile. A
// repeated DELETE answers 202 for the deletion already under way.
func (g *resourceGroups) delete(req *service.Request) (arm.Response, error) {
	var resp arm.Response
	err := g.s.Store.Update(func(tx *store.Tx) error {
		rg, err := FindGroup(tx, req)
		if err != nil {
			return err
		}
		if op, ok, err := g.s.Ops.InFlight(tx, rg.ID); err != nil {
			return err
		} else if ok && op.Kind == kindResourceGroupDelete {
			resp = g.s.Ops.Accepted(req.Base, op)
			return nil
		}
		op, err := g.s.Ops.Start(tx, lro.Spec{
			Kind:       kindResourceGroupDelete,
			ResourceID: rg.ID,
			Location:   rg.Location,
			Method:     http.MethodDelete,
			APIVersion: req.APIVersion,
		})
		if err != nil {
			return err
		}
		rg.Properties.ProvisioningState = service.StateDeleting
		resp = g.s.Ops.Accepted(req.Base, op)
		return PutGroup(tx, rg)
	})
	return resp, err
}
