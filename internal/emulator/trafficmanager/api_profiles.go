package trafficmanager

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// trafficManager serves Microsoft.Network/trafficmanagerprofiles and their
// endpoints (api-version 2022-04-01 as armtrafficmanager v1.3.0 sends it).
// Every operation is synchronous. A profile is stored with its endpoints
// inline, the one source of truth for the profile and endpoint URLs; the
// read-only fields (fqdn, monitor statuses, an Azure endpoint's target) are
// filled in when a profile is shown. Health and DNS answers come from the
// estate runtime (runtime.go).
type trafficManager struct {
	s *Service
}

const (
	tmGroupPath        = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/trafficmanagerprofiles"
	tmProfilePath      = tmGroupPath + "/{profileName}"
	tmEndpointPath     = tmProfilePath + "/{endpointType}/{endpointName}"
	tmSubscriptionPath = "/subscriptions/{subscriptionId}/providers/Microsoft.Network/trafficmanagerprofiles"
	tmCheckNamePath    = "/providers/Microsoft.Network/checkTrafficManagerNameAvailability"
	tmCheckNameV2Path  = "/subscriptions/{subscriptionId}/providers/Microsoft.Network/checkTrafficManagerNameAvailabilityV2"
)

func (t *trafficManager) Routes() []service.Route {
	rows := []service.Route{
		{Method: http.MethodPut, Pattern: tmProfilePath, Operation: "Profiles_CreateOrUpdate", Handle: t.createOrUpdate},
		{Method: http.MethodGet, Pattern: tmProfilePath, Operation: "Profiles_Get", Handle: t.get},
		{Method: http.MethodPatch, Pattern: tmProfilePath, Operation: "Profiles_Update", Handle: t.update},
		{Method: http.MethodDelete, Pattern: tmProfilePath, Operation: "Profiles_Delete", Handle: t.delete},
		{Method: http.MethodGet, Pattern: tmGroupPath, Operation: "Profiles_ListByResourceGroup", Handle: t.listByGroup},
		{Method: http.MethodGet, Pattern: tmSubscriptionPath, Operation: "Profiles_ListBySubscription", Handle: t.listBySubscription},
		{Method: http.MethodPost, Pattern: tmCheckNamePath, Operation: "Profiles_CheckTrafficManagerRelativeDnsNameAvailability", Handle: t.checkName},
		{Method: http.MethodPost, Pattern: tmCheckNameV2Path, Operation: "Profiles_checkTrafficManagerNameAvailabilityV2", Handle: t.checkName},
		{Method: http.MethodPut, Pattern: tmEndpointPath, Operation: "Endpoints_CreateOrUpdate", Handle: t.putEndpoint},
		{Method: http.MethodGet, Pattern: tmEndpointPath, Operation: "Endpoints_Get", Handle: t.getEndpoint},
		{Method: http.MethodPatch, Pattern: tmEndpointPath, Operation: "Endpoints_Update", Handle: t.updateEndpoint},
		{Method: http.MethodDelete, Pattern: tmEndpointPath, Operation: "Endpoints_Delete", Handle: t.deleteEndpoint},
		{Method: http.MethodGet, Pattern: "/_emulator/trafficmanager", Admin: true, Handle: t.s.trafficManagerReport},
	}
	for i := range rows {
		if !rows[i].Admin {
			// Traffic Manager is a global service: a region outage does not
			// reach its API (that is what it is for).
			rows[i].Region = func(*service.Request) string { return "" }
		}
	}
	return rows
}

func (t *trafficManager) OperationKinds() []lro.Kind { return nil }

func tmProfileID(subscriptionID, group, name string) string {
	return arm.ResourceGroupID(subscriptionID, group) + "/providers/" + ProfileType + "/" + name
}

// findProfile returns the profile the request names (its group checked
// first), or the ARM 404s.
func (t *trafficManager) findProfile(r store.Reader, req *service.Request) (*Profile, error) {
	rg, err := resources.FindGroup(r, req)
	if err != nil {
		return nil, err
	}
	name := req.Param("profileName")
	p, ok, err := service.GetJSON[Profile](r, tmProfileID(req.Param("subscriptionId"), rg.Name, name))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceNotFound(ProfileType, name, req.Param("resourceGroupName"))
	}
	return p, nil
}

// decodeProfile decodes a profile body.
func decodeProfile(req *service.Request) (*Profile, error) {
	var p Profile
	if err := req.Decode(&p); err != nil {
		return nil, err
	}
	return &p, nil
}

// save checks what needs the store (the relative name free across the
// emulator and, for an existing profile, unchanged: previousName; the
// endpoints' resources) and writes the normalised profile. focus is as for
// Normalize.
func (t *trafficManager) save(tx *store.Tx, p *Profile, previousName string, focus int) error {
	rel := p.RelativeName()
	if previousName != "" && !strings.EqualFold(previousName, rel) {
		return arm.InvalidProperty("properties.dnsConfig.relativeName",
			"the relative DNS name of a profile cannot be changed (it is '%s'); create a new profile for a new name", previousName)
	}
	if other, taken, err := profileWithRelativeName(tx, rel); err != nil {
		return err
	} else if taken && !strings.EqualFold(other, p.ID) {
		return arm.DNSNameNotAvailable(FQDN(rel))
	}
	if err := t.checkEndpointTargets(tx, p, focus); err != nil {
		return err
	}
	return service.PutJSON(tx, p.ID, p)
}

// profileWithRelativeName finds the profile, in any subscription, that holds
// a relative DNS name (case-insensitive).
func profileWithRelativeName(r store.Reader, rel string) (id string, found bool, err error) {
	for _, p := range allProfiles(r, "/subscriptions/", &err) {
		if strings.EqualFold(p.RelativeName(), rel) {
			return p.ID, true, nil
		}
	}
	return "", false, err
}

// allProfiles lists the profiles under prefix, sorted by id; a decoding
// error stops the listing and is reported through errp.
func allProfiles(r store.Reader, prefix string, errp *error) []*Profile {
	var out []*Profile
	for _, e := range r.List(prefix) {
		if !service.IsResourceKey(e.Key, ProfileType) {
			continue
		}
		var p Profile
		if err := json.Unmarshal(e.Value, &p); err != nil {
			*errp = err
			return nil
		}
		out = append(out, &p)
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].ID) < strings.ToLower(out[j].ID) })
	return out
}

// checkEndpointTargets refuses Azure endpoints that do not point at a VM of
// the estate, and nested endpoints that do not point at another profile.
func (t *trafficManager) checkEndpointTargets(r store.Reader, p *Profile, focus int) error {
	for i, e := range p.Properties.Endpoints {
		field := EndpointField(i, focus, "properties.targetResourceId")
		id := ""
		if e.Properties.TargetResourceID != nil {
			id = *e.Properties.TargetResourceID
		}
		switch e.Kind() {
		case Azure:
			if !service.IsResourceKey(store.Key(id), compute.VMType) {
				return arm.InvalidProperty(field, "'%s' is not a resource the emulator's Azure endpoints can point at: use the id of a virtual machine of the estate (%s)", id, compute.VMType)
			}
			if _, ok := r.Get(id); !ok {
				return arm.InvalidProperty(field, "the virtual machine '%s' does not exist", id)
			}
		case Nested:
			if !service.IsResourceKey(store.Key(id), ProfileType) {
				return arm.InvalidProperty(field, "'%s' is not the id of a Traffic Manager profile", id)
			}
			if strings.EqualFold(id, p.ID) {
				return arm.InvalidProperty(field, "a profile cannot be nested in itself")
			}
			if _, ok := r.Get(id); !ok {
				return arm.InvalidProperty(field, "the Traffic Manager profile '%s' does not exist", id)
			}
		}
	}
	return nil
}

// createOrUpdate is PUT: 201 for a new profile, 200 when it replaces one.
func (t *trafficManager) createOrUpdate(req *service.Request) (arm.Response, error) {
	name := req.Param("profileName")
	if err := ValidateProfileName(name); err != nil {
		return arm.Response{}, err
	}
	p, err := decodeProfile(req)
	if err != nil {
		return arm.Response{}, err
	}
	if err := Normalize(p, -1); err != nil {
		return arm.Response{}, err
	}
	status := http.StatusOK
	err = t.s.Store.Update(func(tx *store.Tx) error {
		rg, err := resources.RequireWritableGroup(t.s.Ops, tx, req.Param("subscriptionId"), req.Param("resourceGroupName"))
		if err != nil {
			return err
		}
		id := tmProfileID(req.Param("subscriptionId"), rg.Name, name)
		previous, exists, err := service.GetJSON[Profile](tx, id)
		if err != nil {
			return err
		}
		p.ID, p.Name, p.Type = id, name, ProfileType
		previousName := ""
		if exists {
			p.ID, p.Name = previous.ID, previous.Name // the case of creation
			previousName = previous.RelativeName()
		} else {
			status = http.StatusCreated
		}
		return t.save(tx, p, previousName, -1)
	})
	if err != nil {
		return arm.Response{}, err
	}
	t.s.Sync()
	return arm.JSON(status, t.s.showProfile(p)), nil
}

func (t *trafficManager) get(req *service.Request) (arm.Response, error) {
	p, err := t.findProfile(t.s.Store, req)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, t.s.showProfile(p)), nil
}

// update is PATCH: the fields given replace the stored ones.
func (t *trafficManager) update(req *service.Request) (arm.Response, error) {
	patch, err := decodeProfile(req)
	if err != nil {
		return arm.Response{}, err
	}
	var p *Profile
	err = t.s.Store.Update(func(tx *store.Tx) error {
		if _, err := resources.RequireWritableGroup(t.s.Ops, tx, req.Param("subscriptionId"), req.Param("resourceGroupName")); err != nil {
			return err
		}
		stored, err := t.findProfile(tx, req)
		if err != nil {
			return err
		}
		previousName := stored.RelativeName()
		Merge(stored, patch)
		if err := Normalize(stored, -1); err != nil {
			return err
		}
		p = stored
		return t.save(tx, p, previousName, -1)
	})
	if err != nil {
		return arm.Response{}, err
	}
	t.s.Sync()
	return arm.JSON(http.StatusOK, t.s.showProfile(p)), nil
}

// delete answers 200 when the profile existed and 204 when it did not.
func (t *trafficManager) delete(req *service.Request) (arm.Response, error) {
	status := http.StatusNoContent
	err := t.s.Store.Update(func(tx *store.Tx) error {
		rg, err := resources.RequireWritableGroup(t.s.Ops, tx, req.Param("subscriptionId"), req.Param("resourceGroupName"))
		if err != nil {
			return err
		}
		id := tmProfileID(req.Param("subscriptionId"), rg.Name, req.Param("profileName"))
		if _, ok := tx.Get(id); ok {
			tx.Delete(id)
			status = http.StatusOK
		}
		return nil
	})
	if err != nil {
		return arm.Response{}, err
	}
	t.s.Sync()
	return arm.Empty(status), nil
}

func (t *trafficManager) respondList(profiles []*Profile) arm.Response {
	out := make([]*Profile, 0, len(profiles))
	for _, p := range profiles {
		out = append(out, t.s.showProfile(p))
	}
	return arm.JSON(http.StatusOK, service.List[*Profile]{Value: out})
}

func (t *trafficManager) listByGroup(req *service.Request) (arm.Response, error) {
	rg, err := resources.FindGroup(t.s.Store, req)
	if err != nil {
		return arm.Response{}, err
	}
	profiles := allProfiles(t.s.Store, rg.ID+"/", &err)
	if err != nil {
		return arm.Response{}, err
	}
	return t.respondList(profiles), nil
}

func (t *trafficManager) listBySubscription(req *service.Request) (arm.Response, error) {
	var err error
	profiles := allProfiles(t.s.Store, "/subscriptions/"+req.Param("subscriptionId")+"/", &err)
	if err != nil {
		return arm.Response{}, err
	}
	return t.respondList(profiles), nil
}

// nameAvailability is the answer of both name availability checks.
type nameAvailability struct {
	Name          string `json:"name"`
	Type          string `json:"type"`
	NameAvailable bool   `json:"nameAvailable"`
	Reason        string `json:"reason,omitempty"`
	Message       string `json:"message,omitempty"`
}

// checkName answers whether a relative DNS name is free, across every
// subscription (Traffic Manager names are global).
func (t *trafficManager) checkName(req *service.Request) (arm.Response, error) {
	var in struct {
		Name *string `json:"name"`
		Type *string `json:"type"`
	}
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	if in.Name == nil || *in.Name == "" {
		return arm.Response{}, arm.InvalidProperty("name", "the relative DNS name to check is required")
	}
	if in.Type != nil && !strings.EqualFold(*in.Type, ProfileType) {
		return arm.Response{}, arm.InvalidProperty("type", "'%s' is not %s", *in.Type, ProfileType)
	}
	out := nameAvailability{Name: *in.Name, Type: ProfileType, NameAvailable: true}
	if reason := ValidateRelativeName(*in.Name); reason != "" {
		out.NameAvailable, out.Reason, out.Message = false, "Invalid", reason
	} else if _, taken, err := profileWithRelativeName(t.s.Store, *in.Name); err != nil {
		return arm.Response{}, err
	} else if taken {
		out.NameAvailable, out.Reason = false, "AlreadyExists"
		out.Message = "Domain name " + FQDN(*in.Name) + " already exists. Please choose a different DNS prefix."
	}
	return arm.JSON(http.StatusOK, out), nil
}
