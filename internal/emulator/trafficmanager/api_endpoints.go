package trafficmanager

import (
	"net/http"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Endpoints on their own URLs, .../trafficmanagerprofiles/{profile}/
// {ExternalEndpoints|AzureEndpoints|NestedEndpoints}/{name}. They live in
// their profile's body: a write here rewrites the profile, checked as a
// whole (a priority another endpoint holds is refused here too).

// endpointKind is the kind the URL names; any other segment (heatMaps, say)
// is a resource type the emulator does not serve.
func endpointKind(req *service.Request) (EndpointKind, error) {
	k, ok := ParseEndpointKind(req.Param("endpointType"))
	if !ok {
		return "", arm.InvalidResourceType(req.HTTP.URL.Path, req.APIVersion)
	}
	return k, nil
}

// endpointNotFound is the 404 of an endpoint, named as in its id
// ("Microsoft.Network/trafficManagerProfiles/tm/externalEndpoints/ep").
func endpointNotFound(req *service.Request, kind EndpointKind) error {
	return arm.ResourceNotFound(ProfileType, req.Param("profileName")+"/"+kind.Segment()+"/"+req.Param("endpointName"), req.Param("resourceGroupName"))
}

// findEndpoint returns the profile and the index of the endpoint the
// request names, which must have the URL's kind.
func (t *trafficManager) findEndpoint(r store.Reader, req *service.Request) (*Profile, int, error) {
	kind, err := endpointKind(req)
	if err != nil {
		return nil, -1, err
	}
	p, err := t.findProfile(r, req)
	if err != nil {
		return nil, -1, err
	}
	e, i := p.Find(req.Param("endpointName"))
	if e == nil || e.Kind() != kind {
		return nil, -1, endpointNotFound(req, kind)
	}
	return p, i, nil
}

// showEndpoint is endpoint i of p as GET returns it.
func (t *trafficManager) showEndpoint(p *Profile, i int) *Endpoint {
	return t.s.showProfile(p).Properties.Endpoints[i]
}

// writeEndpoint stores the profile change makes to one of its endpoints
// (returning the profile, the endpoint's index and the status to answer),
// and answers with the endpoint.
func (t *trafficManager) writeEndpoint(req *service.Request, change func(tx *store.Tx) (*Profile, int, int, error)) (arm.Response, error) {
	var p *Profile
	var i, status int
	err := t.s.Store.Update(func(tx *store.Tx) error {
		if _, err := resources.RequireWritableGroup(t.s.Ops, tx, req.Param("subscriptionId"), req.Param("resourceGroupName")); err != nil {
			return err
		}
		var err error
		if p, i, status, err = change(tx); err != nil {
			return err
		}
		previousName := p.RelativeName()
		if err := Normalize(p, i); err != nil {
			return err
		}
		return t.save(tx, p, previousName, i)
	})
	if err != nil {
		return arm.Response{}, err
	}
	t.s.Sync()
	return arm.JSON(status, t.showEndpoint(p, i)), nil
}

// putEndpoint creates (201) or replaces (200) an endpoint.
func (t *trafficManager) putEndpoint(req *service.Request) (arm.Response, error) {
	kind, err := endpointKind(req)
	if err != nil {
		return arm.Response{}, err
	}
	name := req.Param("endpointName")
	if err := ValidateEndpointName(name, "name"); err != nil {
		return arm.Response{}, err
	}
	var in Endpoint
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	armType := kind.ARMType()
	in.Name, in.Type = &name, &armType
	return t.writeEndpoint(req, func(tx *store.Tx) (*Profile, int, int, error) {
		p, err := t.findProfile(tx, req)
		if err != nil {
			return nil, -1, 0, err
		}
		existing, i := p.Find(name)
		switch {
		case existing == nil:
			p.Properties.Endpoints = append(p.Properties.Endpoints, &in)
			return p, len(p.Properties.Endpoints) - 1, http.StatusCreated, nil
		case existing.Kind() != kind:
			return nil, -1, 0, arm.Conflict("The profile already has an endpoint named '%s' of type '%s'; endpoint names are unique within a profile.", *existing.Name, *existing.Type)
		}
		in.Name = existing.Name // the case of creation
		p.Properties.Endpoints[i] = &in
		return p, i, http.StatusOK, nil
	})
}

func (t *trafficManager) getEndpoint(req *service.Request) (arm.Response, error) {
	p, i, err := t.findEndpoint(t.s.Store, req)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, t.showEndpoint(p, i)), nil
}

// updateEndpoint is PATCH: the properties given replace the stored ones.
func (t *trafficManager) updateEndpoint(req *service.Request) (arm.Response, error) {
	var patch Endpoint
	if err := req.Decode(&patch); err != nil {
		return arm.Response{}, err
	}
	return t.writeEndpoint(req, func(tx *store.Tx) (*Profile, int, int, error) {
		p, i, err := t.findEndpoint(tx, req)
		if err != nil {
			return nil, -1, 0, err
		}
		MergeEndpoint(p.Properties.Endpoints[i], &patch)
		return p, i, http.StatusOK, nil
	})
}

// deleteEndpoint answers 200 when the endpoint existed, 204 when it did not
// (its profile must exist).
func (t *trafficManager) deleteEndpoint(req *service.Request) (arm.Response, error) {
	kind, err := endpointKind(req)
	if err != nil {
		return arm.Response{}, err
	}
	status := http.StatusNoContent
	err = t.s.Store.Update(func(tx *store.Tx) error {
		if _, err := resources.RequireWritableGroup(t.s.Ops, tx, req.Param("subscriptionId"), req.Param("resourceGroupName")); err != nil {
			return err
		}
		p, err := t.findProfile(tx, req)
		if err != nil {
			return err
		}
		e, i := p.Find(req.Param("endpointName"))
		if e == nil || e.Kind() != kind {
			return nil
		}
		p.Properties.Endpoints = append(p.Properties.Endpoints[:i], p.Properties.Endpoints[i+1:]...)
		status = http.StatusOK
		return service.PutJSON(tx, p.ID, p)
	})
	if err != nil {
		return arm.Response{}, err
	}
	t.s.Sync()
	return arm.Empty(status), nil
}
