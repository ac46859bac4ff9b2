package storage

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
)

// The storage resource provider's refusals, with its codes and messages
// (learn.microsoft.com: "Resolve errors for storage account names" and
// "Error codes for the Create Storage Account API"; the kind/SKU mismatch
// code as Azure answered it, hashicorp/terraform-provider-azurerm#4842).

func storageError(status int, code, target, format string, args ...any) *arm.Error {
	return &arm.Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...), Target: target}
}

// accountNameInvalid: not 3-24 lower-case letters and digits.
func accountNameInvalid(name string) *arm.Error {
	return storageError(http.StatusBadRequest, "AccountNameInvalid", "name",
		"%s is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.", name)
}

// accountAlreadyTaken: the name belongs to an account of another
// subscription (names are unique across Azure).
func accountAlreadyTaken(name string) *arm.Error {
	return storageError(http.StatusConflict, "StorageAccountAlreadyTaken", "name",
		"The storage account named %s is already taken.", name)
}

// accountInAnotherResourceGroup: the name belongs to an account of another
// group of the same subscription.
func accountInAnotherResourceGroup(name string) *arm.Error {
	return storageError(http.StatusConflict, "StorageAccountInAnotherResourceGroup", "name",
		"The account %s is already in another resource group in this subscription.", name)
}

// invalidValues: a request parameter outside what the account can take.
func invalidValues(detail string, params ...string) *arm.Error {
	return storageError(http.StatusBadRequest, "InvalidValuesForRequestParameters", strings.Join(params, ","),
		"Values for request parameters are invalid: %s. %s", strings.Join(params, ", "), detail)
}

// invalidAccountType: a SKU name the storage resource provider does not
// know.
func invalidAccountType(sku string) *arm.Error {
	return storageError(http.StatusBadRequest, "InvalidAccountType", "sku.name",
		"The SKU specified is not valid: '%s'. Valid SKUs are %s.", sku, strings.Join(skuNames, ", "))
}

// accountTypeNotSupportedInLocation: a geo-redundant SKU in a region with
// no paired region to replicate to.
func accountTypeNotSupportedInLocation(sku, location string) *arm.Error {
	return storageError(http.StatusBadRequest, "AccountTypeNotSupportedInLocation", "sku.name",
		"The SKU '%s' is not supported in location '%s': it has no paired region to replicate to; use a locally or zone-redundant SKU.", sku, location)
}

// invalidAccessTier: an access tier the kind does not take (or missing
// where it is required).
func invalidAccessTier(format string, args ...any) *arm.Error {
	return storageError(http.StatusBadRequest, "InvalidAccessTier", "properties.accessTier", format, args...)
}

// conversionNotAllowed: a SKU change the account cannot make in place.
func conversionNotAllowed(from, to string) *arm.Error {
	return storageError(http.StatusBadRequest, "StorageAccountTypeConversionNotAllowed", "sku.name",
		"The SKU conversion from '%s' to '%s' is not supported for the storage account.", from, to)
}

// beingCreated: a write on an account whose creation has not finished.
func beingCreated(name string) *arm.Error {
	return storageError(http.StatusConflict, "StorageAccountBeingCreated", "",
		"The storage account %s is being created; retry once its creation has finished.", name)
}
