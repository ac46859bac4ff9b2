package storage

import (
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// AccountType is the ARM type of a storage account.
const AccountType = "Microsoft.Storage/storageAccounts"

// storageNamespace is the resource provider the accounts' operations are
// polled at.
const storageNamespace = "Microsoft.Storage"

// Account is a storage account as stored and as ARM returns it (the fields
// of armstorage's Account that the emulator keeps).
type Account struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags,omitempty"`
	Kind       string            `json:"kind"`
	SKU        SKU               `json:"sku"`
	Properties AccountProperties `json:"properties"`
}

// SKU is the account's redundancy (Standard_LRS, Premium_ZRS, ...) and its
// tier (Standard or Premium, from the name).
type SKU struct {
	Name string `json:"name"`
	Tier string `json:"tier"`
}

// AccountProperties are the properties the storage resource provider
// returns for an account (armstorage.AccountProperties).
type AccountProperties struct {
	ProvisioningState        string           `json:"provisioningState"`
	CreationTime             time.Time        `json:"creationTime"`
	PrimaryLocation          string           `json:"primaryLocation"`
	StatusOfPrimary          string           `json:"statusOfPrimary"`
	SecondaryLocation        string           `json:"secondaryLocation,omitempty"`
	StatusOfSecondary        string           `json:"statusOfSecondary,omitempty"`
	PrimaryEndpoints         Endpoints        `json:"primaryEndpoints"`
	SecondaryEndpoints       *Endpoints       `json:"secondaryEndpoints,omitempty"`
	AccessTier               string           `json:"accessTier,omitempty"`
	MinimumTLSVersion        string           `json:"minimumTlsVersion"`
	SupportsHTTPSTrafficOnly bool             `json:"supportsHttpsTrafficOnly"`
	AllowBlobPublicAccess    bool             `json:"allowBlobPublicAccess"`
	AllowSharedKeyAccess     *bool            `json:"allowSharedKeyAccess,omitempty"`
	PublicNetworkAccess      string           `json:"publicNetworkAccess,omitempty"`
	IsHnsEnabled             bool             `json:"isHnsEnabled,omitempty"`
	Encryption               encryption       `json:"encryption"`
	NetworkACLs              networkRuleSet   `json:"networkAcls"`
	KeyCreationTime          keyCreationTimes `json:"keyCreationTime"`
}

// Endpoints are the service URLs of an account, derived from its name.
type Endpoints struct {
	Blob  string `json:"blob,omitempty"`
	Queue string `json:"queue,omitempty"`
	Table string `json:"table,omitempty"`
	File  string `json:"file,omitempty"`
	Web   string `json:"web,omitempty"`
	Dfs   string `json:"dfs,omitempty"`
}

type encryption struct {
	KeySource                       string             `json:"keySource"`
	RequireInfrastructureEncryption bool               `json:"requireInfrastructureEncryption"`
	Services                        encryptionServices `json:"services"`
}

type encryptionServices struct {
	Blob encryptionService `json:"blob"`
	File encryptionService `json:"file"`
}

type encryptionService struct {
	Enabled         bool      `json:"enabled"`
	KeyType         string    `json:"keyType"`
	LastEnabledTime time.Time `json:"lastEnabledTime"`
}

type networkRuleSet struct {
	Bypass              string `json:"bypass"`
	DefaultAction       string `json:"defaultAction"`
	IPRules             []any  `json:"ipRules"`
	VirtualNetworkRules []any  `json:"virtualNetworkRules"`
}

type keyCreationTimes struct {
	Key1 time.Time `json:"key1"`
	Key2 time.Time `json:"key2"`
}

// AccountID is the id of a storage account.
func AccountID(subscriptionID, group, name string) string {
	return "/subscriptions/" + subscriptionID + "/resourceGroups/" + group + "/providers/" + AccountType + "/" + name
}

// Find reads the storage account with id (any case). It reports false when
// nothing is stored there, or id is not a storage account's id.
func Find(r store.Reader, id string) (*Account, bool, error) {
	if !service.IsResourceKey(strings.ToLower(id), AccountType) {
		return nil, false, nil
	}
	return service.GetJSON[Account](r, id)
}

// allAccounts lists every storage account of the emulator, every
// subscription: names are global.
func allAccounts(r store.Reader) ([]*Account, error) {
	return service.Records[Account](r, "/subscriptions/", AccountType)
}

// accountNamed is the account of that name anywhere in the emulator.
func accountNamed(r store.Reader, name string) (*Account, bool, error) {
	all, err := allAccounts(r)
	if err != nil {
		return nil, false, err
	}
	for _, a := range all {
		if strings.EqualFold(a.Name, name) {
			return a, true, nil
		}
	}
	return nil, false, nil
}
