package service

import (
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

// What every namespace's records share: ids, etags, locations, listings
// and the one-operation-at-a-time rule.

// NewEtag is a fresh weak etag, as ARM sets on every write.
func NewEtag() string { return `W/"` + arm.NewGUID() + `"` }

// SplitChildID returns the parent id and the name of a child id
// ({parent}/{collection}/{name}).
func SplitChildID(id string) (parentID, name string) {
	i := strings.LastIndex(id, "/")
	j := strings.LastIndex(id[:max(i, 0)], "/")
	if i < 0 || j < 0 {
		return "", ""
	}
	return id[:j], id[i+1:]
}

// NotFoundByID is the 404 for a resource known by id (an operation's), or
// err when reading it failed.
func NotFoundByID(id string, err error) error {
	if err != nil {
		return err
	}
	_, group, _ := arm.SplitGroupID(id)
	rest := id[strings.Index(strings.ToLower(id), "/providers/")+len("/providers/"):]
	i := strings.LastIndex(rest, "/")
	return arm.ResourceNotFound(rest[:i], rest[i+1:], group)
}

// ResourceLocation resolves a body's location for a resource of
// resourceType: required, a known region, stored in its canonical form.
func ResourceLocation(location, resourceType string) (string, error) {
	if strings.TrimSpace(location) == "" {
		return "", arm.LocationRequired()
	}
	if c := regions.Canonical(location); c != "" {
		return c, nil
	}
	return "", arm.LocationNotAvailableForResourceType(location, resourceType, regions.Names())
}

// Records lists the records of one type (e.g. "Microsoft.Network/networkInterfaces")
// in a subscription (or a group, with a group prefix), in id order.
func Records[T any](r store.Reader, prefix, typ string) ([]*T, error) {
	marker := strings.ToLower("/providers/" + typ + "/")
	var out []*T
	for _, e := range r.List(strings.ToLower(prefix)) {
		i := strings.Index(e.Key, marker)
		if i < 0 || strings.Contains(e.Key[i+len(marker):], "/") {
			continue
		}
		v, ok, err := GetJSON[T](r, e.Key)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// Busy refuses a write while the parent or any of its children has an
// operation in flight: Azure serialises the writes of a resource and its
// children (a network and its subnets, a vault and its fabrics).
func (e *Env) Busy(r store.Reader, parentID string) error {
	op, busy, err := e.Ops.InFlight(r, parentID)
	if err == nil && !busy {
		op, busy, err = e.Ops.InFlightUnder(r, parentID)
	}
	if err != nil {
		return err
	}
	if busy {
		return arm.AnotherOperationInProgress(op.ResourceID, op.ID)
	}
	return nil
}

// IsResourceKey reports whether a store key is the id of a top-level
// resource of type typ (e.g. "Microsoft.Compute/virtualMachines") in a
// resource group, not one of its children.
func IsResourceKey(key, typ string) bool {
	segs := strings.Split(strings.TrimPrefix(key, "/"), "/")
	t := strings.Split(strings.ToLower(typ), "/")
	return len(segs) == 8 && segs[0] == "subscriptions" && segs[2] == "resourcegroups" && segs[4] == "providers" &&
		len(t) == 2 && segs[5] == t[0] && segs[6] == t[1]
}
