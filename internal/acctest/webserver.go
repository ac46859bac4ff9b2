package acctest

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
)

// WebServer is a site on its own loopback address, whose health a test
// switches, for Traffic Manager probes to find.
type WebServer struct {
	Addr    string // IP only; every server of a WebServers call shares Port
	Port    int
	healthy atomic.Bool
}

// SetHealthy makes /healthz answer 200 (true) or 503 (false).
func (w *WebServer) SetHealthy(ok bool) { w.healthy.Store(ok) }

// WebServers starts n healthy servers on distinct loopback addresses and one
// shared port (Traffic Manager probes one port per profile), stopped when the
// test ends.
func WebServers(t *testing.T, n int) []*WebServer {
	t.Helper()
	for attempt := 0; attempt < 20; attempt++ {
		base := fmt.Sprintf("127.%d.%d.", 32+rand.IntN(16), rand.IntN(256))
		first, err := net.Listen("tcp", base+"1:0")
		if err != nil {
			continue
		}
		port := first.Addr().(*net.TCPAddr).Port
		listeners := []net.Listener{first}
		for i := 2; i <= n && err == nil; i++ {
			var l net.Listener
			if l, err = net.Listen("tcp", fmt.Sprintf("%s%d:%d", base, i, port)); err == nil {
				listeners = append(listeners, l)
			}
		}
		if err != nil {
			for _, l := range listeners {
				l.Close()
			}
			continue
		}
		out := make([]*WebServer, n)
		for i, l := range listeners {
			w := &WebServer{Addr: l.Addr().(*net.TCPAddr).IP.String(), Port: port}
			w.healthy.Store(true)
			srv := &http.Server{Handler: http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
				if !w.healthy.Load() {
					http.Error(rw, "down", http.StatusServiceUnavailable)
					return
				}
				fmt.Fprintf(rw, "ok from %s\n", w.Addr)
			})}
			go srv.Serve(l)
			t.Cleanup(func() { srv.Close() })
			out[i] = w
		}
		return out
	}
	t.Fatal("no free loopback addresses for test web servers")
	return nil
}
