package emulatortest

// Helpers the emulator's tests share, whatever namespace they test: SDK
// clients and raw calls against a running emulator, the admin API's
// operations, faults and stats, seeds, and waiting for outcomes.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

const (
	// Subscription is the subscription the tests' clients and seeds use.
	Subscription = "00000000-0000-0000-0000-0000000000aa"
	// APIVersion is the resource groups' api-version, for raw calls.
	APIVersion = "2021-04-01"
	// Fast is a time scale that makes a 30 s resource group deletion take
	// 30 ms.
	Fast = 1000
)

// GroupsClient is the real SDK client pointed at the emulator; extra tweaks
// the client options (retries, mostly).
func GroupsClient(t *testing.T, url string, extra ...func(*policy.ClientOptions)) *armresources.ResourceGroupsClient {
	t.Helper()
	return GroupsClientFor(t, url, Subscription, extra...)
}

// GroupsClientFor is GroupsClient for another subscription.
func GroupsClientFor(t *testing.T, url, subscription string, extra ...func(*policy.ClientOptions)) *armresources.ResourceGroupsClient {
	t.Helper()
	opts := ClientOptions(url)
	for _, f := range extra {
		f(&opts.ClientOptions)
	}
	c, err := armresources.NewResourceGroupsClient(subscription, Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// NoRetries makes the SDK report the first failure instead of retrying it.
func NoRetries(o *policy.ClientOptions) { o.Retry.MaxRetries = -1 }

// Context is the test's context with a deadline well inside Go's test
// timeout.
func Context(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// Ptr is a pointer to v, for the SDK's optional fields.
func Ptr[T any](v T) *T { return &v }

// CreateGroup creates (or updates) a resource group, failing the test on
// an error.
func CreateGroup(t *testing.T, c *armresources.ResourceGroupsClient, name, location string, tags map[string]*string) armresources.ResourceGroup {
	t.Helper()
	resp, err := c.CreateOrUpdate(Context(t), name, armresources.ResourceGroup{Location: Ptr(location), Tags: tags}, nil)
	if err != nil {
		t.Fatalf("creating %s: %v", name, err)
	}
	return resp.ResourceGroup
}

// WantARMError asserts err is the SDK's *azcore.ResponseError with code and
// status.
func WantARMError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("want %d %s, got %v", status, code, err)
	}
	if re.StatusCode != status || re.ErrorCode != code {
		t.Fatalf("want %d %s, got %d %s", status, code, re.StatusCode, re.ErrorCode)
	}
}

// Call sends a raw request, authenticated unless the headers say otherwise,
// and returns the response with its body read.
func Call(t *testing.T, method, url string, body any, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(Context(t), method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer test")
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, raw
}

// CallJSON is call with the response body decoded into out.
func CallJSON(t *testing.T, method, url string, body any, out any) *http.Response {
	t.Helper()
	resp, raw := Call(t, method, url, body, nil)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: decoding %s: %v", method, url, raw, err)
		}
	}
	return resp
}

// GroupURL is the raw URL of a resource group of Subscription.
func GroupURL(base, name string) string {
	return base + "/subscriptions/" + Subscription + "/resourcegroups/" + name + "?api-version=" + APIVersion
}

// Operation is the admin API's operation record: the admin client's type.
type Operation = admin.Operation

// Operations lists the admin API's operation records, of one status when
// status is not empty.
func Operations(t *testing.T, base, status string) []Operation {
	t.Helper()
	var out struct {
		Value []Operation `json:"value"`
	}
	url := base + "/_emulator/operations"
	if status != "" {
		url += "?status=" + status
	}
	if resp := CallJSON(t, http.MethodGet, url, nil, &out); resp.StatusCode != http.StatusOK {
		t.Fatalf("listing operations: %d", resp.StatusCode)
	}
	return out.Value
}

// Eventually polls cond until it holds, failing the test after a generous
// deadline. Tests wait for outcomes, never assert durations.
func Eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// WriteSeed writes a seed file in the test's temporary directory and
// returns its path.
func WriteSeed(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// AddFault posts a rule and returns its id.
func AddFault(t *testing.T, base, rule string) string {
	t.Helper()
	var out struct {
		ID string `json:"id"`
	}
	resp := CallJSON(t, http.MethodPost, base+"/_emulator/faults", rule, &out)
	if resp.StatusCode != http.StatusCreated || out.ID == "" {
		t.Fatalf("adding fault %s: %d", rule, resp.StatusCode)
	}
	return out.ID
}

// GetStats reads the admin API's request statistics.
func GetStats(t *testing.T, base string) StatsDoc {
	t.Helper()
	var s StatsDoc
	CallJSON(t, http.MethodGet, base+"/_emulator/stats", nil, &s)
	return s
}

// StatsDoc is the admin API's /_emulator/stats: the admin client's type.
type StatsDoc = admin.Stats

// Must returns a function that fails the test on an error (what names the
// call) and returns the value otherwise.
func Must[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}
