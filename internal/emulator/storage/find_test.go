package storage_test

import (
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/storage"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Find is what package siterecovery validates cache accounts with.
func TestFind(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	id := storage.AccountID("00000000-0000-0000-0000-0000000000aa", "rg-dr", "cachedr50")
	acct := &storage.Account{ID: id, Name: "cachedr50", Type: storage.AccountType, Location: "eastus", Kind: "StorageV2",
		SKU: storage.SKU{Name: "Standard_LRS", Tier: "Standard"}}
	vmID := "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-dr/providers/Microsoft.Compute/virtualMachines/cachedr51"
	if err := st.Update(func(tx *store.Tx) error {
		if err := service.PutJSON(tx, id, acct); err != nil {
			return err
		}
		return service.PutJSON(tx, vmID, acct)
	}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := storage.Find(st, strings.ToUpper(id))
	if err != nil || !ok || got.Location != "eastus" || got.SKU.Name != "Standard_LRS" || got.Kind != "StorageV2" {
		t.Fatalf("Find(upper-case id) = %+v, %v, %v", got, ok, err)
	}
	for _, other := range []string{vmID, id + "x", id + "/blobServices/default", "not an id"} {
		if _, ok, err := storage.Find(st, other); ok || err != nil {
			t.Fatalf("Find(%s) = %v, %v", other, ok, err)
		}
	}
}
