package azure

import (
	"context"
	"encoding/json"
	"log"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// Retrying Azure's retryable conflicts. azcore's retry policy (retryOptions)
// retries throttling (429) and server errors, never a 409: most conflicts
// are final (Conflict, InUseSubnetCannotBeDeleted). Two are not: a write
// refused because another operation runs on the resource or its parent
// (AnotherOperationInProgress: a network whose subnet is being written) and
// Network's RetryableError. Both mean "nothing was changed, ask again once
// the other operation is done". conflictPolicy asks again, for as long as
// the call's context (the resource's timeout) allows, so every Begin* call
// of every client gets it without a change at the call site.
//
// Only PUT and DELETE are retried: they are idempotent and their refusal
// changed nothing, so sending the same request again is what the caller
// meant. A PATCH or POST (Site Recovery's item updates, test failover
// cleanup) is left to its caller, which knows whether the request still
// applies once the other operation is done (internal/drill re-reads the
// item first).

// retryableConflictCodes are the 409 error codes that mean "try again".
var retryableConflictCodes = []string{"AnotherOperationInProgress", "RetryableError"}

// Delays between conflict retries without a Retry-After: doubling from the
// floor to the ceiling, with jitter so waiting writers do not retry in step.
// A network write takes seconds to a minute in Azure.
const (
	conflictMinDelay = 2 * time.Second
	conflictMaxDelay = 30 * time.Second
	// conflictMaxWait bounds the retries of a call whose context has no
	// deadline (the provider's calls always have one: their timeout).
	conflictMaxWait = 30 * time.Minute
)

// conflictPolicy retries retryable 409s. The zero delays take the
// constants above; tests set them, and sleep, to run without waiting.
type conflictPolicy struct {
	minDelay, maxDelay, maxWait time.Duration
	sleep                       func(ctx context.Context, d time.Duration) error
}

func newConflictPolicy() *conflictPolicy {
	return &conflictPolicy{minDelay: conflictMinDelay, maxDelay: conflictMaxDelay, maxWait: conflictMaxWait, sleep: sleepCtx}
}

func (p *conflictPolicy) Do(req *policy.Request) (*http.Response, error) {
	if m := req.Raw().Method; m != http.MethodPut && m != http.MethodDelete {
		return req.Next()
	}
	ctx := req.Raw().Context()
	start, delay := time.Now(), p.minDelay
	for attempt := 1; ; attempt++ {
		if err := req.RewindBody(); err != nil {
			return nil, err
		}
		resp, err := req.Clone(ctx).Next()
		if err != nil {
			return resp, err
		}
		code, retry := retryableConflict(resp)
		if !retry {
			return resp, nil
		}
		wait := retryAfter(resp.Header)
		if wait <= 0 {
			wait = delay/2 + rand.N(delay/2+1) // jitter: half to the full delay
			delay = min(2*delay, p.maxDelay)
		}
		// Give the 409 back, rather than a context error, when there is no
		// time left to wait: the caller then says what was in the way.
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= wait {
			return resp, nil
		}
		if time.Since(start)+wait > p.maxWait {
			return resp, nil
		}
		// The standard logger, not tflog: this package stays Terraform-free
		// (the harness and sweeper use it); the plugin's stderr reaches
		// Terraform's log.
		log.Printf("[INFO] azure: %s %s refused with %s while another operation runs; retry %d in %s",
			req.Raw().Method, req.Raw().URL.Path, code, attempt, wait)
		if err := p.sleep(ctx, wait); err != nil {
			return resp, nil // the caller's context ended: the 409 says why nothing happened
		}
	}
}

// retryableConflict reports whether resp is a 409 with one of the codes that
// mean "try again", and which. The body is read through runtime.Payload,
// which keeps it for the caller.
func retryableConflict(resp *http.Response) (string, bool) {
	if resp.StatusCode != http.StatusConflict {
		return "", false
	}
	code := resp.Header.Get("x-ms-error-code")
	if code == "" {
		if body, err := runtime.Payload(resp); err == nil {
			var env struct {
				Error struct {
					Code string `json:"code"`
				} `json:"error"`
			}
			if json.Unmarshal(body, &env) == nil {
				code = env.Error.Code
			}
		}
	}
	for _, c := range retryableConflictCodes {
		if strings.EqualFold(code, c) {
			return code, true
		}
	}
	return code, false
}

// retryAfter is the wait a response asks for (retry-after-ms,
// x-ms-retry-after-ms, or Retry-After in seconds or as an HTTP date), or 0.
func retryAfter(h http.Header) time.Duration {
	for _, name := range []string{"retry-after-ms", "x-ms-retry-after-ms"} {
		if v := h.Get(name); v != "" {
			if ms, err := strconv.Atoi(v); err == nil && ms > 0 {
				return time.Duration(ms) * time.Millisecond
			}
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
