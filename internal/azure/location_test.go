package azure_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// locationServer answers a Run Command with 202 and both polling URLs, and
// counts the polls of each.
type locationServer struct {
	mu             sync.Mutex
	status, result int
	// answer is the Location's answer to its n-th poll (1-based).
	answer func(n int, w http.ResponseWriter)
	// statusDoc is the status document.
	statusDoc string
}

func (s *locationServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	base := "http://" + r.Host
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/runCommand"):
		w.Header().Set("Location", base+"/result/1?api-version=2024-07-01")
		w.Header().Set("Azure-AsyncOperation", base+"/status/1?api-version=2024-07-01")
		w.Header().Set("Retry-After-Ms", "5")
		w.WriteHeader(http.StatusAccepted)
	case strings.HasPrefix(r.URL.Path, "/result/"):
		s.result++
		s.answer(s.result, w)
	case strings.HasPrefix(r.URL.Path, "/status/"):
		s.status++
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(s.statusDoc))
	default:
		http.NotFound(w, r)
	}
}

func runCommand(t *testing.T, s *locationServer) (armcompute.VirtualMachinesClientRunCommandResponse, error) {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := azure.NewClient(azure.Config{SubscriptionID: "00000000-0000-0000-0000-000000000001", ResourceManagerEndpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, resp, err := azure.PollLocation(ctx, c, func(ctx context.Context) (*runtime.Poller[armcompute.VirtualMachinesClientRunCommandResponse], error) {
		return c.VirtualMachines().BeginRunCommand(ctx, "rg", "vm", armcompute.RunCommandInput{CommandID: ptr("RunShellScript")}, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp == nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("first answer: %v, want the 202", resp)
	}
	return azure.Wait(ctx, p)
}

// The Location alone is polled: 202 while running, then the result, which
// is the operation's answer; the status URL is never asked.
func TestPollLocationPollsTheLocationOnly(t *testing.T) {
	s := &locationServer{answer: func(n int, w http.ResponseWriter) {
		if n < 3 {
			w.Header().Set("Retry-After-Ms", "5")
			w.WriteHeader(http.StatusAccepted)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"value":[{"code":"ProvisioningState/succeeded","message":"Enable succeeded: [stdout] hello"}]}`))
	}}
	res, err := runCommand(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Value) != 1 || res.Value[0].Message == nil || !strings.Contains(*res.Value[0].Message, "hello") {
		t.Fatalf("result: %+v", res.Value)
	}
	if s.result != 3 || s.status != 0 {
		t.Fatalf("polls: %d of the Location, %d of the status URL; want 3 and 0", s.result, s.status)
	}
}

// A failed operation's Location answers its error: the poller returns it.
func TestPollLocationReturnsTheOperationsError(t *testing.T) {
	s := &locationServer{answer: func(_ int, w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusConflict)
		_, _ = w.Write([]byte(`{"error":{"code":"OperationNotAllowed","message":"the VM is not running"}}`))
	}}
	_, err := runCommand(t, s)
	if err == nil || !strings.Contains(err.Error(), "OperationNotAllowed") {
		t.Fatalf("err = %v, want the operation's error", err)
	}
	if s.status != 0 {
		t.Fatalf("%d status polls, want none", s.status)
	}
}

// A Location answering a server error is ambiguous: the status URL says
// the operation failed, and its error is returned.
func TestPollLocationAsksTheStatusURLOnAServerError(t *testing.T) {
	s := &locationServer{statusDoc: `{"status":"Failed","error":{"code":"VMAgentStatusCommunicationError","message":"the VM agent did not answer"}}`,
		answer: func(_ int, w http.ResponseWriter) {
			w.Header().Set("Retry-After-Ms", "1")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"error":{"code":"InternalServerError","message":"boom"}}`))
		}}
	_, err := runCommand(t, s)
	if err == nil || !strings.Contains(err.Error(), "VMAgentStatusCommunicationError") {
		t.Fatalf("err = %v, want the status document's error", err)
	}
	if s.status != 1 {
		t.Fatalf("%d status polls, want 1", s.status)
	}
}

func ptr[T any](v T) *T { return &v }
