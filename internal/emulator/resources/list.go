package resources

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// maxPageSize is ARM's page size when $top is absent, and the largest $top.
const maxPageSize = 1000

type resourceGroupPage struct {
	Value    []*Group `json:"value"`
	NextLink string   `json:"nextLink,omitempty"`
}

// list is ResourceGroups_List: every group of the subscription in name
// order, filtered by $filter on tags, paged by $top with an absolute nextLink
// that carries a $skiptoken (the last name returned, so pages stay correct
// while groups come and go).
func (g *resourceGroups) list(req *service.Request) (arm.Response, error) {
	q := req.HTTP.URL.Query()
	filter, err := parseTagFilter(q.Get("$filter"))
	if err != nil {
		return arm.Response{}, err
	}
	top := maxPageSize
	if v := q.Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			return arm.Response{}, arm.InvalidQueryParameter("$top", "expected an integer from 1 to "+strconv.Itoa(maxPageSize))
		}
		top = n
	}
	after := strings.ToLower(q.Get("$skiptoken"))

	prefix := store.Key(arm.ResourceGroupID(req.Param("subscriptionId"), ""))
	page := resourceGroupPage{Value: []*Group{}}
	last := ""
	for _, e := range g.s.Store.List(prefix) {
		name := strings.TrimPrefix(e.Key, prefix)
		if strings.Contains(name, "/") || name <= after {
			continue // a resource inside a group, or already returned
		}
		var rg Group
		if err := json.Unmarshal(e.Value, &rg); err != nil {
			return arm.Response{}, err
		}
		if !filter.matches(rg.Tags) {
			continue
		}
		if len(page.Value) == top {
			page.NextLink = nextLink(req, q, last)
			break
		}
		page.Value = append(page.Value, &rg)
		last = name
	}
	return arm.JSON(http.StatusOK, page), nil
}

// nextLink is the absolute URL of the page after the one ending with
// lastName: the same query with $skiptoken set.
func nextLink(req *service.Request, q url.Values, lastName string) string {
	next := url.Values{}
	for k, v := range q {
		next[k] = v
	}
	next.Set("$skiptoken", lastName)
	return req.Base + req.HTTP.URL.EscapedPath() + "?" + next.Encode()
}

// tagFilter is the subset of $filter ARM accepts for resource groups:
// "tagName eq 'k'", optionally "and tagValue eq 'v'". Names compare without
// case, values exactly, like ARM's tags.
type tagFilter struct {
	name, value       string
	hasName, hasValue bool
}

// tagFilterShape matches one or two "tagName|tagValue eq 'quoted'" clauses
// joined by "and"; a quote inside a value is doubled, as in OData.
var tagFilterShape = regexp.MustCompile(`(?i)^\s*(tagname|tagvalue)\s+eq\s+'((?:[^']|'')*)'(?:\s+and\s+(tagname|tagvalue)\s+eq\s+'((?:[^']|'')*)')?\s*$`)

func parseTagFilter(s string) (tagFilter, error) {
	var f tagFilter
	if strings.TrimSpace(s) == "" {
		return f, nil
	}
	m := tagFilterShape.FindStringSubmatch(s)
	if m == nil {
		return f, arm.InvalidQueryParameter("$filter", "expected tagName eq 'name', optionally followed by and tagValue eq 'value'")
	}
	for i := 1; i < len(m) && m[i] != ""; i += 2 {
		v := strings.ReplaceAll(m[i+1], "''", "'")
		switch {
		case strings.EqualFold(m[i], "tagname") && !f.hasName:
			f.name, f.hasName = v, true
		case strings.EqualFold(m[i], "tagvalue") && !f.hasValue:
			f.value, f.hasValue = v, true
		default:
			return f, arm.InvalidQueryParameter("$filter", "each of tagName and tagValue may appear once")
		}
	}
	if f.hasValue && !f.hasName {
		return f, arm.InvalidQueryParameter("$filter", "tagValue requires tagName")
	}
	return f, nil
}

func (f tagFilter) matches(tags map[string]string) bool {
	if !f.hasName {
		return true
	}
	for k, v := range tags {
		if strings.EqualFold(k, f.name) && (!f.hasValue || v == f.value) {
			return true
		}
	}
	return false
}
