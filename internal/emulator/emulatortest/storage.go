package emulatortest

// Helpers for tests that need storage accounts (Site Recovery's cache
// accounts): the armstorage client and a creation run to the end.

import (
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"
)

// StorageClient is the real armstorage accounts client (api-version
// 2024-01-01) for subscription, pointed at the emulator, without retries.
func StorageClient(t *testing.T, url, subscription string) *armstorage.AccountsClient {
	t.Helper()
	opts := ClientOptions(url)
	opts.Retry.MaxRetries = -1
	c, err := armstorage.NewAccountsClient(subscription, Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// StorageAccountBody is a StorageV2 Standard_LRS account in location.
func StorageAccountBody(location string) armstorage.AccountCreateParameters {
	return armstorage.AccountCreateParameters{
		Location: Ptr(location),
		Kind:     Ptr(armstorage.KindStorageV2),
		SKU:      &armstorage.SKU{Name: Ptr(armstorage.SKUNameStandardLRS)},
	}
}

// CreateStorageAccount creates an account and waits for it, failing the
// test on an error.
func CreateStorageAccount(t *testing.T, c *armstorage.AccountsClient, group, name string, body armstorage.AccountCreateParameters) armstorage.Account {
	t.Helper()
	p, err := c.BeginCreate(Context(t), group, name, body, nil)
	resp, err := Done(t, p, err)
	if err != nil {
		t.Fatalf("creating storage account %s: %v", name, err)
	}
	return resp.Account
}
