package emulatortest

// Helpers for tests of the estate's VMs: their sites, canary writes, the
// admin API's /_emulator/vms and the armcompute and NIC clients.

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

// GetPage fetches a site's URL, returning the status and body.
func GetPage(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

// VMSite is the admin API's /_emulator/vms item: the admin client's type,
// so the tests read the shape the client does.
type VMSite = admin.VM

// VMSites reads the admin API's /_emulator/vms, by VM name.
func VMSites(t *testing.T, base string) map[string]VMSite {
	t.Helper()
	var out struct {
		Value []VMSite `json:"value"`
	}
	if resp := CallJSON(t, http.MethodGet, base+"/_emulator/vms", nil, &out); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /_emulator/vms: %d", resp.StatusCode)
	}
	sites := map[string]VMSite{}
	for _, s := range out.Value {
		sites[s.Name] = s
	}
	return sites
}

// EstateSeed has a production VM in centralus and a standby in eastus2.
const EstateSeed = `{"subscriptions":[{"id":"` + Subscription + `","resourceGroups":[
	{"name":"rg-prod","location":"centralus","virtualMachines":[
		{"name":"vm-web-1","tags":{"role":"web"},"site":{"title":"Milestone CMS"}},
		{"name":"vm-web-2","location":"East US 2"}
	]},
	{"name":"rg-standby","location":"eastus2","virtualMachines":[{"name":"vm-standby"}]}
]}]}`

// WantSeedRefused asserts that an emulator does not start with seed, and
// that the error mentions want (the item at fault).
func WantSeedRefused(t *testing.T, seed, want string) {
	t.Helper()
	srv, err := emulator.New(emulator.Options{DataDir: t.TempDir(), SeedFile: WriteSeed(t, seed)})
	if err == nil {
		_ = srv.Close()
		t.Fatal("bad seed accepted")
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not mention %s", err, want)
	}
}

// PostCanary POSTs /canary on a site, returning the status, the decoded
// answer (on 200) and the raw body.
func PostCanary(t *testing.T, siteURL, label string) (int, CanaryResult, string) {
	t.Helper()
	resp, err := http.Post(siteURL+"canary", "text/plain", strings.NewReader(label))
	if err != nil {
		t.Fatalf("POST %scanary: %v", siteURL, err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	var out CanaryResult
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("canary answer %q: %v", raw, err)
		}
	}
	return resp.StatusCode, out, string(raw)
}

// CanaryResult is a site's answer to a canary write.
type CanaryResult struct {
	VM        string    `json:"vm"`
	Version   int       `json:"version"`
	WrittenAt time.Time `json:"writtenAt"`
}

// VMClient is an armcompute VM client pointed at the emulator.
func VMClient(t *testing.T, url string) *armcompute.VirtualMachinesClient {
	t.Helper()
	c, err := armcompute.NewVirtualMachinesClient(Subscription, Credential{}, ClientOptions(url))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// NICClient is an armnetwork NIC client pointed at the emulator.
func NICClient(t *testing.T, url string) *armnetwork.InterfacesClient {
	t.Helper()
	c, err := armnetwork.NewInterfacesClient(Subscription, Credential{}, ClientOptions(url))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
