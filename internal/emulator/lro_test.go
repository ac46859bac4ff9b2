package emulator_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
)

// statusDoc is the Azure-AsyncOperation document.
type statusDoc struct {
	ID              string          `json:"id"`
	Name            string          `json:"name"`
	Status          string          `json:"status"`
	StartTime       string          `json:"startTime"`
	EndTime         *string         `json:"endTime"`
	PercentComplete *float64        `json:"percentComplete"`
	Error           json.RawMessage `json:"error"`
}

func checkPollingURL(t *testing.T, header, raw string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Query().Get("api-version") == "" {
		t.Fatalf("%s = %q: want an absolute URL with api-version", header, raw)
	}
}

// TestDeleteInTheMiddle catches a deletion while it runs (time scale 1: it
// takes 30 s, far longer than the test).
func TestDeleteInTheMiddle(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	c := emulatortest.GroupsClient(t, srv.URL())
	emulatortest.CreateGroup(t, c, "rg-mid", "westeurope", nil)

	resp, body := emulatortest.Call(t, http.MethodDelete, emulatortest.GroupURL(srv.URL(), "rg-mid"), nil, nil)
	if resp.StatusCode != http.StatusAccepted || len(body) != 0 {
		t.Fatalf("DELETE = %d %s", resp.StatusCode, body)
	}
	// Azure answers a resource group deletion with Location only, at
	// /subscriptions/{sub}/operationresults/{id}.
	loc := resp.Header.Get("Location")
	if async := resp.Header.Get("Azure-AsyncOperation"); async != "" {
		t.Fatalf("Azure-AsyncOperation = %q, want none for a resource group deletion", async)
	}
	checkPollingURL(t, "Location", loc)
	if u, _ := url.Parse(loc); !strings.HasPrefix(u.Path, "/subscriptions/"+emulatortest.Subscription+"/operationresults/") {
		t.Fatalf("Location = %q, want /subscriptions/{sub}/operationresults/{id}", loc)
	}
	if s, _ := strconv.Atoi(resp.Header.Get("Retry-After")); s < 1 {
		t.Fatalf("Retry-After = %q", resp.Header.Get("Retry-After"))
	}
	if ms, _ := strconv.Atoi(resp.Header.Get("Retry-After-Ms")); ms < 50 {
		t.Fatalf("Retry-After-Ms = %q", resp.Header.Get("Retry-After-Ms"))
	}

	got, err := c.Get(emulatortest.Context(t), "rg-mid", nil)
	if err != nil || *got.Properties.ProvisioningState != "Deleting" {
		t.Fatalf("group during deletion: %v, %v", got.Properties, err)
	}

	if r, body := emulatortest.Call(t, http.MethodGet, loc, nil, nil); r.StatusCode != http.StatusAccepted || len(body) != 0 {
		t.Fatalf("location poll = %d %s", r.StatusCode, body)
	}

	// A second DELETE joins the same operation.
	again, _ := emulatortest.Call(t, http.MethodDelete, emulatortest.GroupURL(srv.URL(), "rg-mid"), nil, nil)
	if again.StatusCode != http.StatusAccepted || again.Header.Get("Location") != loc {
		t.Fatalf("second DELETE = %d %s", again.StatusCode, again.Header.Get("Location"))
	}

	// Writes on a group being deleted are refused.
	_, err = c.CreateOrUpdate(emulatortest.Context(t), "rg-mid", armresources.ResourceGroup{Location: emulatortest.Ptr("westeurope")}, nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "ResourceGroupBeingDeleted")
	_, err = c.Update(emulatortest.Context(t), "rg-mid", armresources.ResourceGroupPatchable{Tags: map[string]*string{}}, nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "ResourceGroupBeingDeleted")

	ops := emulatortest.Operations(t, srv.URL(), "InProgress")
	if len(ops) != 1 || ops[0].Kind != "Microsoft.Resources/resourceGroups/delete" || !strings.HasSuffix(ops[0].ResourceID, "/resourceGroups/rg-mid") {
		t.Fatalf("in-progress operations = %+v", ops)
	}
	if done := emulatortest.Operations(t, srv.URL(), "Succeeded"); len(done) != 0 {
		t.Fatalf("succeeded operations = %+v", done)
	}
}

// TestDeleteCompletesWithoutPolling: the scheduler finishes operations on
// time even when nobody polls.
func TestDeleteCompletesWithoutPolling(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{TimeScale: emulatortest.Fast})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-unpolled", "eastus", nil)
	resp, _ := emulatortest.Call(t, http.MethodDelete, emulatortest.GroupURL(srv.URL(), "rg-unpolled"), nil, nil)

	emulatortest.Eventually(t, "the deletion to succeed", func() bool {
		ops := emulatortest.Operations(t, srv.URL(), "Succeeded")
		return len(ops) == 1 && ops[0].PercentComplete == 100
	})
	if r, _ := emulatortest.Call(t, http.MethodGet, resp.Header.Get("Location"), nil, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("location after completion = %d", r.StatusCode)
	}
	if r, _ := emulatortest.Call(t, http.MethodGet, emulatortest.GroupURL(srv.URL(), "rg-unpolled"), nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("group after deletion = %d", r.StatusCode)
	}
}

func TestOperationsAreVisibleOnlyInTheirSubscription(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-scoped", "eastus", nil)
	resp, _ := emulatortest.Call(t, http.MethodDelete, emulatortest.GroupURL(srv.URL(), "rg-scoped"), nil, nil)
	other := strings.Replace(resp.Header.Get("Location"), emulatortest.Subscription, "00000000-0000-0000-0000-0000000000bb", 1)
	r, raw := emulatortest.Call(t, http.MethodGet, other, nil, nil)
	if r.StatusCode != http.StatusNotFound || r.Header.Get("x-ms-error-code") != "OperationNotFound" {
		t.Fatalf("foreign poll = %d %s", r.StatusCode, raw)
	}
}

// TestOperationsSurviveARestart: a deletion in flight when the emulator
// stops finishes after it starts again (here with a faster clock).
func TestOperationsSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	first := emulatortest.Start(t, emulator.Options{DataDir: dir})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, first.URL()), "rg-restart", "eastus", nil)
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, first.URL()), "rg-kept", "eastus", nil)
	if resp, _ := emulatortest.Call(t, http.MethodDelete, emulatortest.GroupURL(first.URL(), "rg-restart"), nil, nil); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("DELETE = %d", resp.StatusCode)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	second := emulatortest.Start(t, emulator.Options{DataDir: dir, TimeScale: 1e6})
	c := emulatortest.GroupsClient(t, second.URL())
	emulatortest.Eventually(t, "the resumed deletion", func() bool { return len(emulatortest.Operations(t, second.URL(), "InProgress")) == 0 })
	_, err := c.Get(emulatortest.Context(t), "rg-restart", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")
	if _, err := c.Get(emulatortest.Context(t), "rg-kept", nil); err != nil {
		t.Fatalf("untouched group lost: %v", err)
	}
	if ops := emulatortest.Operations(t, second.URL(), "Succeeded"); len(ops) != 1 {
		t.Fatalf("succeeded operations = %+v", ops)
	}
}
