package admin_test

import (
	"net/http"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

func TestStats(t *testing.T) {
	srv, c := start(t)
	if code := arm(t, srv, http.MethodGet, armGroups+"rg-missing"); code != http.StatusNotFound {
		t.Fatalf("GET a missing group: %d", code)
	}
	if code := arm(t, srv, http.MethodHead, armGroups+"rg-missing"); code != http.StatusNotFound {
		t.Fatalf("HEAD a missing group: %d", code)
	}
	s, err := c.Stats(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests != 2 || s.Statuses["404"] != 2 || s.Operations["ResourceGroups_Get"]["GET"] != 1 ||
		s.Operations["ResourceGroups_CheckExistence"]["HEAD"] != 1 {
		t.Fatalf("stats %+v, want the GET and the HEAD, both 404", s)
	}
	if by := s.ByOperation(); len(by) != 2 || by["ResourceGroups_Get"] != 1 || by["ResourceGroups_CheckExistence"] != 1 {
		t.Fatalf("ByOperation %v", by)
	}

	if err := c.ResetStats(ctx(t)); err != nil {
		t.Fatal(err)
	}
	s, err = c.Stats(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests != 0 || len(s.Operations) != 0 || s.FaultHits() != 0 {
		t.Fatalf("stats after reset %+v, want zero", s)
	}
	if _, listed := s.Faults[admin.FaultThrottle]; !listed || len(s.Faults) != 5 {
		t.Fatalf("faults %v, want every kind that hits requests listed", s.Faults)
	}
}

func TestStatsCountFaultHits(t *testing.T) {
	srv, c := start(t)
	if _, err := c.AddFault(ctx(t), admin.FaultRule{Kind: admin.FaultThrottle, PathPrefix: "/subscriptions/", Count: 2}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		arm(t, srv, http.MethodGet, armGroups+"rg-missing")
	}
	s, err := c.Stats(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if s.FaultHits() != 2 || s.Faults[admin.FaultThrottle] != 2 || s.Statuses["429"] != 2 || s.Statuses["404"] != 1 {
		t.Fatalf("stats %+v, want two throttled requests then a 404", s)
	}
}
