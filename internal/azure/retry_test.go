package azure

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
)

// conflictServer answers the first len(answers) requests with them (status,
// error code, Retry-After), then 200; it records every body it received.
type conflictServer struct {
	mu      sync.Mutex
	answers []conflictAnswer
	bodies  []string
}

type conflictAnswer struct {
	status     int
	code       string
	retryAfter string
	header     bool // the code in x-ms-error-code, not only the body
}

func (s *conflictServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := len(s.bodies)
	s.bodies = append(s.bodies, string(b))
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if n < len(s.answers) {
		a := s.answers[n]
		if a.retryAfter != "" {
			w.Header().Set("Retry-After", a.retryAfter)
		}
		if a.header {
			w.Header().Set("x-ms-error-code", a.code)
		}
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, `{"error":{"code":"`+a.code+`","message":"refused"}}`)
		return
	}
	_, _ = io.WriteString(w, `{"id":"x"}`)
}

// send runs one request with the given method through a pipeline holding
// the policy (with recorded, instant sleeps) and azcore's own retry policy.
func send(t *testing.T, ctx context.Context, srv *conflictServer, method string) (*http.Response, []time.Duration, error) {
	t.Helper()
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	var waits []time.Duration
	p := &conflictPolicy{minDelay: 2 * time.Second, maxDelay: 8 * time.Second, maxWait: time.Hour,
		sleep: func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return ctx.Err() }}
	pl := runtime.NewPipeline("test", "v0", runtime.PipelineOptions{}, &policy.ClientOptions{
		PerCallPolicies: []policy.Policy{p},
		Retry:           policy.RetryOptions{MaxRetries: -1},
	})
	req, err := runtime.NewRequest(ctx, method, ts.URL+"/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/web")
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPut {
		if err := req.SetBody(streaming.NopCloser(strings.NewReader(`{"properties":{}}`)), "application/json"); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := pl.Do(req)
	return resp, waits, err
}

func TestConflictPolicyRetriesAnotherOperationInProgress(t *testing.T) {
	srv := &conflictServer{answers: []conflictAnswer{
		{status: http.StatusConflict, code: "AnotherOperationInProgress"},
		{status: http.StatusConflict, code: "RetryableError", header: true},
	}}
	resp, waits, err := send(t, context.Background(), srv, http.MethodPut)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200 after two retries", resp.StatusCode)
	}
	if len(srv.bodies) != 3 {
		t.Fatalf("%d requests, want 3 (two 409s, then the 200)", len(srv.bodies))
	}
	for i, b := range srv.bodies {
		if b != `{"properties":{}}` {
			t.Errorf("request %d carried body %q: a retry must send the whole body again", i+1, b)
		}
	}
	// Backoff without Retry-After: half to the full delay, doubling.
	if len(waits) != 2 || waits[0] < time.Second || waits[0] > 2*time.Second || waits[1] < 2*time.Second || waits[1] > 4*time.Second {
		t.Errorf("waits %v, want one in [1s,2s] then one in [2s,4s]", waits)
	}
}

func TestConflictPolicyHonoursRetryAfter(t *testing.T) {
	srv := &conflictServer{answers: []conflictAnswer{{status: http.StatusConflict, code: "AnotherOperationInProgress", retryAfter: "7"}}}
	resp, waits, err := send(t, context.Background(), srv, http.MethodDelete)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("got %v, %v; want 200", resp, err)
	}
	if len(waits) != 1 || waits[0] != 7*time.Second {
		t.Errorf("waits %v, want [7s] from Retry-After", waits)
	}
}

// A final conflict, a conflict of a method that is not retried and
// throttling left to azcore are answered as they came, after one request.
func TestConflictPolicyLeavesOtherAnswersAlone(t *testing.T) {
	for _, tc := range []struct {
		name   string
		method string
		answer conflictAnswer
	}{
		{"Conflict", http.MethodPut, conflictAnswer{status: http.StatusConflict, code: "Conflict"}},
		{"InUseSubnetCannotBeDeleted", http.MethodDelete, conflictAnswer{status: http.StatusConflict, code: "InUseSubnetCannotBeDeleted"}},
		{"POST", http.MethodPost, conflictAnswer{status: http.StatusConflict, code: "AnotherOperationInProgress"}},
		{"PATCH", http.MethodPatch, conflictAnswer{status: http.StatusConflict, code: "AnotherOperationInProgress"}},
		{"429 is azcore's", http.MethodPut, conflictAnswer{status: http.StatusTooManyRequests, code: "TooManyRequests"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := &conflictServer{answers: []conflictAnswer{tc.answer}}
			resp, waits, err := send(t, context.Background(), srv, tc.method)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.answer.status || len(srv.bodies) != 1 || len(waits) != 0 {
				t.Fatalf("status %d after %d requests and waits %v; want %d after 1 request, no wait", resp.StatusCode, len(srv.bodies), waits, tc.answer.status)
			}
			if b, _ := runtime.Payload(resp); !strings.Contains(string(b), tc.answer.code) {
				t.Errorf("body %q lost the error", b)
			}
		})
	}
}

// The retries end with the context: a Retry-After beyond the deadline gives
// the 409 back at once, its body intact, for the caller's error.
func TestConflictPolicyBoundedByContext(t *testing.T) {
	srv := &conflictServer{answers: []conflictAnswer{{status: http.StatusConflict, code: "AnotherOperationInProgress", retryAfter: "60"}}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, waits, err := send(t, ctx, srv, http.MethodPut)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusConflict || len(waits) != 0 || len(srv.bodies) != 1 {
		t.Fatalf("status %d, waits %v, %d requests; want the 409 back without waiting", resp.StatusCode, waits, len(srv.bodies))
	}
	if e, ok := ParseError(runtime.NewResponseError(resp)); !ok || e.Code != "AnotherOperationInProgress" {
		t.Errorf("error %v, want AnotherOperationInProgress", e)
	}

	// A context that ends while waiting: the 409 again, not a hang.
	srv = &conflictServer{answers: []conflictAnswer{{status: http.StatusConflict, code: "AnotherOperationInProgress"}, {status: http.StatusConflict, code: "AnotherOperationInProgress"}}}
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	resp, _, err = send(t, ctx, srv, http.MethodPut)
	if err == nil && resp.StatusCode == http.StatusOK {
		t.Fatal("a cancelled context must not end in a retried success")
	}
}

func TestRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"Retry-After": {"3"}}, 3 * time.Second},
		{http.Header{"Retry-After-Ms": {"1500"}}, 1500 * time.Millisecond},
		{http.Header{"X-Ms-Retry-After-Ms": {"250"}}, 250 * time.Millisecond},
		{http.Header{"Retry-After": {"soon"}}, 0},
		{http.Header{}, 0},
	} {
		if got := retryAfter(tc.h); got != tc.want {
			t.Errorf("retryAfter(%v) = %v, want %v", tc.h, got, tc.want)
		}
	}
}
