package replication

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/cacheaccount"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

// The cache storage account every replicated disk stages its writes in
// (A2A primaryStagingAzureStorageAccountId): the configured one, checked
// to be in the source region, or the site's own for that region, created
// on first use (cacheaccount.Ensure) and removed with the site.

// cacheAccount returns the cache account id to send for vm, "" with a
// diagnostic on cache_storage_account_id when it cannot be used.
func cacheAccount(ctx context.Context, c *azure.Client, configured string, s *site.Info, vm *sourceVM, diags *diag.Diagnostics) string {
	attr := path.Root("cache_storage_account_id")
	if configured == "" {
		id, err := cacheaccount.Ensure(ctx, c, cacheaccount.Site{SubscriptionID: c.SubscriptionID, ResourceGroup: s.RecoveryResourceGroup, Name: s.Name}, vm.Location)
		if err != nil {
			framework.AddAzureError(diags, "Cannot create the site's cache storage account in "+vm.Location, err)
			return ""
		}
		return id
	}
	loc, err := cacheaccount.Location(ctx, c, configured)
	switch {
	case azure.IsNotFound(err):
		diags.AddAttributeError(attr, "Cache storage account not found",
			fmt.Sprintf("%s does not exist. Create a standard storage account in %s (the source VM's region), or leave cache_storage_account_id unset and the provider creates the site's own.", configured, vm.Location))
	case err != nil:
		diags.AddAttributeError(attr, "Cannot read the cache storage account", azure.Describe(err))
	case !sameRegion(loc, vm.Location):
		addCacheRegionError(diags, configured, loc, vm)
	default:
		return configured
	}
	return ""
}

func sameRegion(a, b string) bool {
	return strings.EqualFold(strings.ReplaceAll(a, " ", ""), strings.ReplaceAll(b, " ", ""))
}

// addCacheRegionError refuses a cache account in region loc for vm (plan
// and apply say the same).
func addCacheRegionError(diags *diag.Diagnostics, id, loc string, vm *sourceVM) {
	diags.AddAttributeError(path.Root("cache_storage_account_id"), "Cache storage account outside the source region",
		fmt.Sprintf("%s is in %s, but %s runs in %s: Site Recovery stages a VM's writes in its own region. Use a storage account in %s, or leave cache_storage_account_id unset and the provider creates the site's own.",
			id, loc, vm.Name, vm.Location, vm.Location))
}
