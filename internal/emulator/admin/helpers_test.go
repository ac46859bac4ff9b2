package admin_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

const (
	sub       = "11111111-2222-4333-8444-555555555555"
	armGroups = "/subscriptions/" + sub + "/resourcegroups/"
	// apiVersion is Microsoft.Resources' as the provider sends it.
	apiVersion = "2021-04-01"
)

// start runs an emulator and returns a client of its admin API.
func start(t *testing.T) (*emulator.Server, *admin.Client) {
	t.Helper()
	srv := emulatortest.Start(t, emulator.Options{})
	return srv, admin.New(srv.URL()+"/", admin.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}))
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// arm sends one ARM request (no body) to the emulator and returns its status.
func arm(t *testing.T, srv *emulator.Server, method, path string) int {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path+"?api-version="+apiVersion, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer test")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// estate is one subscription with a group, its network and one VM.
var estate = json.RawMessage(`{"subscriptions":[{"id":"` + sub + `","resourceGroups":[
	{"name":"rg-prod","location":"centralus",
	 "virtualNetworks":[{"name":"vnet-prod","addressSpace":["10.1.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.1.1.0/24"}]}],
	 "virtualMachines":[{"name":"vm-web-1","subnet":"vnet-prod/web","site":{"title":"Shop"}}]}]}]}`)

// wantError checks err is the admin API's answer with status and code.
func wantError(t *testing.T, err error, status int, code string) *admin.Error {
	t.Helper()
	var e *admin.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want an *admin.Error %d %s", err, err, status, code)
	}
	if e.StatusCode != status || e.Code != code || e.Message == "" || admin.StatusCode(err) != status {
		t.Fatalf("error %+v, want HTTP %d %s with a message", e, status, code)
	}
	return e
}
