package emulator

import (
	"net/http"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// resourceGroups serves Microsoft.Resources/resourceGroups (api-version
// 2021-04-01 in armresources v1.2.0).
type resourceGroups struct {
	s *Server
}

const (
	resourceGroupPath  = "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}"
	resourceGroupsPath = "/subscriptions/{subscriptionId}/resourcegroups"
)

func (g *resourceGroups) routes() []route {
	return []route{
		{method: http.MethodPut, pattern: resourceGroupPath, operation: "ResourceGroups_CreateOrUpdate", handle: g.createOrUpdate},
		{method: http.MethodGet, pattern: resourceGroupPath, operation: "ResourceGroups_Get", handle: g.get},
		{method: http.MethodHead, pattern: resourceGroupPath, operation: "ResourceGroups_CheckExistence", handle: g.checkExistence},
		{method: http.MethodPatch, pattern: resourceGroupPath, operation: "ResourceGroups_Update", handle: g.update},
		{method: http.MethodDelete, pattern: resourceGroupPath, operation: "ResourceGroups_Delete", handle: g.delete},
		{method: http.MethodGet, pattern: resourceGroupsPath, operation: "ResourceGroups_List", handle: g.list},
	}
}

func (g *resourceGroups) operationKinds() []lro.Kind {
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
func (g *resourceGroups) createOrUpdate(req *request) (arm.Response, error) {
	sub, name := req.param("subscriptionId"), req.param("resourceGroupName")
	if err := validateResourceGroupName(name); err != nil {
		return arm.Response{}, err
	}
	var in resourceGroupInput
	if err := req.decode(&in); err != nil {
		return arm.Response{}, err
	}
	if in.Location == nil {
		return arm.Response{}, arm.LocationRequired()
	}
	location, err := resolveLocation(*in.Location)
	if err != nil {
		return arm.Response{}, err
	}
	var managedBy string
	if in.ManagedBy != nil {
		managedBy = *in.ManagedBy
	}
	var resp arm.Response
	err = g.s.store.Update(func(tx *store.Tx) error {
		rg, exists, err := getResourceGroup(tx, sub, name)
		if err != nil {
			return err
		}
		status := http.StatusOK
		if exists {
			if err := g.s.checkGroupWritable(tx, rg); err != nil {
				return err
			}
			if rg.Location != location {
				return arm.InvalidResourceGroupLocation(*in.Location, rg.Location)
			}
			rg.Tags, rg.ManagedBy = in.Tags, managedBy
		} else {
			rg, status = newResourceGroup(sub, name, location, in.Tags, managedBy), http.StatusCreated
		}
		resp = arm.JSON(status, rg)
		return putResourceGroup(tx, rg)
	})
	return resp, err
}

// find returns the group the request names, or 404 ResourceGroupNotFound.
func (g *resourceGroups) find(r store.Reader, req *request) (*resourceGroup, error) {
	name := req.param("resourceGroupName")
	rg, ok, err := getResourceGroup(r, req.param("subscriptionId"), name)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceGroupNotFound(name)
	}
	return rg, nil
}

func (g *resourceGroups) get(req *request) (arm.Response, error) {
	rg, err := g.find(g.s.store, req)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, rg), nil
}

// checkExistence is HEAD: 204 or 404, never a body.
func (g *resourceGroups) checkExistence(req *request) (arm.Response, error) {
	if _, err := g.find(g.s.store, req); err != nil {
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
func (g *resourceGroups) update(req *request) (arm.Response, error) {
	var in resourceGroupPatch
	if err := req.decode(&in); err != nil {
		return arm.Response{}, err
	}
	var resp arm.Response
	err := g.s.store.Update(func(tx *store.Tx) error {
		rg, err := g.find(tx, req)
		if err != nil {
			return err
		}
		if err := g.s.checkGroupWritable(tx, rg); err != nil {
			return err
		}
		if in.Tags != nil {
			rg.Tags = in.Tags
		}
		if in.ManagedBy != nil {
			rg.ManagedBy = *in.ManagedBy
		}
		resp = arm.JSON(http.StatusOK, rg)
		return putResourceGroup(tx, rg)
	})
	return resp, err
}

// delete starts the deletion as a long-running operation: 202 with the
// polling URLs, the group showing provisioningState "Deleting" meanwhile. A
// repeated DELETE answers 202 for the deletion already under way.
func (g *resourceGroups) delete(req *request) (arm.Response, error) {
	var resp arm.Response
	err := g.s.store.Update(func(tx *store.Tx) error {
		rg, err := g.find(tx, req)
		if err != nil {
			return err
		}
		if op, ok, err := g.s.ops.InFlight(tx, rg.ID); err != nil {
			return err
		} else if ok && op.Kind == kindResourceGroupDelete {
			resp = g.s.ops.Accepted(req.base, op)
			return nil
		}
		op, err := g.s.ops.Start(tx, lro.Spec{
			Kind:       kindResourceGroupDelete,
			ResourceID: rg.ID,
			Location:   rg.Location,
			Method:     http.MethodDelete,
			APIVersion: req.apiVersion,
		})
		if err != nil {
			return err
		}
		rg.Properties.ProvisioningState = stateDeleting
		resp = g.s.ops.Accepted(req.base, op)
		return putResourceGroup(tx, rg)
	})
	return resp, err
}
