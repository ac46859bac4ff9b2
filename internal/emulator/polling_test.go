package emulator_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// Polling URLs in each provider's Azure shape (lro/polling.go): a network
// write polls at Microsoft.Network/locations/{region}/operations and
// operationResults, a vault write at {vault}/operationStatus and
// operationResults; each answers only at its own URLs.

func pollPaths(t *testing.T, resp *http.Response) (status, result *url.URL) {
	t.Helper()
	s, err1 := url.Parse(resp.Header.Get("Azure-AsyncOperation"))
	r, err2 := url.Parse(resp.Header.Get("Location"))
	if err1 != nil || err2 != nil || r.Path == "" {
		t.Fatalf("polling headers: %v", resp.Header)
	}
	checkPollingURL(t, "Location", resp.Header.Get("Location"))
	return s, r
}

func TestPollingURLsHaveTheirProvidersShape(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-poll", "centralus", nil)
	sub := "/subscriptions/" + emulatortest.Subscription
	group := sub + "/resourceGroups/rg-poll"

	resp, body := emulatortest.Call(t, http.MethodPut, srv.URL()+group+"/providers/Microsoft.Network/virtualNetworks/vnet-poll?api-version=2024-05-01",
		emulatortest.VNetBody("10.7.0.0/16"), nil)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("vnet PUT = %d %s", resp.StatusCode, body)
	}
	status, result := pollPaths(t, resp)
	id := status.Path[strings.LastIndex(status.Path, "/")+1:]
	if status.Path != sub+"/providers/Microsoft.Network/locations/centralus/operations/"+id ||
		result.Path != sub+"/providers/Microsoft.Network/locations/centralus/operationResults/"+id {
		t.Fatalf("network polling URLs: %s, %s", status.Path, result.Path)
	}
	var st statusDoc
	if r := emulatortest.CallJSON(t, http.MethodGet, status.String(), nil, &st); r.StatusCode != http.StatusOK || st.Name != id || st.ID != status.Path {
		t.Fatalf("status poll = %d %+v", r.StatusCode, st)
	}
	// The same operation at another region's URL, or at another shape's, is
	// not found.
	for _, wrong := range []string{
		strings.Replace(status.String(), "/centralus/", "/eastus/", 1),
		srv.URL() + sub + "/providers/Microsoft.Network/operationStatuses/" + id + "?api-version=2024-05-01",
		srv.URL() + sub + "/operationresults/" + id + "?api-version=2024-05-01",
	} {
		r, raw := emulatortest.Call(t, http.MethodGet, wrong, nil, nil)
		if r.StatusCode != http.StatusNotFound || r.Header.Get("x-ms-error-code") != "OperationNotFound" {
			t.Fatalf("GET %s = %d %s", wrong, r.StatusCode, raw)
		}
	}

	vault := group + "/providers/Microsoft.RecoveryServices/vaults/vault-poll"
	resp, body = emulatortest.Call(t, http.MethodPut, srv.URL()+vault+"?api-version=2023-04-01",
		map[string]any{"location": "centralus", "sku": map[string]string{"name": "Standard"}, "properties": map[string]any{}}, nil)
	// Azure answers a vault PUT at once (201, provisioningState
	// Succeeded, no polling headers); PATCH is the vault's long-running
	// write.
	if resp.StatusCode != http.StatusCreated || !strings.Contains(string(body), `"provisioningState":"Succeeded"`) ||
		resp.Header.Get("Azure-AsyncOperation") != "" || resp.Header.Get("Location") != "" {
		t.Fatalf("vault PUT = %d %v %s", resp.StatusCode, resp.Header, body)
	}
	resp, body = emulatortest.Call(t, http.MethodPatch, srv.URL()+vault+"?api-version=2023-04-01",
		map[string]any{"tags": map[string]string{"k": "v"}}, nil)
	if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusOK {
		t.Fatalf("vault PATCH = %d %s", resp.StatusCode, body)
	}
	status, result = pollPaths(t, resp)
	id = status.Path[strings.LastIndex(status.Path, "/")+1:]
	if status.Path != vault+"/operationStatus/"+id || result.Path != vault+"/operationResults/"+id {
		t.Fatalf("vault polling URLs: %s, %s", status.Path, result.Path)
	}
	if r, raw := emulatortest.Call(t, http.MethodGet, status.String(), nil, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("vault status poll = %d %s", r.StatusCode, raw)
	}
}
