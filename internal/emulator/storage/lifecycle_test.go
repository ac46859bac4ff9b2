package storage_test

import (
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

func names(t *testing.T, p interface {
	More() bool
}, next func() ([]*armstorage.Account, error)) []string {
	t.Helper()
	var out []string
	for p.More() {
		page, err := next()
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page {
			out = append(out, *a.Name)
		}
	}
	return out
}

func TestListByGroupAndSubscription(t *testing.T) {
	srv, c := storageEnv(t)
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-two", "westus", nil)
	emulatortest.CreateStorageAccount(t, c, "rg-dr", "cacheeast", emulatortest.StorageAccountBody("eastus"))
	emulatortest.CreateStorageAccount(t, c, "rg-two", "cachewest", emulatortest.StorageAccountBody("westus"))
	ctx := emulatortest.Context(t)
	byGroup := c.NewListByResourceGroupPager("rg-two", nil)
	got := names(t, byGroup, func() ([]*armstorage.Account, error) {
		p, err := byGroup.NextPage(ctx)
		return p.Value, err
	})
	if len(got) != 1 || got[0] != "cachewest" {
		t.Fatalf("rg-two lists %v", got)
	}
	all := c.NewListPager(nil)
	got = names(t, all, func() ([]*armstorage.Account, error) {
		p, err := all.NextPage(ctx)
		return p.Value, err
	})
	if len(got) != 2 {
		t.Fatalf("the subscription lists %v", got)
	}
	_, err := c.NewListByResourceGroupPager("rg-none", nil).NextPage(ctx)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")
}

func TestUpdateTagsAndSKU(t *testing.T) {
	_, c := storageEnv(t)
	emulatortest.CreateStorageAccount(t, c, "rg-dr", "cachedr40", emulatortest.StorageAccountBody("eastus"))
	ctx := emulatortest.Context(t)
	resp, err := c.Update(ctx, "rg-dr", "cachedr40", armstorage.AccountUpdateParameters{
		Tags: map[string]*string{"env": emulatortest.Ptr("dr")},
		SKU:  &armstorage.SKU{Name: emulatortest.Ptr(armstorage.SKUNameStandardRAGRS)},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := resp.Account.Properties
	if *resp.Account.Tags["env"] != "dr" || *resp.Account.SKU.Name != armstorage.SKUNameStandardRAGRS {
		t.Fatalf("updated: tags %v sku %s", resp.Account.Tags, *resp.Account.SKU.Name)
	}
	// East US replicates to its pair, West US, readable at -secondary.
	if p.SecondaryLocation == nil || *p.SecondaryLocation != "westus" || p.SecondaryEndpoints == nil ||
		*p.SecondaryEndpoints.Blob != "https://cachedr40-secondary.blob.core.windows.net/" {
		t.Fatalf("secondary: %v %+v", p.SecondaryLocation, p.SecondaryEndpoints)
	}
	for _, sku := range []armstorage.SKUName{armstorage.SKUNameStandardZRS, armstorage.SKUNamePremiumLRS} {
		_, err = c.Update(ctx, "rg-dr", "cachedr40", armstorage.AccountUpdateParameters{SKU: &armstorage.SKU{Name: emulatortest.Ptr(sku)}}, nil)
		emulatortest.WantARMError(t, err, http.StatusBadRequest, "StorageAccountTypeConversionNotAllowed")
	}
	_, err = c.Update(ctx, "rg-dr", "cachedr40", armstorage.AccountUpdateParameters{Kind: emulatortest.Ptr(armstorage.KindBlobStorage)}, nil)
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidValuesForRequestParameters")
	_, err = c.Update(ctx, "rg-dr", "nosuchacct", armstorage.AccountUpdateParameters{}, nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	got, err := c.GetProperties(ctx, "rg-dr", "cachedr40", nil)
	if err != nil || *got.Account.SKU.Name != armstorage.SKUNameStandardRAGRS {
		t.Fatalf("after the refused updates: %v %v", err, got.Account.SKU)
	}
}

// TestCreateAgainUpdates: a PUT on an existing account answers 200 at once
// with the account as updated.
func TestCreateAgainUpdates(t *testing.T) {
	srv, c := storageEnv(t)
	emulatortest.CreateStorageAccount(t, c, "rg-dr", "cachedr41", emulatortest.StorageAccountBody("eastus"))
	again := emulatortest.StorageAccountBody("eastus")
	again.SKU.Name = emulatortest.Ptr(armstorage.SKUNameStandardGRS)
	again.Tags = map[string]*string{"v": emulatortest.Ptr("2")}
	got := emulatortest.CreateStorageAccount(t, c, "rg-dr", "cachedr41", again)
	if *got.SKU.Name != armstorage.SKUNameStandardGRS || *got.Tags["v"] != "2" || *got.Properties.SecondaryLocation != "westus" {
		t.Fatalf("re-created: %s %v %v", *got.SKU.Name, got.Tags, got.Properties.SecondaryLocation)
	}
	resp, _ := emulatortest.Call(t, http.MethodPut, accountURL(srv.URL(), emulatortest.Subscription, "rg-dr", "cachedr41"),
		map[string]any{"location": "eastus", "kind": "StorageV2", "sku": map[string]string{"name": "Standard_GRS"}}, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT on an existing account: %d", resp.StatusCode)
	}
	premium := emulatortest.StorageAccountBody("eastus")
	premium.SKU.Name = emulatortest.Ptr(armstorage.SKUNamePremiumLRS)
	_, err := c.BeginCreate(emulatortest.Context(t), "rg-dr", "cachedr41", premium, nil)
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidValuesForRequestParameters")
}

func TestDelete(t *testing.T) {
	_, c := storageEnv(t)
	emulatortest.CreateStorageAccount(t, c, "rg-dr", "cachedr42", emulatortest.StorageAccountBody("eastus"))
	ctx := emulatortest.Context(t)
	if _, err := c.Delete(ctx, "rg-dr", "cachedr42", nil); err != nil {
		t.Fatal(err)
	}
	_, err := c.GetProperties(ctx, "rg-dr", "cachedr42", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	if _, err := c.Delete(ctx, "rg-dr", "cachedr42", nil); err != nil {
		t.Fatalf("deleting an absent account (204): %v", err)
	}
	// The name is free again, in any group.
	emulatortest.CreateStorageAccount(t, c, "rg-dr", "cachedr42", emulatortest.StorageAccountBody("eastus"))
}

func TestCheckNameAvailability(t *testing.T) {
	srv, c := storageEnv(t)
	emulatortest.CreateStorageAccount(t, c, "rg-dr", "cachedr43", emulatortest.StorageAccountBody("eastus"))
	// Asked from another subscription: names are global.
	other := emulatortest.StorageClient(t, srv.URL(), otherSubscription)
	check := func(name string) armstorage.CheckNameAvailabilityResult {
		t.Helper()
		resp, err := other.CheckNameAvailability(emulatortest.Context(t), armstorage.AccountCheckNameAvailabilityParameters{
			Name: emulatortest.Ptr(name), Type: emulatortest.Ptr("Microsoft.Storage/storageAccounts")}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return resp.CheckNameAvailabilityResult
	}
	if r := check("cachedr43"); *r.NameAvailable || *r.Reason != armstorage.ReasonAlreadyExists || r.Message == nil {
		t.Fatalf("taken name: %+v", r)
	}
	if r := check("Cache_DR"); *r.NameAvailable || *r.Reason != armstorage.ReasonAccountNameInvalid {
		t.Fatalf("invalid name: %+v", r)
	}
	if r := check("cachedr44"); !*r.NameAvailable || r.Reason != nil {
		t.Fatalf("free name: %+v", r)
	}
	// The SDK always sends the storage type (a constant): another one, raw.
	resp, _ := emulatortest.Call(t, http.MethodPost, srv.URL()+"/subscriptions/"+otherSubscription+
		"/providers/Microsoft.Storage/checkNameAvailability?api-version="+apiVersion,
		map[string]string{"name": "cachedr44", "type": "Microsoft.Compute/disks"}, nil)
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("x-ms-error-code") != "InvalidValuesForRequestParameters" {
		t.Fatalf("another type: %d %s", resp.StatusCode, resp.Header.Get("x-ms-error-code"))
	}
}

func TestGroupDeletionTakesItsAccounts(t *testing.T) {
	srv, c := storageEnv(t)
	emulatortest.CreateStorageAccount(t, c, "rg-dr", "cachedr45", emulatortest.StorageAccountBody("eastus"))
	groups := emulatortest.GroupsClient(t, srv.URL())
	p, err := groups.BeginDelete(emulatortest.Context(t), "rg-dr", nil)
	if _, err := emulatortest.Done[armresources.ResourceGroupsClientDeleteResponse](t, p, err); err != nil {
		t.Fatal(err)
	}
	emulatortest.CreateGroup(t, groups, "rg-dr", "eastus", nil)
	_, err = c.GetProperties(emulatortest.Context(t), "rg-dr", "cachedr45", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	emulatortest.CreateStorageAccount(t, c, "rg-dr", "cachedr45", emulatortest.StorageAccountBody("eastus"))
}

func TestRegionOutageRefusesTheRegionsAccounts(t *testing.T) {
	srv, c := storageEnv(t)
	emulatortest.CreateStorageAccount(t, c, "rg-dr", "cachedr46", emulatortest.StorageAccountBody("eastus"))
	emulatortest.AddFault(t, srv.URL(), `{"kind":"outage","region":"eastus"}`)
	_, err := c.GetProperties(emulatortest.Context(t), "rg-dr", "cachedr46", nil)
	emulatortest.WantARMError(t, err, http.StatusServiceUnavailable, "ServiceUnavailable")
	_, err = c.BeginCreate(emulatortest.Context(t), "rg-dr", "cachedr47", emulatortest.StorageAccountBody("eastus"), nil)
	emulatortest.WantARMError(t, err, http.StatusServiceUnavailable, "ServiceUnavailable")
	west := emulatortest.StorageAccountBody("westus")
	emulatortest.CreateStorageAccount(t, c, "rg-dr", "cachedr48", west)
}

// TestPremiumBlockBlobExample replays the REST spec's
// StorageAccountCreatePremiumBlockBlobStorage example (armstorage v1.8.0's
// ExampleAccountsClient_BeginCreate_storageAccountCreatePremiumBlockBlobStorage):
// its request, and the fields of its answer that are not placeholders.
func TestPremiumBlockBlobExample(t *testing.T) {
	_, c := storageEnv(t)
	req := armstorage.AccountCreateParameters{
		Kind: emulatortest.Ptr(armstorage.KindBlockBlobStorage), Location: emulatortest.Ptr("eastus"),
		Properties: &armstorage.AccountPropertiesCreateParameters{
			AllowSharedKeyAccess: emulatortest.Ptr(true),
			Encryption: &armstorage.Encryption{KeySource: emulatortest.Ptr(armstorage.KeySourceMicrosoftStorage),
				RequireInfrastructureEncryption: emulatortest.Ptr(false),
				Services: &armstorage.EncryptionServices{
					Blob: &armstorage.EncryptionService{Enabled: emulatortest.Ptr(true), KeyType: emulatortest.Ptr(armstorage.KeyTypeAccount)},
					File: &armstorage.EncryptionService{Enabled: emulatortest.Ptr(true), KeyType: emulatortest.Ptr(armstorage.KeyTypeAccount)}}},
			MinimumTLSVersion: emulatortest.Ptr(armstorage.MinimumTLSVersionTLS12),
		},
		SKU:  &armstorage.SKU{Name: emulatortest.Ptr(armstorage.SKUNamePremiumLRS)},
		Tags: map[string]*string{"key1": emulatortest.Ptr("value1"), "key2": emulatortest.Ptr("value2")},
	}
	a := emulatortest.CreateStorageAccount(t, c, "rg-dr", "sto4445", req)
	p := a.Properties
	if *a.SKU.Tier != armstorage.SKUTierPremium || *p.AccessTier != armstorage.AccessTierPremium || *p.AllowBlobPublicAccess ||
		!*p.EnableHTTPSTrafficOnly || *p.MinimumTLSVersion != armstorage.MinimumTLSVersionTLS12 {
		t.Fatalf("premium block blob account: %+v", p)
	}
	e := p.PrimaryEndpoints
	if *e.Blob != "https://sto4445.blob.core.windows.net/" || *e.Dfs != "https://sto4445.dfs.core.windows.net/" ||
		*e.Web != "https://sto4445.web.core.windows.net/" || e.Queue != nil || e.File != nil {
		t.Fatalf("endpoints: %+v", e)
	}
	if *p.Encryption.KeySource != armstorage.KeySourceMicrosoftStorage || !*p.Encryption.Services.Blob.Enabled ||
		*p.StatusOfPrimary != armstorage.AccountStatusAvailable || *a.Tags["key2"] != "value2" || !*p.AllowSharedKeyAccess {
		t.Fatalf("encryption/status/tags: %+v", p.Encryption)
	}
}
