package siterecovery

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// srObjects serves one Site Recovery object type below a vault, written once
// for fabrics, containers, mappings, policies and network mappings.
//
// As the Site Recovery service does, every write is long-running: PUT,
// PATCH, POST .../remove and DELETE answer 202 with Azure-AsyncOperation and
// Location (the SDK's Begin* methods accept 200/202 for writes, 202/204 for
// removals). A PUT stores the object at once, so GET shows it while the
// operation runs; a removal takes the object and everything under its id
// when the operation completes. Parents must exist (404 naming the first
// missing one), and nothing is written under an object being removed.
type srObjects[P any] struct {
	s          *Service
	typ        string // ARM type, e.g. fabricType
	operations string // the REST spec's operation group, e.g. "ReplicationFabrics"
	levels     []srLevel
	// durations of writes and removals (simulated).
	writeDuration, deleteDuration time.Duration

	// build validates a PUT body and returns the object to store (its id,
	// name and type are filled by the caller). cur is the stored object, or
	// nil for a new one.
	build func(tx *store.Tx, req *service.Request, at srPlace, cur *srResource[P]) (*srResource[P], error)
	// update, optional, applies a PATCH body to the stored object.
	update func(tx *store.Tx, req *service.Request, at srPlace, cur *srResource[P]) error
	// view, optional, fills the fields derived from other objects.
	view func(r store.Reader, o *srResource[P])
	// inUse, optional, refuses a removal; it runs again when the removal
	// completes, in case something started using the object meanwhile.
	inUse func(r store.Reader, o *srResource[P]) error

	// Operation ids of the optional routes ("" = no route).
	removeOp      string // POST {item}/remove
	deleteOp      string // DELETE {item}
	listByVaultOp string // GET {v}/{last collection}
}

// srLevel is one step of an object's id below the vault.
type srLevel struct {
	collection string
	param      string // the route capture holding the name
	// virtual levels are not stored objects (replicationNetworks: Azure
	// discovers them; A2A uses "azureNetwork").
	virtual bool
}

// srPlace is what a request points at: the vault, the parent's id and the
// object's id and name, in the case they were created with when they exist.
type srPlace struct {
	vault    *vaultRecord
	group    string
	parentID string
	id       string
	name     string
}

func (t *srObjects[P]) last() srLevel { return t.levels[len(t.levels)-1] }

func (t *srObjects[P]) collectionPattern() string {
	p := vaultPath
	for _, l := range t.levels[:len(t.levels)-1] {
		p += "/" + l.collection + "/{" + l.param + "}"
	}
	return p + "/" + t.last().collection
}

func (t *srObjects[P]) itemPattern() string {
	return t.collectionPattern() + "/{" + t.last().param + "}"
}

func (t *srObjects[P]) collections() []string {
	out := make([]string, len(t.levels))
	for i, l := range t.levels {
		out[i] = l.collection
	}
	return out
}

func (t *srObjects[P]) Routes() []service.Route {
	item := t.itemPattern()
	rs := []service.Route{
		{Method: http.MethodPut, Pattern: item, Operation: t.operations + "_Create", Handle: t.put},
		{Method: http.MethodGet, Pattern: item, Operation: t.operations + "_Get", Handle: t.get},
		{Method: http.MethodGet, Pattern: t.collectionPattern(), Operation: t.listOperation(), Handle: t.list},
	}
	if t.update != nil {
		rs = append(rs, service.Route{Method: http.MethodPatch, Pattern: item, Operation: t.operations + "_Update", Handle: t.patch})
	}
	if t.removeOp != "" {
		rs = append(rs, service.Route{Method: http.MethodPost, Pattern: item + "/remove", Operation: t.removeOp, Handle: t.remove(http.StatusNotFound)})
	}
	if t.deleteOp != "" {
		rs = append(rs, service.Route{Method: http.MethodDelete, Pattern: item, Operation: t.deleteOp, Handle: t.remove(http.StatusNoContent)})
	}
	if t.listByVaultOp != "" {
		rs = append(rs, service.Route{Method: http.MethodGet, Pattern: vaultPath + "/" + t.last().collection, Operation: t.listByVaultOp, Handle: t.listByVault})
	}
	return rs
}

// listOperation is the spec's id of the list under the parent:
// ReplicationFabrics_List, ReplicationProtectionContainers_ListByReplicationFabrics...
func (t *srObjects[P]) listOperation() string {
	if len(t.levels) == 1 {
		return t.operations + "_List"
	}
	parent := t.levels[len(t.levels)-2].collection
	return t.operations + "_ListBy" + strings.ToUpper(parent[:1]) + parent[1:]
}

func (t *srObjects[P]) OperationKinds() []lro.Kind {
	return []lro.Kind{
		{Name: t.typ + "/write", Namespace: recoveryServicesNamespace, Duration: t.writeDuration,
			// The object was stored when the operation started.
			Complete: func(*store.Tx, *lro.Operation) error { return nil },
			Result: func(r store.Reader, op *lro.Operation) (arm.Response, error) {
				o, ok, err := service.GetJSON[srResource[P]](r, op.ResourceID)
				if !ok {
					return arm.Response{}, service.NotFoundByID(op.ResourceID, err)
				}
				return arm.JSON(http.StatusOK, t.shown(r, o)), nil
			}},
		{Name: t.typ + "/delete", Namespace: recoveryServicesNamespace, Duration: t.deleteDuration,
			Complete: t.completeRemoval},
	}
}

// completeRemoval deletes the object and everything under it, cancelling
// the operations still running there.
func (t *srObjects[P]) completeRemoval(tx *store.Tx, op *lro.Operation) error {
	o, ok, err := service.GetJSON[srResource[P]](tx, op.ResourceID)
	if !ok {
		return err
	}
	if t.inUse != nil {
		if err := t.inUse(tx, o); err != nil {
			return err
		}
	}
	if err := t.s.Ops.CancelUnder(tx, o.ID, op.ID, fmt.Sprintf("'%s' was removed", o.ID)); err != nil {
		return err
	}
	for _, e := range tx.List(o.ID + "/") {
		tx.Delete(e.Key)
	}
	tx.Delete(o.ID)
	return nil
}

// shown is the object as GET returns it.
func (t *srObjects[P]) shown(r store.Reader, o *srResource[P]) *srResource[P] {
	if t.view != nil {
		t.view(r, o)
	}
	return o
}

// walk resolves the first depth levels of the request's path below the
// vault, checking each stored level exists (404 naming the first missing)
// and, for writes, that none is being removed. It returns the id reached.
func (t *srObjects[P]) walk(r store.Reader, req *service.Request, depth int, writable bool) (srPlace, error) {
	v, err := t.s.requireVault(r, req, writable)
	if err != nil {
		return srPlace{}, err
	}
	at := srPlace{vault: v, group: req.Param("resourceGroupName"), id: v.ID}
	shownName := v.Name
	for _, l := range t.levels[:depth] {
		name := req.Param(l.param)
		at.id += "/" + l.collection + "/" + name
		shownName += "/" + l.collection + "/" + name
		if l.virtual {
			continue
		}
		var head struct {
			ID string `json:"id"`
		}
		raw, ok := r.Get(at.id)
		if !ok {
			return srPlace{}, arm.ResourceNotFound(vaultType, shownName, at.group)
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			return srPlace{}, err
		}
		at.id = head.ID
		if writable {
			if op, busy, err := t.s.Ops.InFlight(r, at.id); err != nil {
				return srPlace{}, err
			} else if busy && strings.HasSuffix(op.Kind, "/delete") {
				return srPlace{}, arm.AnotherOperationInProgress(at.id, op.ID)
			}
		}
	}
	return at, nil
}

// locate resolves the object a request names; cur is nil when it does not
// exist (its parents do).
func (t *srObjects[P]) locate(r store.Reader, req *service.Request, writable bool) (srPlace, *srResource[P], error) {
	at, err := t.walk(r, req, len(t.levels)-1, writable)
	if err != nil {
		return at, nil, err
	}
	at.parentID, at.name = at.id, req.Param(t.last().param)
	at.id = at.parentID + "/" + t.last().collection + "/" + at.name
	cur, ok, err := service.GetJSON[srResource[P]](r, at.id)
	if err != nil || !ok {
		return at, nil, err
	}
	at.id, at.name = cur.ID, cur.Name // ids keep the case of creation
	return at, cur, nil
}

func (t *srObjects[P]) notFound(at srPlace) error {
	rel := at.id[len(at.vault.ID)-len(at.vault.Name):]
	return arm.ResourceNotFound(vaultType, rel, at.group)
}

func (t *srObjects[P]) put(req *service.Request) (arm.Response, error) {
	var resp arm.Response
	err := t.s.Store.Update(func(tx *store.Tx) error {
		at, cur, err := t.locate(tx, req, true)
		if err != nil {
			return err
		}
		o, err := t.build(tx, req, at, cur)
		if err != nil {
			return err
		}
		o.ID, o.Name, o.Type = at.id, at.name, t.typ
		resp, err = t.startWrite(tx, req, at, o)
		return err
	})
	return resp, err
}

func (t *srObjects[P]) patch(req *service.Request) (arm.Response, error) {
	var resp arm.Response
	err := t.s.Store.Update(func(tx *store.Tx) error {
		at, cur, err := t.locate(tx, req, true)
		if err != nil {
			return err
		}
		if cur == nil {
			return t.notFound(at)
		}
		if err := t.update(tx, req, at, cur); err != nil {
			return err
		}
		resp, err = t.startWrite(tx, req, at, cur)
		return err
	})
	return resp, err
}

// startWrite starts the write operation on o and stores it: 202 with the
// polling URLs, as Site Recovery answers.
func (t *srObjects[P]) startWrite(tx *store.Tx, req *service.Request, at srPlace, o *srResource[P]) (arm.Response, error) {
	op, err := t.s.Ops.Start(tx, lro.Spec{Kind: t.typ + "/write", ResourceID: o.ID, Location: at.vault.Location,
		Method: req.HTTP.Method, APIVersion: req.APIVersion})
	if err != nil {
		return arm.Response{}, err
	}
	if err := service.PutJSON(tx, o.ID, o); err != nil {
		return arm.Response{}, err
	}
	return t.s.Ops.Accepted(req.Base, op), nil
}

func (t *srObjects[P]) get(req *service.Request) (arm.Response, error) {
	at, cur, err := t.locate(t.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	if cur == nil {
		return arm.Response{}, t.notFound(at)
	}
	return arm.JSON(http.StatusOK, t.shown(t.s.Store, cur)), nil
}

// remove serves POST .../remove and DELETE; missing is the status for an
// object that does not exist (404 for the action, 204 for DELETE).
func (t *srObjects[P]) remove(missing int) service.Handler {
	return func(req *service.Request) (arm.Response, error) {
		var resp arm.Response
		err := t.s.Store.Update(func(tx *store.Tx) error {
			at, cur, err := t.locate(tx, req, true)
			if err != nil {
				return err
			}
			if cur == nil {
				if missing == http.StatusNoContent {
					resp = arm.Empty(http.StatusNoContent)
					return nil
				}
				return t.notFound(at)
			}
			if t.inUse != nil {
				if err := t.inUse(tx, cur); err != nil {
					return err
				}
			}
			op, err := t.s.Ops.Start(tx, lro.Spec{Kind: t.typ + "/delete", ResourceID: cur.ID, Location: at.vault.Location,
				Method: req.HTTP.Method, APIVersion: req.APIVersion})
			if err != nil {
				return err
			}
			resp = t.s.Ops.Accepted(req.Base, op)
			return nil
		})
		return resp, err
	}
}

func (t *srObjects[P]) list(req *service.Request) (arm.Response, error) {
	at, err := t.walk(t.s.Store, req, len(t.levels)-1, false)
	if err != nil {
		return arm.Response{}, err
	}
	return t.listed(recordsMatching(t.s.Store, at.id, t.last().collection))
}

func (t *srObjects[P]) listByVault(req *service.Request) (arm.Response, error) {
	v, err := t.s.requireVault(t.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	return t.listed(recordsMatching(t.s.Store, v.ID, t.collections()...))
}

func (t *srObjects[P]) listed(entries []store.Entry) (arm.Response, error) {
	all, err := decodeAll[srResource[P]](entries)
	if err != nil {
		return arm.Response{}, err
	}
	for _, o := range all {
		t.shown(t.s.Store, o)
	}
	return arm.JSON(http.StatusOK, service.List[*srResource[P]]{Value: all}), nil
}

// objectsOfType returns the objects of one type anywhere under a vault (or
// any narrower prefix whose remaining levels are collections).
func objectsOfType[P any](r store.Reader, prefix string, collections ...string) ([]*srResource[P], error) {
	return decodeAll[srResource[P]](recordsMatching(r, prefix, collections...))
}

// lastSegment is the name at the end of an id.
func lastSegment(id string) string {
	return id[strings.LastIndex(id, "/")+1:]
}
