package arm

import (
	"errors"
	"net/http"
	"testing"
)

func TestGUIDs(t *testing.T) {
	a, b := NewGUID(), NewGUID()
	if !IsGUID(a) || a == b || a[14] != '4' {
		t.Fatalf("NewGUID = %q, %q", a, b)
	}
	for _, bad := range []string{"", "not-a-guid", "0000000000000000000000000000000000000", "00000000-0000-0000-0000-00000000000g", "00000000_0000-0000-0000-000000000000"} {
		if IsGUID(bad) {
			t.Errorf("IsGUID(%q) = true", bad)
		}
	}
	if !IsGUID("ABCDEF01-2345-6789-abcd-ef0123456789") {
		t.Error("upper-case GUID refused")
	}
}

func TestValidAPIVersion(t *testing.T) {
	for v, want := range map[string]bool{
		"2021-04-01": true, "2023-06-01-preview": true, "2015-01-01-beta.2": true,
		"": false, "latest": false, "2021-4-1": false, "2021-02-30": false, "2021-04-01-": false, "2021-04-01preview": false,
	} {
		if got := ValidAPIVersion(v); got != want {
			t.Errorf("ValidAPIVersion(%q) = %v", v, got)
		}
	}
}

func TestSplitGroupID(t *testing.T) {
	sub, rg, ok := SplitGroupID("/subscriptions/s/resourcegroups/RG/providers/x/y/z")
	if !ok || sub != "s" || rg != "RG" {
		t.Fatalf("SplitGroupID = %q %q %v", sub, rg, ok)
	}
	if _, _, ok := SplitGroupID("/subscriptions/s/providers/x"); ok {
		t.Fatal("an id outside a group was split")
	}
}

func TestErrorResponse(t *testing.T) {
	r := TooManyRequests(3).Response()
	if r.Status != http.StatusTooManyRequests || r.Header.Get(HeaderErrorCode) != "TooManyRequests" || r.Header.Get("Retry-After") != "3" {
		t.Fatalf("response = %+v", r)
	}
	if e := AsError(errors.New("disk on fire")); e.Status != 500 || e.Code != "InternalServerError" {
		t.Fatalf("AsError = %+v", e)
	}
	wrapped := errors.Join(errors.New("context"), ResourceGroupNotFound("x"))
	if e := AsError(wrapped); e.Code != "ResourceGroupNotFound" {
		t.Fatalf("AsError(wrapped) = %+v", e)
	}
}
