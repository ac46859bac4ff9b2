package azure

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

func armResponse(status int, body string, headers map[string]string) *http.Response {
	u, _ := url.Parse("http://127.0.0.1:1/subscriptions/x/resourcegroups/rg?api-version=2021-04-01")
	resp := &http.Response{
		StatusCode: status,
		Header:     http.Header{},
		Body:       io.NopCloser(strings.NewReader(body)),
		Request:    &http.Request{Method: http.MethodGet, URL: u},
	}
	for k, v := range headers {
		resp.Header.Set(k, v)
	}
	return resp
}

func TestParseErrorKeepsCodeMessageAndRequestID(t *testing.T) {
	err := runtime.NewResponseError(armResponse(404,
		`{"error":{"code":"ResourceGroupNotFound","message":"Resource group 'rg' could not be found.","target":"rg"}}`,
		map[string]string{"x-ms-request-id": "req-123", "x-ms-correlation-request-id": "corr-456"}))
	wrapped := fmt.Errorf("reading: %w", err)

	e, ok := ParseError(wrapped)
	if !ok {
		t.Fatal("not recognised as an ARM error")
	}
	if e.Code != "ResourceGroupNotFound" || e.StatusCode != 404 || e.Message != "Resource group 'rg' could not be found." ||
		e.RequestID != "req-123" || e.CorrelationID != "corr-456" || e.Target != "rg" {
		t.Fatalf("unexpected %+v", e)
	}
	if strings.Contains(e.URL, "api-version") {
		t.Errorf("URL keeps the query: %s", e.URL)
	}
	for _, want := range []string{"ResourceGroupNotFound (HTTP 404)", "could not be found", "Request ID: req-123", "GET http://127.0.0.1:1/subscriptions/x/resourcegroups/rg"} {
		if !strings.Contains(Describe(wrapped), want) {
			t.Errorf("Describe lacks %q:\n%s", want, Describe(wrapped))
		}
	}
	if !IsNotFound(wrapped) {
		t.Error("IsNotFound(404) = false")
	}
}

func TestParseErrorPrefersHeaderCodeAndSurvivesOddBodies(t *testing.T) {
	e, _ := ParseError(runtime.NewResponseError(armResponse(429, "not json",
		map[string]string{"x-ms-error-code": "TooManyRequests"})))
	if e.Code != "TooManyRequests" || e.Message != "" {
		t.Fatalf("unexpected %+v", e)
	}
	e, _ = ParseError(runtime.NewResponseError(armResponse(502, "", nil)))
	if e.Code != "Bad Gateway" {
		t.Fatalf("a bodiless error gets the status text, got %q", e.Code)
	}
	if _, ok := ParseError(context.DeadlineExceeded); ok {
		t.Fatal("a context error is not an ARM error")
	}
	if IsNotFound(runtime.NewResponseError(armResponse(409, `{"error":{"code":"Conflict"}}`, nil))) {
		t.Fatal("409 is not not-found")
	}
}
