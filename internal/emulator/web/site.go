// Package web serves the web sites of the emulated estate: every running VM
// answers real HTTP on a loopback address of its own, all of one emulator's
// VMs on one shared port, so Traffic Manager probes, drills and people with a
// browser have something real to reach. A region outage (a fault rule) makes
// the sites of that region answer 503 until it is lifted.
package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// DataVersion is one version of the application data a VM holds. The page
// shows it, so a drill can tell which data a site serves (and, once
// replication exists, how much was lost).
type DataVersion struct {
	Version   int       `json:"version"`
	WrittenAt time.Time `json:"writtenAt"`
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
	// Data is the data version the VM holds.
	Data DataVersion
}

// Response headers that carry the page's facts for machines.
const (
	HeaderVM          = "X-Azuredr-Vm"
	HeaderRegion      = "X-Azuredr-Region"
	HeaderDataVersion = "X-Azuredr-Data-Version"
)

var page = template.Must(template.New("site").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body>
<h1>{{.Title}}</h1>
<p>Served by <strong id="vm">{{.Name}}</strong> in region <strong id="region">{{.Location}}</strong>.</p>
<p>Data version <strong id="data-version">{{.Data.Version}}</strong>, written <time id="data-written" datetime="{{.Written}}">{{.Written}}</time>.</p>
</body>
</html>
`))

// handler serves one site. The site's content is swapped atomically, so
// updates never race with requests.
type handler struct {
	site       atomic.Pointer[Site]
	regionDown func(region string) bool
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	site := h.site.Load()
	w.Header().Set(HeaderVM, site.Name)
	w.Header().Set(HeaderRegion, site.Location)
	if h.regionDown(site.Location) {
		http.Error(w, fmt.Sprintf("%s is unavailable: region %s is down (emulated outage)", site.Name, site.Location), http.StatusServiceUnavailable)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case "/":
		w.Header().Set(HeaderDataVersion, strconv.Itoa(site.Data.Version))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		title := site.Title
		if title == "" {
			title = site.Name
		}
		_ = page.Execute(w, struct {
			Site
			Title, Written string
		}{*site, title, site.Data.WrittenAt.UTC().Format(time.RFC3339)})
	case "/healthz":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = fmt.Fprintln(w, "ok")
	default:
		http.NotFound(w, r)
	}
}
