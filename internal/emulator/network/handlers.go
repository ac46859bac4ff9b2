package network

import (
	"errors"
	"net/http"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
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

// GroupPath is the route prefix of Microsoft.Network resources in a group;
// the NICs and public IPs of package compute share it.
const GroupPath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/"

// networkResources serves a top-level Microsoft.Network type.
type networkResources[P any, PP interface {
	*P
	networkParent
}] struct {
	s          *Service
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
	return GroupPath + t.collection + "/{" + t.param + "}"
}

func (t *networkResources[P, PP]) Routes() []service.Route {
	return []service.Route{
		{Method: http.MethodPut, Pattern: t.path(), Operation: t.operations + "_CreateOrUpdate", Handle: t.put},
		{Method: http.MethodGet, Pattern: t.path(), Operation: t.operations + "_Get", Handle: t.get},
		{Method: http.MethodDelete, Pattern: t.path(), Operation: t.operations + "_Delete", Handle: t.delete},
		{Method: http.MethodGet, Pattern: GroupPath + t.collection, Operation: t.operations + "_List", Handle: t.list},
		{Method: http.MethodGet, Pattern: "/subscriptions/{subscriptionId}/providers/Microsoft.Network/" + t.collection, Operation: t.operations + "_ListAll", Handle: t.list},
	}
}

func (t *networkResources[P, PP]) OperationKinds() []lro.Kind {
	finish := func(state string) func(tx *store.Tx, op *lro.Operation) error {
		return func(tx *store.Tx, op *lro.Operation) error {
			p, ok, err := service.GetJSON[P](tx, op.ResourceID)
			if !ok {
				return err
			}
			PP(p).finishWrite(state)
			return service.PutJSON(tx, op.ResourceID, p)
		}
	}
	return []lro.Kind{
		{Name: t.typ + "/write", Namespace: networkNamespace, Duration: networkWriteDuration,
			Complete: finish(service.StateSucceeded), Fail: finish(service.StateFailed),
			Result: func(r store.Reader, op *lro.Operation) (arm.Response, error) {
				p, ok, err := service.GetJSON[P](r, op.ResourceID)
				if !ok {
					return arm.Response{}, service.NotFoundByID(op.ResourceID, err)
				}
				return arm.JSON(http.StatusOK, t.view(r, p)), nil
			}},
		{Name: t.typ + "/delete", Namespace: networkNamespace, Duration: networkDeleteDuration,
			Complete: func(tx *store.Tx, op *lro.Operation) error { tx.Delete(op.ResourceID); return nil }},
	}
}

func (t *networkResources[P, PP]) id(req *service.Request, group string) string {
	return ID(req.Param("subscriptionId"), group, t.collection, req.Param(t.param))
}

// find returns the resource the request names, or ARM's 404s; writable also
// requires the group not to be being deleted.
func (t *networkResources[P, PP]) find(r store.Reader, req *service.Request, writable bool) (*P, error) {
	rg, err := resources.FindGroup(r, req)
	if err == nil && writable {
		err = resources.CheckGroupWritable(t.s.Ops, r, rg)
	}
	if err != nil {
		return nil, err
	}
	p, ok, err := service.GetJSON[P](r, t.id(req, rg.Name))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceNotFound(t.typ, req.Param(t.param), req.Param("resourceGroupName"))
	}
	return p, nil
}

// decodeNamed decodes a PUT body and checks the name the URL gives it.
func decodeNamed[T any](req *service.Request, param string) (*T, string, error) {
	in := new(T)
	if err := req.Decode(in); err != nil {
		return nil, "", err
	}
	name := req.Param(param)
	return in, name, validateNetworkName(name)
}

func (t *networkResources[P, PP]) put(req *service.Request) (arm.Response, error) {
	in, name, err := decodeNamed[P](req, t.param)
	if err != nil {
		return arm.Response{}, err
	}
	location, err := service.ResourceLocation(PP(in).region(), t.typ)
	if err != nil {
		return arm.Response{}, err
	}
	PP(in).setRegion(location)
	var resp arm.Response
	err = t.s.Store.Update(func(tx *store.Tx) error {
		rg, err := resources.RequireWritableGroup(t.s.Ops, tx, req.Param("subscriptionId"), req.Param("resourceGroupName"))
		if err != nil {
			return err
		}
		id := t.id(req, rg.Name)
		cur, exists, err := service.GetJSON[P](tx, id)
		if err != nil {
			return err
		}
		status := http.StatusCreated
		if exists {
			if was := PP(cur).region(); was != location {
				return arm.InvalidResourceLocation(name, rg.Name, was, location)
			}
			if err := t.s.Busy(tx, id); err != nil {
				return err
			}
			status = http.StatusOK
		}
		p, err := t.build(tx, in, cur, id, name)
		if err != nil {
			return err
		}
		op, err := t.s.Ops.Start(tx, lro.Spec{Kind: t.typ + "/write", ResourceID: PP(p).resourceID(), Location: location,
			Method: http.MethodPut, APIVersion: req.APIVersion})
		if err != nil {
			return err
		}
		if err := service.PutJSON(tx, id, p); err != nil {
			return err
		}
		resp = t.s.Ops.WithPolling(req.Base, op, arm.JSON(status, t.view(tx, p)))
		return nil
	})
	return resp, err
}

func (t *networkResources[P, PP]) get(req *service.Request) (arm.Response, error) {
	p, err := t.find(t.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, t.view(t.s.Store, p)), nil
}

// list serves both the group's list and the subscription's.
func (t *networkResources[P, PP]) list(req *service.Request) (arm.Response, error) {
	prefix := "/subscriptions/" + req.Param("subscriptionId") + "/"
	if req.Param("resourceGroupName") != "" {
		rg, err := resources.FindGroup(t.s.Store, req)
		if err != nil {
			return arm.Response{}, err
		}
		prefix = rg.ID + "/"
	}
	all, err := service.Records[P](t.s.Store, prefix, t.typ)
	if err != nil {
		return arm.Response{}, err
	}
	out := make([]any, len(all))
	for i, p := range all {
		out[i] = t.view(t.s.Store, p)
	}
	return arm.JSON(http.StatusOK, service.List[any]{Value: out}), nil
}

func (t *networkResources[P, PP]) delete(req *service.Request) (arm.Response, error) {
	var resp arm.Response
	err := t.s.Store.Update(func(tx *store.Tx) error {
		p, err := t.find(tx, req, true)
		if hasCode(err, "ResourceNotFound") {
			resp = arm.Empty(http.StatusNoContent)
			return nil
		}
		if err != nil {
			return err
		}
		id := PP(p).resourceID()
		if err := t.s.Busy(tx, id); err != nil {
			return err
		}
		if t.beforeDelete != nil {
			if err := t.beforeDelete(tx, p); err != nil {
				return err
			}
		}
		op, err := t.s.Ops.Start(tx, lro.Spec{Kind: t.typ + "/delete", ResourceID: id, Location: PP(p).region(),
			Method: http.MethodDelete, APIVersion: req.APIVersion})
		if err != nil {
			return err
		}
		PP(p).setProvisioningState(service.StateDeleting)
		resp = t.s.Ops.Accepted(req.Base, op)
		return service.PutJSON(tx, id, p)
	})
	return resp, err
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

func (c *inlineChildren[P, C, PP, CP]) Routes() []service.Route {
	collection := c.parent.path() + "/" + c.collection
	item := collection + "/{" + c.param + "}"
	return []service.Route{
		{Method: http.MethodPut, Pattern: item, Operation: c.operations + "_CreateOrUpdate", Handle: c.put},
		{Method: http.MethodGet, Pattern: item, Operation: c.operations + "_Get", Handle: c.get},
		{Method: http.MethodDelete, Pattern: item, Operation: c.operations + "_Delete", Handle: c.delete},
		{Method: http.MethodGet, Pattern: collection, Operation: c.operations + "_List", Handle: c.list},
	}
}

func (c *inlineChildren[P, C, PP, CP]) OperationKinds() []lro.Kind {
	state := func(st string) func(tx *store.Tx, op *lro.Operation) error {
		return func(tx *store.Tx, op *lro.Operation) error {
			return c.edit(tx, op.ResourceID, func(items *[]C, i int) { CP(&(*items)[i]).setProvisioningState(st) })
		}
	}
	return []lro.Kind{
		{Name: c.typ + "/write", Namespace: networkNamespace, Duration: childWriteDuration,
			Complete: state(service.StateSucceeded), Fail: state(service.StateFailed),
			Result: func(r store.Reader, op *lro.Operation) (arm.Response, error) {
				parentID, name := service.SplitChildID(op.ResourceID)
				p, ok, err := service.GetJSON[P](r, parentID)
				if ok {
					if i := IndexByName[C, CP](*c.items(p), name); i >= 0 {
						return arm.JSON(http.StatusOK, c.view(r, p, &(*c.items(p))[i])), nil
					}
				}
				return arm.Response{}, service.NotFoundByID(op.ResourceID, err)
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
	parentID, name := service.SplitChildID(id)
	p, ok, err := service.GetJSON[P](tx, parentID)
	if !ok {
		return err
	}
	items := c.items(p)
	i := IndexByName[C, CP](*items, name)
	if i < 0 {
		return nil
	}
	f(items, i)
	PP(p).touch()
	return service.PutJSON(tx, parentID, p)
}

func (c *inlineChildren[P, C, PP, CP]) notFound(req *service.Request) error {
	return arm.ResourceNotFound(c.parent.typ, req.Param(c.parent.param)+"/"+c.collection+"/"+req.Param(c.param), req.Param("resourceGroupName"))
}

func (c *inlineChildren[P, C, PP, CP]) put(req *service.Request) (arm.Response, error) {
	in, name, err := decodeNamed[C](req, c.param)
	if err != nil {
		return arm.Response{}, err
	}
	var resp arm.Response
	err = c.parent.s.Store.Update(func(tx *store.Tx) error {
		p, err := c.parent.find(tx, req, true)
		if err != nil {
			return err
		}
		parentID := PP(p).resourceID()
		if err := c.parent.s.Busy(tx, parentID); err != nil {
			return err
		}
		items := c.items(p)
		status, old := http.StatusCreated, (*C)(nil)
		i := IndexByName[C, CP](*items, name)
		if i >= 0 {
			prev := (*items)[i]
			old, name, status = &prev, CP(&prev).childName(), http.StatusOK // ids keep the case of creation
		}
		CP(in).setName(name)
		CP(in).setProvisioningState(service.StateUpdating)
		if i >= 0 {
			(*items)[i] = *in
		} else {
			i = len(*items)
			*items = append(*items, *in)
		}
		if err := c.prepare(tx, p, &(*items)[i], old); err != nil {
			return err
		}
		op, err := c.parent.s.Ops.Start(tx, lro.Spec{Kind: c.typ + "/write", ResourceID: childID(parentID, c.collection, name),
			Location: PP(p).region(), Method: http.MethodPut, APIVersion: req.APIVersion})
		if err != nil {
			return err
		}
		PP(p).touch()
		if err := service.PutJSON(tx, parentID, p); err != nil {
			return err
		}
		resp = c.parent.s.Ops.WithPolling(req.Base, op, arm.JSON(status, c.view(tx, p, &(*items)[i])))
		return nil
	})
	return resp, err
}

func (c *inlineChildren[P, C, PP, CP]) get(req *service.Request) (arm.Response, error) {
	p, err := c.parent.find(c.parent.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	items := c.items(p)
	i := IndexByName[C, CP](*items, req.Param(c.param))
	if i < 0 {
		return arm.Response{}, c.notFound(req)
	}
	return arm.JSON(http.StatusOK, c.view(c.parent.s.Store, p, &(*items)[i])), nil
}

func (c *inlineChildren[P, C, PP, CP]) list(req *service.Request) (arm.Response, error) {
	p, err := c.parent.find(c.parent.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	items := *c.items(p)
	out := make([]any, len(items))
	for i := range items {
		out[i] = c.view(c.parent.s.Store, p, &items[i])
	}
	return arm.JSON(http.StatusOK, service.List[any]{Value: out}), nil
}

func (c *inlineChildren[P, C, PP, CP]) delete(req *service.Request) (arm.Response, error) {
	var resp arm.Response
	err := c.parent.s.Store.Update(func(tx *store.Tx) error {
		p, err := c.parent.find(tx, req, true)
		if err != nil {
			return err
		}
		parentID := PP(p).resourceID()
		items := c.items(p)
		i := IndexByName[C, CP](*items, req.Param(c.param))
		if i < 0 {
			resp = arm.Empty(http.StatusNoContent)
			return nil
		}
		if err := c.parent.s.Busy(tx, parentID); err != nil {
			return err
		}
		child := CP(&(*items)[i])
		op, err := c.parent.s.Ops.Start(tx, lro.Spec{Kind: c.typ + "/delete", ResourceID: childID(parentID, c.collection, child.childName()),
			Location: PP(p).region(), Method: http.MethodDelete, APIVersion: req.APIVersion})
		if err != nil {
			return err
		}
		child.setProvisioningState(service.StateDeleting)
		PP(p).touch()
		resp = c.parent.s.Ops.Accepted(req.Base, op)
		return service.PutJSON(tx, parentID, p)
	})
	return resp, err
}
