package storage

import (
	"regexp"
	"slices"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

// accountNameRule is Azure's: 3-24 lower-case letters and digits.
var accountNameRule = regexp.MustCompile(`^[a-z0-9]{3,24}$`)

// The kinds and SKUs of api-version 2024-01-01 (armstorage v1.8.0's
// Kind and SKUName).
var (
	kinds    = []string{"Storage", "StorageV2", "BlobStorage", "FileStorage", "BlockBlobStorage"}
	skuNames = []string{"Standard_LRS", "Standard_GRS", "Standard_RAGRS", "Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS",
		"Premium_LRS", "Premium_ZRS", "StandardV2_LRS", "StandardV2_GRS", "StandardV2_ZRS", "StandardV2_GZRS",
		"PremiumV2_LRS", "PremiumV2_ZRS"}
)

// skusByKind is which SKUs each kind takes, following "Storage account
// overview" (learn.microsoft.com/azure/storage/common/storage-account-overview):
// general-purpose v2 every standard redundancy plus premium page blobs
// (Premium_LRS); legacy general-purpose v1 and blob storage LRS, GRS and
// RA-GRS (v1 also premium page blobs); premium block blobs and premium file
// shares LRS or ZRS; the provisioned v2 SKUs are file shares' only.
var skusByKind = map[string][]string{
	"StorageV2":        {"Standard_LRS", "Standard_GRS", "Standard_RAGRS", "Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS", "Premium_LRS"},
	"Storage":          {"Standard_LRS", "Standard_GRS", "Standard_RAGRS", "Premium_LRS"},
	"BlobStorage":      {"Standard_LRS", "Standard_GRS", "Standard_RAGRS"},
	"BlockBlobStorage": {"Premium_LRS", "Premium_ZRS"},
	"FileStorage": {"Premium_LRS", "Premium_ZRS", "StandardV2_LRS", "StandardV2_GRS", "StandardV2_ZRS", "StandardV2_GZRS",
		"PremiumV2_LRS", "PremiumV2_ZRS"},
}

var tlsVersions = []string{"TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"}

// validateName refuses a name outside Azure's rule.
func validateName(name string) error {
	if !accountNameRule.MatchString(name) {
		return accountNameInvalid(name)
	}
	return nil
}

// validateKindAndSKU checks the kind and SKU on their own and together.
func validateKindAndSKU(kind, sku string) error {
	if kind == "" {
		return invalidValues("kind is required: one of "+strings.Join(kinds, ", ")+".", "kind")
	}
	if !slices.Contains(kinds, kind) {
		return invalidValues("'"+kind+"' is not a storage account kind; use one of "+strings.Join(kinds, ", ")+".", "kind")
	}
	if sku == "" {
		return invalidValues("sku.name is required, e.g. Standard_LRS.", "sku")
	}
	if !slices.Contains(skuNames, sku) {
		return invalidAccountType(sku)
	}
	if !slices.Contains(skusByKind[kind], sku) {
		return invalidValues("an account of kind "+kind+" takes the SKUs "+strings.Join(skusByKind[kind], ", ")+", not "+sku+".", "kind", "sku")
	}
	return nil
}

// tierOf is the SKU's tier, as the SKU name starts.
func tierOf(sku string) string {
	if strings.HasPrefix(sku, "Premium") {
		return "Premium"
	}
	return "Standard"
}

// geoRedundant reports whether the SKU replicates to the paired region.
func geoRedundant(sku string) bool {
	return strings.HasSuffix(sku, "GRS") || strings.HasSuffix(sku, "GZRS")
}

// readAccess reports whether the secondary is readable (RA-GRS, RA-GZRS).
func readAccess(sku string) bool { return strings.Contains(sku, "_RA") }

// secondaryOf is the region a geo-redundant account replicates to: the
// location's Azure paired region (a region without one takes no
// geo-redundant SKU).
func secondaryOf(location, sku string) (string, error) {
	if !geoRedundant(sku) {
		return "", nil
	}
	r, ok := regions.Lookup(location)
	if !ok || r.Pair == "" {
		return "", accountTypeNotSupportedInLocation(sku, location)
	}
	return r.Pair, nil
}

// accessTierFor resolves properties.accessTier for a new account: standard
// general-purpose v2 and blob storage accounts take Hot (the default for v2;
// blob storage requires it to be set, as the REST spec says), Cool or Cold;
// premium accounts report Premium and take nothing else; the other kinds
// have no tier.
func accessTierFor(kind, sku, requested string) (string, error) {
	hasTier := (kind == "StorageV2" || kind == "BlobStorage") && tierOf(sku) == "Standard"
	switch {
	case tierOf(sku) == "Premium" && (kind == "BlockBlobStorage" || kind == "StorageV2" || kind == "FileStorage"):
		if requested != "" && requested != "Premium" {
			return "", invalidAccessTier("The access tier '%s' is not allowed for a premium account; premium accounts have the tier Premium.", requested)
		}
		if kind == "FileStorage" {
			return "", nil
		}
		return "Premium", nil
	case !hasTier:
		if requested != "" {
			return "", invalidAccessTier("The access tier is not allowed for an account of kind %s; leave properties.accessTier unset.", kind)
		}
		return "", nil
	case requested == "":
		if kind == "BlobStorage" {
			return "", invalidAccessTier("properties.accessTier is required for an account of kind BlobStorage: Hot, Cool or Cold.")
		}
		return "Hot", nil
	case requested == "Hot" || requested == "Cool" || requested == "Cold":
		return requested, nil
	default:
		return "", invalidAccessTier("'%s' is not an access tier; use Hot, Cool or Cold.", requested)
	}
}

// validateTLS checks properties.minimumTlsVersion; "" keeps the default.
func validateTLS(v string) error {
	if v != "" && !slices.Contains(tlsVersions, v) {
		return invalidValues("'"+v+"' is not a TLS version; use one of "+strings.Join(tlsVersions, ", ")+".", "properties.minimumTlsVersion")
	}
	return nil
}

// conversionAllowed reports whether an account may change SKU in place:
// Azure changes redundancy between LRS, GRS and RA-GRS (and between ZRS,
// GZRS and RA-GZRS) by an update, never between standard and premium, and
// moves to or from zone redundancy only by a migration.
func conversionAllowed(from, to string) bool {
	if from == to {
		return true
	}
	groups := [][]string{
		{"Standard_LRS", "Standard_GRS", "Standard_RAGRS"},
		{"Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS"},
	}
	for _, g := range groups {
		if slices.Contains(g, from) && slices.Contains(g, to) {
			return true
		}
	}
	return false
}
