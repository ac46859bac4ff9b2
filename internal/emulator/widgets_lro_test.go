package emulator_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// These tests drive the generic long-running operation machinery through a
// test-only resource type (widgets_test.go) with the SDK's generic resources
// client, the way later types (vNets, Site Recovery) will be driven.

const widgetAPIVersion = "2024-01-01"

func startWithWidgets(t *testing.T, opts emulator.Options) *emulator.Server {
	t.Helper()
	if opts.DataDir == "" {
		opts.DataDir = t.TempDir()
	}
	srv, err := emulator.NewWithWidgets(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func widgetID(group, name string) string {
	return "/subscriptions/" + emulatortest.Subscription + "/resourceGroups/" + group + "/providers/Microsoft.Emulator/widgets/" + name
}

func resourcesClient(t *testing.T, url string) *armresources.Client {
	t.Helper()
	c, err := armresources.NewClient(emulatortest.Subscription, emulatortest.Credential{}, emulatortest.ClientOptions(url))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func putWidget(t *testing.T, c *armresources.Client, id string, props map[string]any) (armresources.GenericResource, error) {
	t.Helper()
	poller, err := c.BeginCreateOrUpdateByID(emulatortest.Context(t), id, widgetAPIVersion, armresources.GenericResource{
		Location: emulatortest.Ptr("eastus"), Properties: props,
	}, nil)
	if err != nil {
		return armresources.GenericResource{}, err
	}
	resp, err := poller.PollUntilDone(emulatortest.Context(t), nil)
	return resp.GenericResource, err
}

func provisioningState(r armresources.GenericResource) any {
	props, _ := r.Properties.(map[string]any)
	return props["provisioningState"]
}

func TestPutStyleOperationWithTheSDK(t *testing.T) {
	srv := startWithWidgets(t, emulator.Options{TimeScale: emulatortest.Fast})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-w", "eastus", nil)
	c := resourcesClient(t, srv.URL())
	id := widgetID("rg-w", "w1")

	created, err := putWidget(t, c, id, map[string]any{})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if *created.ID != id || provisioningState(created) != "Succeeded" {
		t.Fatalf("created = %+v", created)
	}
	if updated, err := putWidget(t, c, id, map[string]any{}); err != nil || provisioningState(updated) != "Succeeded" {
		t.Fatalf("update: %+v, %v", updated, err)
	}

	del, err := c.BeginDeleteByID(emulatortest.Context(t), id, widgetAPIVersion, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := del.PollUntilDone(emulatortest.Context(t), nil); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err = c.GetByID(emulatortest.Context(t), id, widgetAPIVersion, nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
}

func TestFailedOperationReportsItsError(t *testing.T) {
	srv := startWithWidgets(t, emulator.Options{TimeScale: emulatortest.Fast})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-w", "eastus", nil)
	c := resourcesClient(t, srv.URL())
	id := widgetID("rg-w", "doomed")

	_, err := putWidget(t, c, id, map[string]any{"fail": true})
	emulatortest.WantARMError(t, err, http.StatusOK, "Conflict") // the status document is a 200 carrying the error
	got, err := c.GetByID(emulatortest.Context(t), id, widgetAPIVersion, nil)
	if err != nil || provisioningState(got.GenericResource) != "Failed" {
		t.Fatalf("after failure: %+v, %v", got, err)
	}
	failed := emulatortest.Operations(t, srv.URL(), "Failed")
	if len(failed) != 1 || failed[0].Error == nil || failed[0].Error.Code != "Conflict" {
		t.Fatalf("failed operations = %+v", failed)
	}
}

// TestPutAnswersWithANonTerminalState catches a PUT in the middle: 201 with
// provisioningState Creating and both polling URLs; other writes on the
// resource are refused until it finishes.
func TestPutAnswersWithANonTerminalState(t *testing.T) {
	srv := startWithWidgets(t, emulator.Options{})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-w", "eastus", nil)
	url := srv.URL() + widgetID("rg-w", "slow") + "?api-version=" + widgetAPIVersion

	var body struct {
		Properties struct {
			ProvisioningState string `json:"provisioningState"`
		} `json:"properties"`
	}
	resp := emulatortest.CallJSON(t, http.MethodPut, url, map[string]any{"location": "eastus"}, &body)
	if resp.StatusCode != http.StatusCreated || body.Properties.ProvisioningState != "Creating" {
		t.Fatalf("PUT = %d %+v", resp.StatusCode, body)
	}
	checkPollingURL(t, "Azure-AsyncOperation", resp.Header.Get("Azure-AsyncOperation"))
	checkPollingURL(t, "Location", resp.Header.Get("Location"))

	for _, method := range []string{http.MethodPut, http.MethodDelete} {
		r, raw := emulatortest.Call(t, method, url, map[string]any{"location": "eastus"}, nil)
		if r.StatusCode != http.StatusConflict || r.Header.Get("x-ms-error-code") != "AnotherOperationInProgress" {
			t.Fatalf("%s during the PUT = %d %s", method, r.StatusCode, raw)
		}
	}
}

func TestWritesIntoAGroupBeingDeletedAreRefused(t *testing.T) {
	srv := startWithWidgets(t, emulator.Options{})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-going", "eastus", nil)
	emulatortest.Call(t, http.MethodDelete, emulatortest.GroupURL(srv.URL(), "rg-going"), nil, nil)

	_, err := resourcesClient(t, srv.URL()).BeginCreateOrUpdateByID(emulatortest.Context(t), widgetID("rg-going", "w"), widgetAPIVersion,
		armresources.GenericResource{Location: emulatortest.Ptr("eastus")}, nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "ResourceGroupBeingDeleted")

	_, err = resourcesClient(t, srv.URL()).BeginCreateOrUpdateByID(emulatortest.Context(t), widgetID("rg-absent", "w"), widgetAPIVersion,
		armresources.GenericResource{Location: emulatortest.Ptr("eastus")}, nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")
}

// TestGroupDeletionTakesItsResourcesWithIt: deleting a group removes every
// resource under it and cancels their unfinished operations.
func TestGroupDeletionTakesItsResourcesWithIt(t *testing.T) {
	srv := startWithWidgets(t, emulator.Options{TimeScale: emulatortest.Fast})
	groups := emulatortest.GroupsClient(t, srv.URL())
	emulatortest.CreateGroup(t, groups, "rg-parent", "eastus", nil)
	emulatortest.CreateGroup(t, groups, "rg-parent2", "eastus", nil) // shares a name prefix: must survive
	c := resourcesClient(t, srv.URL())
	if _, err := putWidget(t, c, widgetID("rg-parent", "done"), map[string]any{}); err != nil {
		t.Fatal(err)
	}
	if _, err := putWidget(t, c, widgetID("rg-parent2", "neighbour"), map[string]any{}); err != nil {
		t.Fatal(err)
	}
	// Ten simulated hours: still running when the group goes.
	slow := srv.URL() + widgetID("rg-parent", "slow") + "?api-version=" + widgetAPIVersion
	if r, raw := emulatortest.Call(t, http.MethodPut, slow, map[string]any{"location": "eastus", "properties": map[string]any{"durationSeconds": 36000}}, nil); r.StatusCode != http.StatusCreated {
		t.Fatalf("PUT slow = %d %s", r.StatusCode, raw)
	}

	poller, err := groups.BeginDelete(emulatortest.Context(t), "rg-parent", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := poller.PollUntilDone(emulatortest.Context(t), nil); err != nil {
		t.Fatal(err)
	}

	for _, name := range []string{"done", "slow"} {
		_, err := c.GetByID(emulatortest.Context(t), widgetID("rg-parent", name), widgetAPIVersion, nil)
		emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	}
	if _, err := c.GetByID(emulatortest.Context(t), widgetID("rg-parent2", "neighbour"), widgetAPIVersion, nil); err != nil {
		t.Fatalf("a resource of another group was deleted: %v", err)
	}
	canceled := emulatortest.Operations(t, srv.URL(), "Canceled")
	if len(canceled) != 1 || canceled[0].Error == nil || canceled[0].Error.Code != "OperationCanceled" {
		raw, _ := json.Marshal(canceled)
		t.Fatalf("canceled operations = %s", raw)
	}
	if n := len(emulatortest.Operations(t, srv.URL(), "InProgress")); n != 0 {
		t.Fatalf("%d operations still in progress", n)
	}
}

// TestUnknownOperationKindFailsCleanlyAfterRestart: an operation whose kind
// the restarted emulator does not know (a type removed, or a build without
// it) ends Failed instead of staying in progress forever.
func TestUnknownOperationKindFailsCleanlyAfterRestart(t *testing.T) {
	dir := t.TempDir()
	first := startWithWidgets(t, emulator.Options{DataDir: dir})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, first.URL()), "rg-w", "eastus", nil)
	url := first.URL() + widgetID("rg-w", "orphan") + "?api-version=" + widgetAPIVersion
	if r, _ := emulatortest.Call(t, http.MethodPut, url, map[string]any{"location": "eastus"}, nil); r.StatusCode != http.StatusCreated {
		t.Fatalf("PUT = %d", r.StatusCode)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	second := emulatortest.Start(t, emulator.Options{DataDir: dir}) // no widgets here
	if n := len(emulatortest.Operations(t, second.URL(), "InProgress")); n != 0 {
		t.Fatalf("%d operations stuck in progress", n)
	}
	failed := emulatortest.Operations(t, second.URL(), "Failed")
	if len(failed) != 1 || failed[0].Error == nil || failed[0].Error.Code != "InternalServerError" {
		t.Fatalf("failed operations = %+v", failed)
	}
}
