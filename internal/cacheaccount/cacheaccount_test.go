package cacheaccount

import (
	"regexp"
	"testing"
)

// Storage account names are global: 3-24 lowercase letters and digits.
var accountName = regexp.MustCompile(`^[a-z0-9]{3,24}$`)

func TestNameIsAValidStableStorageAccountNamePerSiteAndRegion(t *testing.T) {
	site := Site{SubscriptionID: "00000000-0000-0000-0000-000000000001", ResourceGroup: "shop-dr", Name: "shop"}
	west := Name(site, "westeurope")
	if !accountName.MatchString(west) {
		t.Fatalf("Name = %q: not a valid storage account name", west)
	}
	if again := Name(site, "West Europe"); again != west {
		t.Errorf("the display name of the region gives %q, the short name %q: one region must give one account", again, west)
	}
	if north := Name(site, "northeurope"); north == west {
		t.Errorf("two regions give the same account %q: a cache must be in its source region", north)
	}
	other := site
	other.ResourceGroup = "blog-dr"
	if Name(other, "westeurope") == west {
		t.Errorf("two sites share the cache account %q", west)
	}
	if got, want := ID(site, "westeurope"), "/subscriptions/"+site.SubscriptionID+"/resourceGroups/shop-dr/providers/Microsoft.Storage/storageAccounts/"+west; got != want {
		t.Errorf("ID = %q, want %q", got, want)
	}
}

func TestParseAccountID(t *testing.T) {
	g, n, err := parseAccountID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct1")
	if err != nil || g != "rg" || n != "acct1" {
		t.Fatalf("parseAccountID = %q, %q, %v", g, n, err)
	}
	if _, _, err := parseAccountID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"); err == nil {
		t.Error("a vNet id was taken for a storage account id")
	}
}
