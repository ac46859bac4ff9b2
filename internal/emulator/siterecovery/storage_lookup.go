package siterecovery

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/storage"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// storageAccountLocation finds a storage account by id (package storage)
// and returns its region.
func storageAccountLocation(r store.Reader, id string) (string, bool, error) {
	acct, ok, err := storage.Find(r, id)
	if err != nil || !ok {
		return "", false, err
	}
	return acct.Location, true, nil
}
