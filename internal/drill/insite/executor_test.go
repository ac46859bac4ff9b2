package insite

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

// fakeARM serves a VM GET and Run Command as ARM does: POST answers 202
// with Location and Retry-After, the Location answers the
// RunCommandResult. It records the command ids and counts VM GETs and
// overlapping runs.
type fakeARM struct {
	osType  string
	gets    atomic.Int32
	mu      sync.Mutex
	running int
	overlap bool
	cmds    []string
	pending map[string]chan struct{} // run -> released when polled
}

func (f *fakeARM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/virtualMachines/vm-1"):
		f.gets.Add(1)
		fmt.Fprintf(w, `{"id":%q,"name":"vm-1","location":"westeurope","properties":{"storageProfile":{"osDisk":{"osType":%q}}}}`, r.URL.Path, f.osType)
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/runCommand"):
		var in struct {
			CommandID string   `json:"commandId"`
			Script    []string `json:"script"`
		}
		_ = json.NewDecoder(r.Body).Decode(&in)
		f.mu.Lock()
		f.running++
		if f.running > 1 {
			f.overlap = true
		}
		f.cmds = append(f.cmds, in.CommandID)
		n := len(f.cmds)
		f.mu.Unlock()
		w.Header().Set("Location", fmt.Sprintf("http://%s/operations/run-%d", r.Host, n))
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusAccepted)
	case strings.HasPrefix(r.URL.Path, "/operations/"):
		f.mu.Lock()
		f.running--
		f.mu.Unlock()
		if f.osType == "Windows" {
			fmt.Fprint(w, `{"value":[{"code":"ComponentStatus/StdOut/succeeded","level":"Info","displayStatus":"Provisioning succeeded","message":"##azuredr canary 0 begin\r\nTrue\r\nazuredr-canary d\r\n2026-12-04T03:00:00.0000000Z\r\n##azuredr canary 0 exit 0"},{"code":"ComponentStatus/StdErr/succeeded","level":"Info","displayStatus":"Provisioning succeeded","message":""}]}`)
			return
		}
		fmt.Fprint(w, `{"value":[{"code":"ProvisioningState/succeeded","level":"Info","displayStatus":"Provisioning succeeded","message":"Enable succeeded: \n[stdout]\n##azuredr canary 0 begin\nazuredr-canary d\n2026-12-04T03:00:00.000000000Z\n##azuredr canary 0 exit 0\n\n[stderr]\n\n"}]}`)
	default:
		http.Error(w, `{"error":{"code":"NotFound","message":"no"}}`, http.StatusNotFound)
	}
}

const vm1 = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-dr/providers/Microsoft.Compute/virtualMachines/vm-1"

func TestExecutorRunsCommandsForTheVMsOS(t *testing.T) {
	for _, osType := range []string{"Linux", "Windows"} {
		f := &fakeARM{osType: osType}
		srv := httptest.NewServer(f)
		c, err := azure.NewClient(azure.Config{SubscriptionID: "00000000-0000-0000-0000-000000000001", ResourceManagerEndpoint: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		e := NewExecutor(c)
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				o, out, err := e.Run(t.Context(), vm1, func(o OS) []string { return CanaryReadScript(o, CanaryPath(drill.CanaryFile{}, o)) })
				if err != nil {
					t.Errorf("%s: %v", osType, err)
					return
				}
				if m, err := ParseCanary(o, out.Stdout); err != nil || m.Label != "d" {
					t.Errorf("%s: marker %+v, %v", osType, m, err)
				}
			}()
		}
		wg.Wait()
		srv.Close()
		want := "RunShellScript"
		if osType == "Windows" {
			want = "RunPowerShellScript"
		}
		if len(f.cmds) != 2 || f.cmds[0] != want || f.cmds[1] != want {
			t.Errorf("%s: command ids %q, want %s twice", osType, f.cmds, want)
		}
		if f.gets.Load() != 1 {
			t.Errorf("%s: the VM was read %d times for its OS", osType, f.gets.Load())
		}
		if f.overlap {
			t.Errorf("%s: two Run Commands ran on one VM at once (Azure answers 409)", osType)
		}
	}
	if _, _, err := NewExecutor(nil).Run(t.Context(), "/subscriptions/s/vm", nil); err == nil {
		t.Error("a bad VM id ran")
	}
}
