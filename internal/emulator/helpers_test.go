package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

const (
	sub        = "00000000-0000-0000-0000-0000000000aa"
	apiVersion = "2021-04-01"
	// fast makes a 30 s resource group deletion take 30 ms.
	fast = 1000
)

func start(t *testing.T, opts emulator.Options) *emulator.Server {
	t.Helper()
	return emulatortest.Start(t, opts)
}

// groupsClient is the real SDK client pointed at the emulator; extra tweaks
// the client options (retries, mostly).
func groupsClient(t *testing.T, url string, extra ...func(*policy.ClientOptions)) *armresources.ResourceGroupsClient {
	t.Helper()
	return groupsClientFor(t, url, sub, extra...)
}

func groupsClientFor(t *testing.T, url, subscription string, extra ...func(*policy.ClientOptions)) *armresources.ResourceGroupsClient {
	t.Helper()
	opts := emulatortest.ClientOptions(url)
	for _, f := range extra {
		f(&opts.ClientOptions)
	}
	c, err := armresources.NewResourceGroupsClient(subscription, emulatortest.Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// noRetries makes the SDK report the first failure instead of retrying it.
func noRetries(o *policy.ClientOptions) { o.Retry.MaxRetries = -1 }

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func ptr[T any](v T) *T { return &v }

func createGroup(t *testing.T, c *armresources.ResourceGroupsClient, name, location string, tags map[string]*string) armresources.ResourceGroup {
	t.Helper()
	resp, err := c.CreateOrUpdate(ctx(t), name, armresources.ResourceGroup{Location: ptr(location), Tags: tags}, nil)
	if err != nil {
		t.Fatalf("creating %s: %v", name, err)
	}
	return resp.ResourceGroup
}

// wantARMError asserts err is the SDK's *azcore.ResponseError with code and
// status.
func wantARMError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("want %d %s, got %v", status, code, err)
	}
	if re.StatusCode != status || re.ErrorCode != code {
		t.Fatalf("want %d %s, got %d %s", status, code, re.StatusCode, re.ErrorCode)
	}
}

// call sends a raw request, authenticated unless the headers say otherwise,
// and returns the response with its body read.
func call(t *testing.T, method, url string, body any, header map[string]string) (*http.Response, []byte) {
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
	req, err := http.NewRequestWithContext(ctx(t), method, url, rd)
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

// callJSON is call with the response body decoded into out.
func callJSON(t *testing.T, method, url string, body any, out any) *http.Response {
	t.Helper()
	resp, raw := call(t, method, url, body, nil)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: decoding %s: %v", method, url, raw, err)
		}
	}
	return resp
}

func groupURL(base, name string) string {
	return base + "/subscriptions/" + sub + "/resourcegroups/" + name + "?api-version=" + apiVersion
}

// operation is the admin API's operation record.
type operation struct {
	ID              string  `json:"id"`
	Kind            string  `json:"kind"`
	ResourceID      string  `json:"resourceId"`
	Status          string  `json:"status"`
	PercentComplete float64 `json:"percentComplete"`
	Error           *struct {
		Code string `json:"code"`
	} `json:"error"`
}

func operations(t *testing.T, base, status string) []operation {
	t.Helper()
	var out struct {
		Value []operation `json:"value"`
	}
	url := base + "/_emulator/operations"
	if status != "" {
		url += "?status=" + status
	}
	if resp := callJSON(t, http.MethodGet, url, nil, &out); resp.StatusCode != http.StatusOK {
		t.Fatalf("listing operations: %d", resp.StatusCode)
	}
	return out.Value
}

// eventually polls cond until it holds, failing the test after a generous
// deadline. Tests wait for outcomes, never assert durations.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
