package storage_test

import (
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// One refusal per rule, each with the code the storage resource provider
// (or ARM in front of it) answers.

func body(location string, kind armstorage.Kind, sku armstorage.SKUName) armstorage.AccountCreateParameters {
	return armstorage.AccountCreateParameters{Location: emulatortest.Ptr(location), Kind: emulatortest.Ptr(kind),
		SKU: &armstorage.SKU{Name: emulatortest.Ptr(sku)}}
}

func TestCreateRefusals(t *testing.T) {
	srv, c := storageEnv(t)
	groups := emulatortest.GroupsClient(t, srv.URL())
	emulatortest.CreateGroup(t, groups, "rg-other", "eastus", nil)
	emulatortest.CreateGroup(t, emulatortest.GroupsClientFor(t, srv.URL(), otherSubscription), "rg-dr", "eastus", nil)
	emulatortest.CreateStorageAccount(t, c, "rg-dr", "takenhere", body("eastus", armstorage.KindStorageV2, armstorage.SKUNameStandardLRS))
	emulatortest.CreateStorageAccount(t, emulatortest.StorageClient(t, srv.URL(), otherSubscription), "rg-dr", "takenthere",
		body("eastus", armstorage.KindStorageV2, armstorage.SKUNameStandardLRS))
	hot := body("eastus", armstorage.KindStorage, armstorage.SKUNameStandardLRS)
	hot.Properties = &armstorage.AccountPropertiesCreateParameters{AccessTier: emulatortest.Ptr(armstorage.AccessTierHot)}
	noTierBlob := body("eastus", armstorage.KindBlobStorage, armstorage.SKUNameStandardLRS)
	oldTLS := body("eastus", armstorage.KindStorageV2, armstorage.SKUNameStandardLRS)
	oldTLS.Properties = &armstorage.AccountPropertiesCreateParameters{MinimumTLSVersion: emulatortest.Ptr(armstorage.MinimumTLSVersion("SSL3"))}
	noLocation := body("eastus", armstorage.KindStorageV2, armstorage.SKUNameStandardLRS)
	noLocation.Location = nil

	for _, tc := range []struct {
		name, group, account string
		body                 armstorage.AccountCreateParameters
		status               int
		code                 string
	}{
		{"upper-case name", "rg-dr", "CacheDR", body("eastus", armstorage.KindStorageV2, armstorage.SKUNameStandardLRS), 400, "AccountNameInvalid"},
		{"too short", "rg-dr", "ab", body("eastus", armstorage.KindStorageV2, armstorage.SKUNameStandardLRS), 400, "AccountNameInvalid"},
		{"too long", "rg-dr", "abcdefghijklmnopqrstuvwxy", body("eastus", armstorage.KindStorageV2, armstorage.SKUNameStandardLRS), 400, "AccountNameInvalid"},
		{"hyphen", "rg-dr", "cache-dr", body("eastus", armstorage.KindStorageV2, armstorage.SKUNameStandardLRS), 400, "AccountNameInvalid"},
		{"name of another subscription", "rg-dr", "takenthere", body("eastus", armstorage.KindStorageV2, armstorage.SKUNameStandardLRS), 409, "StorageAccountAlreadyTaken"},
		{"name of another group", "rg-other", "takenhere", body("eastus", armstorage.KindStorageV2, armstorage.SKUNameStandardLRS), 409, "StorageAccountInAnotherResourceGroup"},
		{"existing account, other location", "rg-dr", "takenhere", body("westus", armstorage.KindStorageV2, armstorage.SKUNameStandardLRS), 400, "InvalidResourceLocation"},
		{"no location", "rg-dr", "cachedr10", noLocation, 400, "LocationRequired"},
		{"unknown location", "rg-dr", "cachedr11", body("mars", armstorage.KindStorageV2, armstorage.SKUNameStandardLRS), 400, "LocationNotAvailableForResourceType"},
		{"unknown kind", "rg-dr", "cachedr12", body("eastus", armstorage.Kind("StorageV3"), armstorage.SKUNameStandardLRS), 400, "InvalidValuesForRequestParameters"},
		{"unknown sku", "rg-dr", "cachedr13", body("eastus", armstorage.KindStorageV2, armstorage.SKUName("Standard_XRS")), 400, "InvalidAccountType"},
		{"block blob storage is premium only", "rg-dr", "cachedr14", body("eastus", armstorage.KindBlockBlobStorage, armstorage.SKUNameStandardLRS), 400, "InvalidValuesForRequestParameters"},
		{"file storage is premium or v2", "rg-dr", "cachedr15", body("eastus", armstorage.KindFileStorage, armstorage.SKUNameStandardGRS), 400, "InvalidValuesForRequestParameters"},
		{"blob storage has no zone redundancy", "rg-dr", "cachedr16", body("eastus", armstorage.KindBlobStorage, armstorage.SKUNameStandardZRS), 400, "InvalidValuesForRequestParameters"},
		{"v2 premium has no zone redundancy", "rg-dr", "cachedr17", body("eastus", armstorage.KindStorageV2, armstorage.SKUNamePremiumZRS), 400, "InvalidValuesForRequestParameters"},
		{"geo-redundant without a paired region", "rg-dr", "cachedr18", body("polandcentral", armstorage.KindStorageV2, armstorage.SKUNameStandardGRS), 400, "AccountTypeNotSupportedInLocation"},
		{"access tier on a v1 account", "rg-dr", "cachedr19", hot, 400, "InvalidAccessTier"},
		{"blob storage without access tier", "rg-dr", "cachedr20", noTierBlob, 400, "InvalidAccessTier"},
		{"unknown TLS version", "rg-dr", "cachedr21", oldTLS, 400, "InvalidValuesForRequestParameters"},
		{"missing group", "rg-none", "cachedr22", body("eastus", armstorage.KindStorageV2, armstorage.SKUNameStandardLRS), 404, "ResourceGroupNotFound"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.BeginCreate(emulatortest.Context(t), tc.group, tc.account, tc.body, nil)
			emulatortest.WantARMError(t, err, tc.status, tc.code)
		})
	}
	// Nothing refused was stored: the subscription still holds one account.
	pager := c.NewListPager(nil)
	page, err := pager.NextPage(emulatortest.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Value) != 1 || *page.Value[0].Name != "takenhere" {
		t.Fatalf("accounts after the refusals: %d", len(page.Value))
	}
}

// TestWritesWhileCreatingAreRefused: at real time the 25 s creation is
// still running when the other writes arrive.
func TestWritesWhileCreatingAreRefused(t *testing.T) {
	t.Parallel()
	srv := emulatortest.Start(t, emulator.Options{TimeScale: 1})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-dr", "eastus", nil)
	c := emulatortest.StorageClient(t, srv.URL(), emulatortest.Subscription)
	create := body("eastus", armstorage.KindStorageV2, armstorage.SKUNameStandardLRS)
	if _, err := c.BeginCreate(emulatortest.Context(t), "rg-dr", "cachedr30", create, nil); err != nil {
		t.Fatal(err)
	}
	_, err := c.Delete(emulatortest.Context(t), "rg-dr", "cachedr30", nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "StorageAccountBeingCreated")
	_, err = c.Update(emulatortest.Context(t), "rg-dr", "cachedr30", armstorage.AccountUpdateParameters{Tags: map[string]*string{"a": emulatortest.Ptr("b")}}, nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "StorageAccountBeingCreated")
	_, err = c.BeginCreate(emulatortest.Context(t), "rg-dr", "cachedr30", create, nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "StorageAccountBeingCreated")
}
