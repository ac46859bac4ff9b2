// Package cacheaccount owns Site Recovery's cache storage accounts: the
// storage account in a replicated VM's source region that stages its disks'
// writes before they cross to the other region. Azure requires one on every
// A2A managed disk (primaryStagingAzureStorageAccountId), when replication is
// enabled and again at re-protect, in the new source region.
//
// Like the Azure portal, the provider creates one per site and source region
// when the configuration names none: in the site's recovery resource group
// (so it goes with the site), located in the source region, tagged as the
// provider's. The package is Terraform-free: the replicated VM resource and
// the failover drill (re-protect) both use it.
package cacheaccount

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// Site names where a site's cache accounts live: its recovery resource
// group (which the site deletes, with everything in it).
type Site struct {
	SubscriptionID string
	ResourceGroup  string // the site's recovery resource group
	Name           string // the azuredr_site's name
}

// Name is the cache account's name for site in region: storage account
// names are global, 3-24 lowercase letters and digits, so it is a fixed
// prefix and a digest of the site's group and the region.
func Name(site Site, region string) string {
	key := strings.ToLower(site.SubscriptionID + "/" + site.ResourceGroup + "/" + normalizeRegion(region))
	sum := sha256.Sum256([]byte(key))
	return "asrcache" + hex.EncodeToString(sum[:])[:16]
}

// ID is the ARM id of the cache account Name names.
func ID(site Site, region string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Storage/storageAccounts/%s",
		site.SubscriptionID, site.ResourceGroup, Name(site, region))
}

func normalizeRegion(r string) string { return strings.ToLower(strings.ReplaceAll(r, " ", "")) }

// Ensure returns the id of the site's cache account in region, creating it
// when it does not exist (StorageV2, Standard_LRS: what Site Recovery
// recommends for cache accounts; premium is neither needed nor allowed for
// a cache). An existing account of that name in another region is an error:
// a cache must be in the source region.
//
// The replicated VMs of a site enable in parallel and share the account:
// one Ensure per account runs at a time in the provider's process, and an
// account another process is creating is waited for.
func Ensure(ctx context.Context, c *azure.Client, site Site, region string) (string, error) {
	name := Name(site, region)
	unlock := lockName(strings.ToLower(site.SubscriptionID + "/" + name))
	defer unlock()
	got, err := c.StorageAccounts().GetProperties(ctx, site.ResourceGroup, name, nil)
	if err == nil && got.Properties != nil && got.Properties.ProvisioningState != nil &&
		*got.Properties.ProvisioningState != armstorage.ProvisioningStateSucceeded {
		if got, err = waitCreated(ctx, c, site.ResourceGroup, name); err != nil {
			return "", err
		}
	}
	switch {
	case err == nil:
		if loc := deref(got.Location); !strings.EqualFold(normalizeRegion(loc), normalizeRegion(region)) {
			return "", fmt.Errorf("cache storage account %s is in %s, not %s: Site Recovery needs the cache in the source region; delete it and apply again", deref(got.ID), loc, region)
		}
		return deref(got.ID), nil
	case !azure.IsNotFound(err):
		return "", fmt.Errorf("reading cache storage account %s: %w", name, err)
	}
	in := armstorage.AccountCreateParameters{
		Kind:     ptr(armstorage.KindStorageV2),
		Location: ptr(region),
		SKU:      &armstorage.SKU{Name: ptr(armstorage.SKUNameStandardLRS)},
		Tags: map[string]*string{
			tags.Role: ptr(tags.RoleCacheStorage),
			tags.Site: ptr(site.Name),
		},
		Properties: &armstorage.AccountPropertiesCreateParameters{
			MinimumTLSVersion:      ptr(armstorage.MinimumTLSVersionTLS12),
			AllowBlobPublicAccess:  ptr(false),
			EnableHTTPSTrafficOnly: ptr(true),
		},
	}
	poller, err := c.StorageAccounts().BeginCreate(ctx, site.ResourceGroup, name, in, nil)
	if err != nil {
		return "", fmt.Errorf("creating cache storage account %s in %s: %w", name, region, err)
	}
	res, err := azure.Wait(ctx, poller)
	if err != nil {
		return "", fmt.Errorf("creating cache storage account %s in %s: %w", name, region, err)
	}
	if id := deref(res.ID); id != "" {
		return id, nil
	}
	return ID(site, region), nil
}

// Location reads the region of the storage account id names, to check a
// configured cache account is in the source region.
func Location(ctx context.Context, c *azure.Client, id string) (string, error) {
	group, name, err := parseAccountID(id)
	if err != nil {
		return "", err
	}
	got, err := c.StorageAccounts().GetProperties(ctx, group, name, nil)
	if err != nil {
		return "", err
	}
	return deref(got.Location), nil
}

// parseAccountID splits a storage account id into its group and name.
func parseAccountID(id string) (group, name string, err error) {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	if len(parts) != 8 || !strings.EqualFold(parts[0], "subscriptions") || !strings.EqualFold(parts[2], "resourceGroups") ||
		!strings.EqualFold(parts[4], "providers") || !strings.EqualFold(parts[5], "Microsoft.Storage") || !strings.EqualFold(parts[6], "storageAccounts") {
		return "", "", fmt.Errorf("%q is not a storage account id (/subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Storage/storageAccounts/{name})", id)
	}
	return parts[3], parts[7], nil
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// RemoveAll deletes the site's cache accounts (those of every region,
// found by their tags in the site's recovery resource group), so deleting
// the site leaves none behind. Gone already is fine.
func RemoveAll(ctx context.Context, c *azure.Client, site Site) error {
	pager := c.StorageAccounts().NewListByResourceGroupPager(site.ResourceGroup, nil)
	var names []string
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if azure.IsNotFound(err) {
			return nil // the group is gone, and its accounts with it
		}
		if err != nil {
			return fmt.Errorf("listing the cache storage accounts of site %s: %w", site.Name, err)
		}
		for _, a := range page.Value {
			if a != nil && a.Name != nil && isCacheOf(a.Tags, site.Name) {
				names = append(names, *a.Name)
			}
		}
	}
	for _, name := range names {
		if _, err := c.StorageAccounts().Delete(ctx, site.ResourceGroup, name, nil); err != nil && !azure.IsNotFound(err) {
			return fmt.Errorf("deleting cache storage account %s: %w", name, err)
		}
	}
	return nil
}

// isCacheOf reports whether tags mark a cache account of the named site.
func isCacheOf(t map[string]*string, site string) bool {
	return strings.EqualFold(deref(t[tags.Role]), tags.RoleCacheStorage) && strings.EqualFold(deref(t[tags.Site]), site)
}

// locks serializes Ensure per account (the key's mutex).
var locks sync.Map

func lockName(key string) func() {
	m, _ := locks.LoadOrStore(key, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// waitCreated waits for an account someone else is creating.
func waitCreated(ctx context.Context, c *azure.Client, group, name string) (armstorage.AccountsClientGetPropertiesResponse, error) {
	var got armstorage.AccountsClientGetPropertiesResponse
	err := azure.Await(ctx, func(ctx context.Context) (bool, time.Duration, error) {
		var err error
		if got, err = c.StorageAccounts().GetProperties(ctx, group, name, nil); err != nil {
			return false, 0, err
		}
		st := got.Properties
		return st == nil || st.ProvisioningState == nil || *st.ProvisioningState == armstorage.ProvisioningStateSucceeded, 0, nil
	})
	return got, err
}
