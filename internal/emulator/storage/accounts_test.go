package storage_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// Storage accounts through the real armstorage v1.8.0 client and its
// poller, against an in-process emulator.

const (
	apiVersion = "2024-01-01"
	// otherSubscription holds accounts whose names the first one's cannot
	// take.
	otherSubscription = "00000000-0000-0000-0000-0000000000bb"
)

// storageEnv is an emulator with group rg-dr (eastus) and the client.
func storageEnv(t *testing.T) (*emulator.Server, *armstorage.AccountsClient) {
	t.Helper()
	t.Parallel()
	srv := emulatortest.Start(t, emulator.Options{TimeScale: emulatortest.Fast})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-dr", "eastus", nil)
	return srv, emulatortest.StorageClient(t, srv.URL(), emulatortest.Subscription)
}

func accountURL(base, sub, group, name string) string {
	return base + "/subscriptions/" + sub + "/resourceGroups/" + group + "/providers/Microsoft.Storage/storageAccounts/" + name + "?api-version=" + apiVersion
}

func TestCreateIsLongRunningAndGetReturnsTheAccount(t *testing.T) {
	_, c := storageEnv(t)
	body := emulatortest.StorageAccountBody("East US")
	body.Tags = map[string]*string{"role": emulatortest.Ptr("cache")}
	body.Properties = &armstorage.AccountPropertiesCreateParameters{MinimumTLSVersion: emulatortest.Ptr(armstorage.MinimumTLSVersionTLS12)}
	got := emulatortest.CreateStorageAccount(t, c, "rg-dr", "cachedr01", body)
	if got.Properties == nil || *got.Properties.ProvisioningState != armstorage.ProvisioningStateSucceeded {
		t.Fatalf("poller result: %+v", got.Properties)
	}
	resp, err := c.GetProperties(emulatortest.Context(t), "rg-dr", "cachedr01", nil)
	if err != nil {
		t.Fatal(err)
	}
	a := resp.Account
	wantID := "/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-dr/providers/Microsoft.Storage/storageAccounts/cachedr01"
	if *a.ID != wantID || *a.Type != "Microsoft.Storage/storageAccounts" || *a.Location != "eastus" || *a.Kind != armstorage.KindStorageV2 {
		t.Fatalf("account: id %s type %s location %s kind %s", *a.ID, *a.Type, *a.Location, *a.Kind)
	}
	if *a.SKU.Name != armstorage.SKUNameStandardLRS || *a.SKU.Tier != armstorage.SKUTierStandard || *a.Tags["role"] != "cache" {
		t.Fatalf("sku %s/%s tags %v", *a.SKU.Name, *a.SKU.Tier, a.Tags)
	}
	p := a.Properties
	if *p.PrimaryLocation != "eastus" || *p.StatusOfPrimary != armstorage.AccountStatusAvailable || p.SecondaryLocation != nil {
		t.Fatalf("locations: primary %s %s secondary %v", *p.PrimaryLocation, *p.StatusOfPrimary, p.SecondaryLocation)
	}
	if *p.PrimaryEndpoints.Blob != "https://cachedr01.blob.core.windows.net/" || *p.PrimaryEndpoints.Dfs != "https://cachedr01.dfs.core.windows.net/" {
		t.Fatalf("endpoints: %+v", p.PrimaryEndpoints)
	}
	if *p.MinimumTLSVersion != armstorage.MinimumTLSVersionTLS12 || !*p.EnableHTTPSTrafficOnly || *p.AccessTier != armstorage.AccessTierHot {
		t.Fatalf("tls %s https %v tier %s", *p.MinimumTLSVersion, *p.EnableHTTPSTrafficOnly, *p.AccessTier)
	}
	if p.CreationTime == nil || time.Since(*p.CreationTime) > time.Hour*24*365 {
		t.Fatalf("creationTime %v", p.CreationTime)
	}
}

// TestCreateAnswersAsTheStorageProviderDoes: 202 without a body, Location
// and Retry-After but no Azure-AsyncOperation; the Location URL answers 202
// while the account is created, then 200 with it.
func TestCreateAnswersAsTheStorageProviderDoes(t *testing.T) {
	t.Parallel()
	srv := emulatortest.Start(t, emulator.Options{TimeScale: 1})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-dr", "eastus", nil)
	body := map[string]any{"location": "eastus", "kind": "StorageV2", "sku": map[string]string{"name": "Standard_GRS"}}
	resp, raw := emulatortest.Call(t, http.MethodPut, accountURL(srv.URL(), emulatortest.Subscription, "rg-dr", "cachedr02"), body, nil)
	if resp.StatusCode != http.StatusAccepted || len(strings.TrimSpace(string(raw))) != 0 {
		t.Fatalf("PUT: %d %s", resp.StatusCode, raw)
	}
	loc := resp.Header.Get("Location")
	if loc == "" || resp.Header.Get("Azure-AsyncOperation") != "" || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("headers: %v", resp.Header)
	}
	poll, _ := emulatortest.Call(t, http.MethodGet, loc, nil, nil)
	if poll.StatusCode != http.StatusAccepted {
		t.Fatalf("poll while creating: %d", poll.StatusCode)
	}
	var during struct {
		Properties struct {
			ProvisioningState string `json:"provisioningState"`
		} `json:"properties"`
	}
	emulatortest.CallJSON(t, http.MethodGet, accountURL(srv.URL(), emulatortest.Subscription, "rg-dr", "cachedr02"), nil, &during)
	if during.Properties.ProvisioningState != "Creating" {
		t.Fatalf("GET while creating: %s", during.Properties.ProvisioningState)
	}
}
