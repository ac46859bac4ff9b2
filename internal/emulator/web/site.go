// Package web serves the web sites of the emulated estate: every running VM
// answers real HTTP on a loopback address of its own, all of one emulator's
// VMs on one shared port, so Traffic Manager probes, drills and people with a
// browser have something real to reach. A region outage (a fault rule) makes
// the sites of that region answer 503 until it is lifted.
package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

// DataVersion is one version of the application data a VM holds. The page
// shows it, so a drill can tell which data a site serves (and, once
// replication exists, how much was lost).
type DataVersion struct {
	Version   int       `json:"version"`
	WrittenAt time.Time `json:"writtenAt"`
	// Label is the text a canary write carried, if any (at most
	// MaxCanaryLabel bytes).
	Label string `json:"label,omitempty"`
}

// View is v as the admin API shows it (a VM's, a recovery point's, a
// failover's data version). DataVersion stays a type of its own, not the
// admin client's, because VM state records persist it.
func (v DataVersion) View() admin.DataVersion {
	return admin.DataVersion{Version: v.Version, WrittenAt: v.WrittenAt, Label: v.Label}
}

// Site is what one VM's web server shows.
type Site struct {
	// ID is the VM's ARM id; Name and Location (canonical region) are shown
	// on the page.
	ID       string
	Name     string
	Location string
	// Title heads the page; the VM name when empty.
	Title string
	// Role is the VM's role ("primary", or what later issues add: a test or
	// recovery VM); shown on the page.
	Role string
	// Data is the data version the VM holds.
	Data DataVersion
}

// Response headers that carry the page's facts for machines.
const (
	HeaderVM          = "X-Azuredr-Vm"
	HeaderRegion      = "X-Azuredr-Region"
	HeaderDataVersion = "X-Azuredr-Data-Version"
	HeaderRole        = "X-Azuredr-Role"
)

// MaxCanaryLabel is the largest body POST /canary accepts (bytes), kept as
// the new version's label.
const MaxCanaryLabel = 1024

// CanaryFunc writes a new data version on the VM with ARM id vmID, durably,
// carrying label, and returns it. It returns a *RefusedError when the VM
// does not take writes (it is not a primary); any other error is a failure
// (500). It is the callback's job to show the new version on the VM's page
// (Fleet.Serve with the new content), in the order of its other updates.
type CanaryFunc func(vmID, label string) (DataVersion, error)

// RefusedError is a canary write the VM refuses (409): its role does not
// take application writes.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return e.Reason }

// CanaryResult is the JSON answer of POST /canary.
type CanaryResult struct {
	VM        string    `json:"vm"`
	Version   int       `json:"version"`
	WrittenAt time.Time `json:"writtenAt"`
}

var page = template.Must(template.New("site").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body>
<h1>{{.Title}}</h1>
<p>Served by <strong id="vm">{{.Name}}</strong> in region <strong id="region">{{.Location}}</strong>{{if .Role}} (role <strong id="role">{{.Role}}</strong>){{end}}.</p>
<p>Data version <strong id="data-version">{{.Data.Version}}</strong>, written <time id="data-written" datetime="{{.Written}}">{{.Written}}</time>.</p>
{{- if .Data.Label}}
<p>Last write: <q id="data-label">{{.Data.Label}}</q></p>
{{- end}}
</body>
</html>
`))

// handler serves one site. The site's content is swapped atomically, so
// updates never race with requests.
type handler struct {
	site        atomic.Pointer[Site]
	unavailable Unavailable
	canary      CanaryFunc
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	site := h.site.Load()
	w.Header().Set(HeaderVM, site.Name)
	w.Header().Set(HeaderRegion, site.Location)
	if why := h.unavailable(site.ID, site.Location); why != "" {
		http.Error(w, fmt.Sprintf("%s is unavailable: %s", site.Name, why), http.StatusServiceUnavailable)
		return
	}
	switch r.URL.Path {
	case "/":
		if !allow(w, r, http.MethodGet, http.MethodHead) {
			return
		}
		w.Header().Set(HeaderDataVersion, strconv.Itoa(site.Data.Version))
		if site.Role != "" {
			w.Header().Set(HeaderRole, site.Role)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		title := site.Title
		if title == "" {
			title = site.Name
		}
		_ = page.Execute(w, struct {
			Site
			Title, Written string
		}{*site, title, site.Data.WrittenAt.UTC().Format(time.RFC3339Nano)})
	case "/healthz":
		if !allow(w, r, http.MethodGet, http.MethodHead) {
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = fmt.Fprintln(w, "ok")
	case "/canary":
		if !allow(w, r, http.MethodPost) {
			return
		}
		h.serveCanary(w, r, site)
	default:
		http.NotFound(w, r)
	}
}

// allow answers 405 (and returns false) unless the method is one of methods.
func allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	allowed := methods[0]
	for _, m := range methods[1:] {
		allowed += ", " + m
	}
	w.Header().Set("Allow", allowed)
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

// serveCanary is POST /canary: a new data version written on the VM (the
// body, optional text up to MaxCanaryLabel bytes, is its label).
func (h *handler) serveCanary(w http.ResponseWriter, r *http.Request, site *Site) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxCanaryLabel+1))
	if err != nil {
		http.Error(w, "reading the body: "+err.Error(), http.StatusBadRequest)
		return
	}
	if len(body) > MaxCanaryLabel {
		http.Error(w, fmt.Sprintf("the canary's label is limited to %d bytes", MaxCanaryLabel), http.StatusRequestEntityTooLarge)
		return
	}
	if h.canary == nil {
		http.Error(w, "this site takes no writes", http.StatusNotImplemented)
		return
	}
	v, err := h.canary(site.ID, string(body))
	var refused *RefusedError
	switch {
	case errors.As(err, &refused):
		http.Error(w, refused.Reason, http.StatusConflict)
		return
	case err != nil:
		http.Error(w, "the write failed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set(HeaderDataVersion, strconv.Itoa(v.Version))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(CanaryResult{VM: site.Name, Version: v.Version, WrittenAt: v.WrittenAt.UTC()})
}
