package azure

import "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"

// Storage client factories (api-version 2024-01-01 in armstorage v1.8.0):
// Site Recovery's cache storage accounts, which stage a replicated VM's
// writes in its source region before they cross to the recovery region.

// StorageAccounts returns the storage accounts client of the subscription.
func (c *Client) StorageAccounts() *armstorage.AccountsClient {
	return storageAccountsFactory.of(c)
}

var storageAccountsFactory = factory(armstorage.NewAccountsClient)
