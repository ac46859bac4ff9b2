package admin_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

func TestHealth(t *testing.T) {
	srv, c := start(t)
	h, err := c.Health(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if h.Status != "ok" || h.ARM != srv.URL() || h.TimeScale != 1 || h.Now.IsZero() || h.DataDir == "" || h.DNS != srv.DNSAddr() {
		t.Fatalf("health %+v, want ok at %s, time scale 1, a clock, a data dir and DNS %s", h, srv.URL(), srv.DNSAddr())
	}
	if c.URL() != srv.URL() {
		t.Fatalf("URL() = %q, want %q without the trailing slash", c.URL(), srv.URL())
	}
}

// An answer that is not ARM's envelope (a proxy, a crash) keeps its text.
func TestErrorWithoutEnvelope(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "bad gateway from "+r.URL.Path, http.StatusBadGateway)
	}))
	defer ts.Close()
	_, err := admin.New(ts.URL).Health(ctx(t))
	var e *admin.Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusBadGateway || e.Code != "" || e.Body != "bad gateway from /_emulator/healthz" {
		t.Fatalf("error %#v, want HTTP 502 with the body", err)
	}
	if !strings.Contains(err.Error(), "GET /_emulator/healthz: HTTP 502") {
		t.Fatalf("message %q names neither the request nor the status", err)
	}
	if admin.StatusCode(errors.New("connection refused")) != 0 {
		t.Fatal("StatusCode of a non-admin error is not 0")
	}
}

func TestCanceledContext(t *testing.T) {
	_, c := start(t)
	cx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Stats(cx); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

func TestTrafficManagerEmpty(t *testing.T) {
	_, c := start(t)
	profiles, err := c.TrafficManager(ctx(t))
	if err != nil || len(profiles) != 0 {
		t.Fatalf("profiles %+v (%v), want none", profiles, err)
	}
}
