package compute

import (
	"net/http"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// What the writes of this package's Microsoft.Network types (public IPs,
// NICs) share.

// bodyLocation resolves a PUT body's location for typ: required, a known
// region, canonical.
// networkPut reads a network resource's PUT: the name in the path (which
// must follow the network resource provider's naming rule), the body, and
// its location (required, one Azure has). in is the body's location field.
func networkPut[T any](req *service.Request, nameParam, typ string, location func(*T) *string) (name string, in *T, loc string, err error) {
	name = req.Param(nameParam)
	if !networkNamePattern.MatchString(name) {
		return "", nil, "", arm.InvalidNetworkResourceName(name)
	}
	in = new(T)
	if err := req.Decode(in); err != nil {
		return "", nil, "", err
	}
	loc, err = bodyLocation(location(in), typ)
	return name, in, loc, err
}

func bodyLocation(loc *string, typ string) (string, error) {
	if loc == nil {
		return service.ResourceLocation("", typ)
	}
	return service.ResourceLocation(*loc, typ)
}

// replaceTags is an UpdateTags PATCH (synchronous, as the network resource
// provider answers it): the body's tags replace the record's, with a new
// etag; 200 with the record as view shows it. find reads the record for the
// write in tx (its 404 or 409 included); header is its tracked part.
func replaceTags[T any](s *Service, req *service.Request, find func(*store.Tx) (*T, error),
	header func(*T) *network.TrackedResource, view func(store.Reader, *T) any) (arm.Response, error) {
	var in struct {
		Tags map[string]string `json:"tags"`
	}
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	var resp arm.Response
	err := s.Store.Update(func(tx *store.Tx) error {
		rec, err := find(tx)
		if err != nil {
			return err
		}
		h := header(rec)
		if err := s.Busy(tx, h.ID); err != nil {
			return err
		}
		h.Tags, h.Etag = in.Tags, service.NewEtag()
		if err := service.PutJSON(tx, h.ID, rec); err != nil {
			return err
		}
		resp = arm.JSON(http.StatusOK, view(tx, rec))
		return nil
	})
	return resp, err
}
