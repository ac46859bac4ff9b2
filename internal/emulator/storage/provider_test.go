package storage_test

import (
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/cacheaccount"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// TestProviderCacheAccounts: the provider's own client layer
// ((*azure.Client).StorageAccounts(), through package cacheaccount) creates
// and finds a site's cache account on the emulator as it would in Azure.
func TestProviderCacheAccounts(t *testing.T) {
	srv, _ := storageEnv(t)
	c, err := azure.NewClient(azure.Config{SubscriptionID: emulatortest.Subscription, ResourceManagerEndpoint: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	site := cacheaccount.Site{SubscriptionID: emulatortest.Subscription, ResourceGroup: "rg-dr", Name: "shop"}
	ctx := emulatortest.Context(t)
	id, err := cacheaccount.Ensure(ctx, c, site, "East US")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.EqualFold(id, cacheaccount.ID(site, "eastus")) {
		t.Fatalf("Ensure = %s, want %s", id, cacheaccount.ID(site, "eastus"))
	}
	again, err := cacheaccount.Ensure(ctx, c, site, "eastus")
	if err != nil || again != id {
		t.Fatalf("second Ensure = %s, %v", again, err)
	}
	if loc, err := cacheaccount.Location(ctx, c, id); err != nil || loc != "eastus" {
		t.Fatalf("Location = %s, %v", loc, err)
	}
	acct, err := c.StorageAccounts().GetProperties(ctx, "rg-dr", cacheaccount.Name(site, "eastus"), nil)
	if err != nil || *acct.Properties.MinimumTLSVersion != "TLS1_2" || *acct.Tags[tags.Role] != tags.RoleCacheStorage {
		t.Fatalf("the cache account as created: %v %+v", err, acct.Tags)
	}
}
