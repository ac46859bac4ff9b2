package siterecovery

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/storage"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// stagingAccount is what enabling replication needs of a cache storage
// account: its id as created and its region.
type stagingAccount struct {
	id, location string
}

// findStorageAccount reads the storage account id names (false when there
// is none).
func findStorageAccount(r store.Reader, id string) (stagingAccount, bool, error) {
	a, ok, err := storage.Find(r, id)
	if err != nil || !ok {
		return stagingAccount{}, false, err
	}
	return stagingAccount{id: a.ID, location: a.Location}, true, nil
}
