package emulator_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
)

// envelope is ARM's error body.
type envelope struct {
	Error struct {
		Code           string            `json:"code"`
		Message        string            `json:"message"`
		Target         string            `json:"target"`
		Details        []json.RawMessage `json:"details"`
		AdditionalInfo []json.RawMessage `json:"additionalInfo"`
	} `json:"error"`
}

func TestProtocolErrorsUseARMsEnvelope(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	base := srv.URL()
	group := base + "/subscriptions/" + emulatortest.Subscription + "/resourcegroups/rg-p"
	cases := []struct {
		name, method, url string
		body              any
		header            map[string]string
		status            int
		code              string
	}{
		{"missing api-version", "GET", group, nil, nil, 400, "MissingApiVersionParameter"},
		{"malformed api-version", "GET", group + "?api-version=latest", nil, nil, 400, "InvalidApiVersionParameter"},
		{"impossible date", "GET", group + "?api-version=2021-13-45", nil, nil, 400, "InvalidApiVersionParameter"},
		{"no authorization", "GET", group + "?api-version=2021-04-01", nil, map[string]string{"Authorization": ""}, 401, "AuthenticationFailed"},
		{"not a bearer token", "GET", group + "?api-version=2021-04-01", nil, map[string]string{"Authorization": "Basic abc"}, 401, "AuthenticationFailed"},
		{"bad subscription", "GET", base + "/subscriptions/123/resourcegroups/rg-p?api-version=2021-04-01", nil, nil, 400, "InvalidSubscriptionId"},
		{"invalid JSON", "PUT", group + "?api-version=2021-04-01", `{"location":`, nil, 400, "InvalidRequestContent"},
		{"wrong JSON type", "PUT", group + "?api-version=2021-04-01", `{"location":5}`, nil, 400, "InvalidRequestContent"},
		{"empty body", "PUT", group + "?api-version=2021-04-01", "", nil, 400, "InvalidRequestContent"},
		{"unknown route", "GET", base + "/subscriptions/" + emulatortest.Subscription + "/providers/Microsoft.Nope/things?api-version=2021-04-01", nil, nil, 404, "InvalidResourceType"},
		{"unsupported method", "POST", group + "?api-version=2021-04-01", nil, nil, 405, "MethodNotAllowed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, raw := emulatortest.Call(t, tc.method, tc.url, tc.body, tc.header)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, raw)
			}
			var e envelope
			if err := json.Unmarshal(raw, &e); err != nil {
				t.Fatalf("body %s: %v", raw, err)
			}
			if e.Error.Code != tc.code || resp.Header.Get("x-ms-error-code") != tc.code {
				t.Fatalf("code %q / header %q, want %s", e.Error.Code, resp.Header.Get("x-ms-error-code"), tc.code)
			}
			if e.Error.Message == "" || e.Error.Details == nil || e.Error.AdditionalInfo == nil {
				t.Fatalf("incomplete envelope: %s", raw)
			}
		})
	}
}

func TestEveryResponseCarriesRequestIDs(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	url := emulatortest.GroupURL(srv.URL(), "rg-ids")

	first, _ := emulatortest.Call(t, http.MethodGet, url, nil, map[string]string{"x-ms-correlation-request-id": "corr-123"})
	if first.Header.Get("x-ms-correlation-request-id") != "corr-123" {
		t.Fatalf("correlation id not echoed: %q", first.Header.Get("x-ms-correlation-request-id"))
	}
	second, _ := emulatortest.Call(t, http.MethodGet, url, nil, nil)
	id1, id2 := first.Header.Get("x-ms-request-id"), second.Header.Get("x-ms-request-id")
	if len(id1) != 36 || id1 == id2 {
		t.Fatalf("request ids %q, %q: want a new GUID each time", id1, id2)
	}
	if len(second.Header.Get("x-ms-correlation-request-id")) != 36 {
		t.Fatalf("no correlation id generated")
	}
	// Admin responses too.
	admin, _ := emulatortest.Call(t, http.MethodGet, srv.URL()+"/_emulator/healthz", nil, nil)
	if admin.Header.Get("x-ms-request-id") == "" {
		t.Fatal("admin response without request id")
	}
}

func TestHealthz(t *testing.T) {
	dir := t.TempDir()
	srv := emulatortest.Start(t, emulator.Options{DataDir: dir, TimeScale: 42})
	var h struct {
		Status            string  `json:"status"`
		ARM               string  `json:"arm"`
		TimeScale         float64 `json:"timeScale"`
		DataDir           string  `json:"dataDir"`
		PendingOperations *int    `json:"pendingOperations"`
	}
	// No api-version and no Authorization needed outside ARM's namespace.
	resp, raw := emulatortest.Call(t, http.MethodGet, srv.URL()+"/_emulator/healthz", nil, map[string]string{"Authorization": ""})
	if resp.StatusCode != 200 || json.Unmarshal(raw, &h) != nil {
		t.Fatalf("healthz: %d %s", resp.StatusCode, raw)
	}
	if h.Status != "ok" || h.ARM != srv.URL() || h.TimeScale != 42 || h.DataDir != dir || h.PendingOperations == nil || *h.PendingOperations != 0 {
		t.Fatalf("healthz = %s", raw)
	}
}

func TestNonLoopbackListenIsRefused(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0"} {
		srv, err := emulator.New(emulator.Options{Listen: addr, DataDir: t.TempDir()})
		if err == nil {
			_ = srv.Close()
			t.Fatalf("%s accepted", addr)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		srv, err := emulator.New(emulator.Options{Listen: addr, DataDir: t.TempDir()})
		if err != nil {
			t.Fatalf("%s refused: %v", addr, err)
		}
		_ = srv.Close()
	}
	// Only when explicitly told: AllowNonLoopback (--allow-non-loopback).
	srv, err := emulator.New(emulator.Options{Listen: "0.0.0.0:0", DataDir: t.TempDir(), AllowNonLoopback: true})
	if err != nil {
		t.Fatalf("0.0.0.0:0 refused despite AllowNonLoopback: %v", err)
	}
	_ = srv.Close()
	if _, err := emulator.New(emulator.Options{Listen: "0.0.0.0:0", DataDir: t.TempDir()}); !errors.Is(err, emulator.ErrNonLoopback) {
		t.Fatalf("0.0.0.0:0 without AllowNonLoopback: %v, want ErrNonLoopback", err)
	}
}
