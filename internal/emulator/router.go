package emulator

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

// route is a row of the route table with its pattern split on "/".
type route struct {
	service.Route
	segments []string
}

// router matches requests to the route table.
type router struct {
	routes []route
}

func newRouter(table []service.Route) *router {
	rt := &router{}
	for _, r := range table {
		if !strings.HasPrefix(r.Pattern, "/") || r.Handle == nil || (!r.Admin && r.Operation == "") {
			panic(fmt.Sprintf("emulator: bad route %s %s", r.Method, r.Pattern))
		}
		rt.routes = append(rt.routes, route{Route: r, segments: splitPath(r.Pattern)})
	}
	return rt
}

// match finds the route for method and escaped path, and the values of its
// {name} segments. When several patterns match, the one with more literal
// segments wins, so a fixed path beats a capture. A path served with other
// methods is 405; an unknown path is 404 InvalidResourceType.
func (rt *router) match(method, escapedPath, apiVersion string) (*route, map[string]string, *arm.Error) {
	segs := splitPath(escapedPath)
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, nil, arm.InvalidResourceType(escapedPath, apiVersion)
		}
		segs[i] = u
	}
	var best *route
	bestScore, pathKnown := -1, false
	for i := range rt.routes {
		r := &rt.routes[i]
		score, ok := r.matches(segs)
		if !ok {
			continue
		}
		pathKnown = true
		if r.Method == method && score > bestScore {
			best, bestScore = r, score
		}
	}
	switch {
	case best != nil:
		return best, best.params(segs), nil
	case pathKnown:
		return nil, nil, arm.MethodNotAllowed(method)
	default:
		return nil, nil, arm.InvalidResourceType(escapedPath, apiVersion)
	}
}

// matches reports whether segs fit the pattern, scoring literal segments.
func (r *route) matches(segs []string) (score int, ok bool) {
	if len(segs) != len(r.segments) {
		return 0, false
	}
	for i, p := range r.segments {
		if isCapture(p) {
			if segs[i] == "" {
				return 0, false
			}
			continue
		}
		if !strings.EqualFold(p, segs[i]) {
			return 0, false
		}
		score++
	}
	return score, true
}

func (r *route) params(segs []string) map[string]string {
	out := map[string]string{}
	for i, p := range r.segments {
		if isCapture(p) {
			out[p[1:len(p)-1]] = segs[i]
		}
	}
	return out
}

func isCapture(seg string) bool {
	return len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}'
}

// splitPath splits "/a/b/" into ["a", "b"]: one trailing slash is tolerated.
func splitPath(p string) []string {
	p = strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}
