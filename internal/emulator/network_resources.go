package emulator

import (
	"errors"
	"net/http"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// The two shapes every Microsoft.Network type here takes, written once:
// networkResources for a top-level type (virtualNetworks,
// networkSecurityGroups) and inlineChildren for a child type held inside its
// parent's record (subnets, virtualNetworkPeerings, securityRules).
//
// Writes and deletes are long-running operations. A PUT answers 201 (new) or
// 200 (replaced) with provisioningState "Updating" and Azure-AsyncOperation,
// a DELETE 202, or 204 when there is nothing to delete. A write is refused
// with 409 AnotherOperationInProgress while the parent or any of its
// children has an operation in flight (Azure serialises them on the parent).

const networkGroupPath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/"

// networkResources serves a top-level Microsoft.Network type.
type networkResources[P any, PP interface {
	*P
	networkParent
}] struct {
	s          *Server
	collection string // "virtualNetworks"
	typ        string // "Microsoft.Network/virtualNetworks"
	param      string // the route parameter holding the name
	operations string // the REST spec's operation group: "VirtualNetworks"
	// build makes the record to store from a PUT body: cur is the stored
	// record (nil for a new one). It validates everything, fills the
	// read-only fields and leaves provisioningState "Updating".
	build func(tx *store.Tx, in, cur *P, id, name string) (*P, error)
	// view is the resource as GET shows it.
	view func(r store.Reader, p *P) any
	// beforeDelete, optional, refuses a deletion (an NSG still in use).
	beforeDelete func(r store.Reader, p *P) error
}

func (t *networkResources[P, PP]) path() string {
	return networkGroupPath + t.collection + "/{" + t.param + "}"
}

func (t *networkResources[P, PP]) routes() []route {
	return []route{
		{method: http.MethodPut, pattern: t.path(), operation: t.operations + "_CreateOrUpdate", handle: t.put},
		{method: http.MethodGet, pattern: t.path(), operation: t.operations + "_Get", handle: t.get},
		{method: http.MethodDelete, pattern: t.path(), operation: t.operations + "_Delete", handle: t.delete},
		{method: http.MethodGet, pattern: networkGroupPath + t.collection, operation: t.operations + "_List", handle: t.list},
		{method: http.MethodGet, pattern: "/subscriptions/{subscriptionId}/providers/Microsoft.Network/" + t.collection, operation: t.operations + "_ListAll", handle: t.list},
	}
}

func (t *networkResources[P, PP]) operationKinds() []lro.Kind {
	finish := func(state string) func(tx *store.Tx, op *lro.Operation) error {
		return func(tx *store.Tx, op *lro.Operation) error {
			p, ok, err := getJSON[P](tx, op.ResourceID)
			if !ok {
				return err
			}
			PP(p).finishWrite(state)
			return putJSON(tx, op.ResourceID, p)
		}
	}
	return []lro.Kind{
		{Name: t.typ + "/write", Namespace: networkNamespace, Duration: networkWriteDuration,
			Complete: finish(stateSucceeded), Fail: finish(stateFailed),
			Result: func(r store.Reader, op *lro.Operation) (arm.Response, error) {
				p, ok, err := getJSON[P](r, op.ResourceID)
				if !ok {
					return arm.Response{}, notFoundByID(op.ResourceID, err)
				}
				return arm.JSON(http.StatusOK, t.view(r, p)), nil
			}},
		{Name: t.typ + "/delete", Namespace: networkNamespace, Duration: networkDeleteDuration,
			Complete: func(tx *store.Tx, op *lro.Operation) error { tx.Delete(op.ResourceID); return nil }},
	}
}

func (t *networkResources[P, PP]) id(req *request, group string) string {
	return networkID(req.param("subscriptionId"), group, t.collection, req.param(t.param))
}

// find returns the resource the request names, or ARM's 404s; writable also
// requires the group not to be being deleted.
func (t *networkResources[P, PP]) find(r store.Reader, req *request, writable bool) (*P, error) {
	rg, err := requireGroup(r, req)
	if err == nil && writable {
		err = t.s.checkGroupWritable(r, rg)
	}
	if err != nil {
		return nil, err
	}
	p, ok, err := getJSON[P](r, t.id(req, rg.Name))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceNotFound(t.typ, req.param(t.param), req.param("resourceGroupName"))
	}
	return p, nil
}

// decodeNamed decodes a PUT body and checks the name the URL gives it.
func decodeNamed[T any](req *request, param string) (*T, string, error) {
	in := new(T)
	if err := req.decode(in); err != nil {
		return nil, "", err
	}
	name := req.param(param)
	return in, name, validateNetworkName(name)
}

func (t *networkResources[P, PP]) put(req *request) (arm.Response, error) {
	in, name, err := decodeNamed[P](req, t.param)
	if err != nil {
		return arm.Response{}, err
	}
	location, err := networkLocation(PP(in).region(), t.typ)
	if err != nil {
		return arm.Response{}, err
	}
	PP(in).setRegion(location)
	var resp arm.Response
	err = t.s.store.Update(func(tx *store.Tx) error {
		rg, err := t.s.requireWritableGroup(tx, req.param("subscriptionId"), req.param("resourceGroupName"))
		if err != nil {
			return err
		}
		id := t.id(req, rg.Name)
		cur, exists, err := getJSON[P](tx, id)
		if err != nil {
			return err
		}
		status := http.StatusCreated
		if exists {
			if was := PP(cur).region(); was != location {
				return arm.InvalidResourceLocation(name, rg.Name, was, location)
			}
			if err := t.s.networkBusy(tx, id); err != nil {
				return err
			}
			status = http.StatusOK
		}
		p, err := t.build(tx, in, cur, id, name)
		if err != nil {
			return err
		}
		op, err := t.s.ops.Start(tx, lro.Spec{Kind: t.typ + "/write", ResourceID: PP(p).resourceID(), Location: location,
			Method: http.MethodPut, APIVersion: req.apiVersion})
		if err != nil {
			return err
		}
		if err := putJSON(tx, id, p); err != nil {
			return err
		}
		resp = t.s.ops.WithPolling(req.base, op, arm.JSON(status, t.view(tx, p)))
		return nil
	})
	return resp, err
}

func (t *networkResources[P, PP]) get(req *request) (arm.Response, error) {
	p, err := t.find(t.s.store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, t.view(t.s.store, p)), nil
}

// list serves both the group's list and the subscription's.
func (t *networkResources[P, PP]) list(req *request) (arm.Response, error) {
	prefix := "/subscriptions/" + req.param("subscriptionId") + "/"
	if req.param("resourceGroupName") != "" {
		rg, err := requireGroup(t.s.store, req)
		if err != nil {
			return arm.Response{}, err
		}
		prefix = rg.ID + "/"
	}
	all, err := networkRecords[P](t.s.store, prefix, t.typ)
	if err != nil {
		return arm.Response{}, err
	}
	out := make([]any, len(all))
	for i, p := range all {
		out[i] = t.view(t.s.store, p)
	}
	return arm.JSON(http.StatusOK, list[any]{Value: out}), nil
}

func (t *networkResources[P, PP]) delete(req *request) (arm.Response, error) {
	var resp arm.Response
	err := t.s.store.Update(func(tx *store.Tx) error {
		p, err := t.find(tx, req, true)
		if hasCode(err, "ResourceNotFound") {
			resp = arm.Empty(http.StatusNoContent)
			return nil
		}
		if err != nil {
			return err
		}
		id := PP(p).resourceID()
		if err := t.s.networkBusy(tx, id); err != nil {
			return err
		}
		if t.beforeDelete != nil {
			if err := t.beforeDelete(tx, p); err != nil {
				return err
			}
		}
		op, err := t.s.ops.Start(tx, lro.Spec{Kind: t.typ + "/delete", ResourceID: id, Location: PP(p).region(),
			Method: http.MethodDelete, APIVersion: req.apiVersion})
		if err != nil {
			return err
		}
		PP(p).setProvisioningState(stateDeleting)
		resp = t.s.ops.Accepted(req.base, op)
		return putJSON(tx, id, p)
	})
	return resp, err
}

// notFoundByID is the 404 for a resource known by id (an operation's), or
// err when reading it failed.
func notFoundByID(id string, err error) error {
	if err != nil {
		return err
	}
	_, group, _ := arm.SplitGroupID(id)
	rest := id[strings.Index(strings.ToLower(id), "/providers/")+len("/providers/"):]
	i := strings.LastIndex(rest, "/")
	return arm.ResourceNotFound(rest[:i], rest[i+1:], group)
}

// hasCode reports whether err is the ARM error code.
func hasCode(err error, code string) bool {
	var e *arm.Error
	return errors.As(err, &e) && e.Code == code
}

// inlineChildren serves a child type held inside its parent's record.
type inlineChildren[P, C any, PP interface {
	*P
	networkParent
}, CP interface {
	*C
	networkChild
}] struct {
	parent     *networkResources[P, PP]
	collection string // "subnets"
	typ        string // "Microsoft.Network/virtualNetworks/subnets"
	param      string // the route parameter holding the name
	operations string // "Subnets"
	items      func(p *P) *[]C
	// prepare validates the parent with the child c in place (old is the
	// child it replaces, nil for a new one) and fills c's read-only fields.
	// It may update other records in tx (a peering links its remote side).
	prepare func(tx *store.Tx, p *P, c, old *C) error
	view    func(r store.Reader, p *P, c *C) any
}

func (c *inlineChildren[P, C, PP, CP]) routes() []route {
	collection := c.parent.path() + "/" + c.collection
	item := collection + "/{" + c.param + "}"
	return []route{
		{method: http.MethodPut, pattern: item, operation: c.operations + "_CreateOrUpdate", handle: c.put},
		{method: http.MethodGet, pattern: item, operation: c.operations + "_Get", handle: c.get},
		{method: http.MethodDelete, pattern: item, operation: c.operations + "_Delete", handle: c.delete},
		{method: http.MethodGet, pattern: collection, operation: c.operations + "_List", handle: c.list},
	}
}

func (c *inlineChildren[P, C, PP, CP]) operationKinds() []lro.Kind {
	state := func(st string) func(tx *store.Tx, op *lro.Operation) error {
		return func(tx *store.Tx, op *lro.Operation) error {
			return c.edit(tx, op.ResourceID, func(items *[]C, i int) { CP(&(*items)[i]).setProvisioningState(st) })
		}
	}
	return []lro.Kind{
		{Name: c.typ + "/write", Namespace: networkNamespace, Duration: childWriteDuration,
			Complete: state(stateSucceeded), Fail: state(stateFailed),
			Result: func(r store.Reader, op *lro.Operation) (arm.Response, error) {
				parentID, name := splitChildID(op.ResourceID)
				p, ok, err := getJSON[P](r, parentID)
				if ok {
					if i := indexByName[C, CP](*c.items(p), name); i >= 0 {
						return arm.JSON(http.StatusOK, c.view(r, p, &(*c.items(p))[i])), nil
					}
				}
				return arm.Response{}, notFoundByID(op.ResourceID, err)
			}},
		{Name: c.typ + "/delete", Namespace: networkNamespace, Duration: childDeleteDuration,
			Complete: func(tx *store.Tx, op *lro.Operation) error {
				return c.edit(tx, op.ResourceID, func(items *[]C, i int) { *items = append((*items)[:i:i], (*items)[i+1:]...) })
			}},
	}
}

// edit applies f to the child named by id inside its stored parent; a
// parent or child that is gone is left alone.
func (c *inlineChildren[P, C, PP, CP]) edit(tx *store.Tx, id string, f func(items *[]C, i int)) error {
	parentID, name := splitChildID(id)
	p, ok, err := getJSON[P](tx, parentID)
	if !ok {
		return err
	}
	items := c.items(p)
	i := indexByName[C, CP](*items, name)
	if i < 0 {
		return nil
	}
	f(items, i)
	PP(p).touch()
	return putJSON(tx, parentID, p)
}

func (c *inlineChildren[P, C, PP, CP]) notFound(req *request) error {
	return arm.ResourceNotFound(c.parent.typ, req.param(c.parent.param)+"/"+c.collection+"/"+req.param(c.param), req.param("resourceGroupName"))
}

func (c *inlineChildren[P, C, PP, CP]) put(req *request) (arm.Response, error) {
	in, name, err := decodeNamed[C](req, c.param)
	if err != nil {
		return arm.Response{}, err
	}
	var resp arm.Response
	err = c.parent.s.store.Update(func(tx *store.Tx) error {
		p, err := c.parent.find(tx, req, true)
		if err != nil {
			return err
		}
		parentID := PP(p).resourceID()
		if err := c.parent.s.networkBusy(tx, parentID); err != nil {
			return err
		}
		items := c.items(p)
		status, old := http.StatusCreated, (*C)(nil)
		i := indexByName[C, CP](*items, name)
		if i >= 0 {
			prev := (*items)[i]
			old, name, status = &prev, CP(&prev).childName(), http.StatusOK // ids keep the case of creation
		}
		CP(in).setName(name)
		CP(in).setProvisioningState(stateUpdating)
		if i >= 0 {
			(*items)[i] = *in
		} else {
			i = len(*items)
			*items = append(*items, *in)
		}
		if err := c.prepare(tx, p, &(*items)[i], old); err != nil {
			return err
		}
		op, err := c.parent.s.ops.Start(tx, lro.Spec{Kind: c.typ + "/write", ResourceID: childID(parentID, c.collection, name),
			Location: PP(p).region(), Method: http.MethodPut, APIVersion: req.apiVersion})
		if err != nil {
			return err
		}
		PP(p).touch()
		if err := putJSON(tx, parentID, p); err != nil {
			return err
		}
		resp = c.parent.s.ops.WithPolling(req.base, op, arm.JSON(status, c.view(tx, p, &(*items)[i])))
		return nil
	})
	return resp, err
}

func (c *inlineChildren[P, C, PP, CP]) get(req *request) (arm.Response, error) {
	p, err := c.parent.find(c.parent.s.store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	items := c.items(p)
	i := indexByName[C, CP](*items, req.param(c.param))
	if i < 0 {
		return arm.Response{}, c.notFound(req)
	}
	return arm.JSON(http.StatusOK, c.view(c.parent.s.store, p, &(*items)[i])), nil
}

func (c *inlineChildren[P, C, PP, CP]) list(req *request) (arm.Response, error) {
	p, err := c.parent.find(c.parent.s.store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	items := *c.items(p)
	out := make([]any, len(items))
	for i := range items {
		out[i] = c.view(c.parent.s.store, p, &items[i])
	}
	return arm.JSON(http.StatusOK, list[any]{Value: out}), nil
}

func (c *inlineChildren[P, C, PP, CP]) delete(req *request) (arm.Response, error) {
	var resp arm.Response
	err := c.parent.s.store.Update(func(tx *store.Tx) error {
		p, err := c.parent.find(tx, req, true)
		if err != nil {
			return err
		}
		parentID := PP(p).resourceID()
		items := c.items(p)
		i := indexByName[C, CP](*items, req.param(c.param))
		if i < 0 {
			resp = arm.Empty(http.StatusNoContent)
			return nil
		}
		if err := c.parent.s.networkBusy(tx, parentID); err != nil {
			return err
		}
		child := CP(&(*items)[i])
		op, err := c.parent.s.ops.Start(tx, lro.Spec{Kind: c.typ + "/delete", ResourceID: childID(parentID, c.collection, child.childName()),
			Location: PP(p).region(), Method: http.MethodDelete, APIVersion: req.apiVersion})
		if err != nil {
			return err
		}
		child.setProvisioningState(stateDeleting)
		PP(p).touch()
		resp = c.parent.s.ops.Accepted(req.base, op)
		return putJSON(tx, parentID, p)
	})
	return resp, err
}
