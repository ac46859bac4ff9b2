package siterecovery

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// storageAccountLocation finds a Microsoft.Storage/storageAccounts record by
// id and returns its region.
func storageAccountLocation(r store.Reader, id string) (string, bool, error) {
	acct, ok, err := service.GetJSON[struct {
		Location string `json:"location"`
	}](r, id)
	if err != nil || !ok {
		return "", false, err
	}
	return acct.Location, true, nil
}
