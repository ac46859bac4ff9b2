package emulator

import (
	"encoding/json"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

// requestRegion is the region a request touches, for region-scoped faults:
// the location in its body (a PUT creating something there), else the
// route's own answer (an operation poll: its resource's region), else the
// location of the nearest stored resource on its path (the resource itself,
// its parent, its resource group). "" when none applies.
func (s *Server) requestRegion(req *service.Request, rt *route) string {
	if loc := bodyLocation(req.Body); loc != "" {
		return loc
	}
	if rt != nil && rt.Region != nil {
		return rt.Region(req)
	}
	return s.storedRegion(req.HTTP.URL.Path)
}

func bodyLocation(body []byte) string {
	var b struct {
		Location string `json:"location"`
	}
	if len(body) == 0 || json.Unmarshal(body, &b) != nil {
		return ""
	}
	return regions.Canonical(b.Location)
}

// storedRegion walks from the full path up to the subscription, returning
// the first location found.
func (s *Server) storedRegion(path string) string {
	segs := splitPath(path)
	for n := len(segs); n >= 2; n-- {
		raw, ok := s.store.Get("/" + strings.Join(segs[:n], "/"))
		if !ok {
			continue
		}
		if loc := bodyLocation(raw); loc != "" {
			return loc
		}
	}
	return ""
}
