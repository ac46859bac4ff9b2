package siterecovery

import (
	"encoding/json"
	"strings"

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
	raw, ok := r.Get(id)
	if !ok {
		return stagingAccount{}, false, nil
	}
	var head struct {
		ID       string `json:"id"`
		Type     string `json:"type"`
		Location string `json:"location"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return stagingAccount{}, false, err
	}
	if !strings.EqualFold(head.Type, "Microsoft.Storage/storageAccounts") {
		return stagingAccount{}, false, nil
	}
	return stagingAccount{id: head.ID, location: head.Location}, true, nil
}
