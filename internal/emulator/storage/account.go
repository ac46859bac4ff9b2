package storage

import (
	"encoding/json"
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
	// Identity and ExtendedLocation are kept as the body set them.
	Identity         json.RawMessage `json:"identity,omitempty"`
	ExtendedLocation json.RawMessage `json:"extendedLocation,omitempty"`
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
	IsHnsEnabled             *bool            `json:"isHnsEnabled,omitempty"`
	Encryption               encryption       `json:"encryption"`
	NetworkACLs              networkRuleSet   `json:"networkAcls"`
	KeyCreationTime          keyCreationTimes `json:"keyCreationTime"`
	// GeoReplicationStats is answered by a GET with
	// $expand=geoReplicationStats, for a geo-redundant account only.
	GeoReplicationStats *geoReplicationStats `json:"geoReplicationStats,omitempty"`
	// Settings are the writable properties kept and answered as set
	// (keptSettings), encoded beside the others.
	Settings settings `json:"-"`
}

// Endpoints are the service URLs of an account, derived from its name.
type Endpoints struct {
	Blob  string `json:"blob,omitempty"`
	Queue string `json:"queue,omitempty"`
	Table string `json:"table,omitempty"`
	File  string `json:"file,omitempty"`
	Web   string `json:"web,omitempty"`
	Dfs   string `json:"dfs,omitempty"`
	// InternetEndpoints and MicrosoftEndpoints are answered only when
	// routingPreference publishes them.
	InternetEndpoints  *Endpoints `json:"internetEndpoints,omitempty"`
	MicrosoftEndpoints *Endpoints `json:"microsoftEndpoints,omitempty"`
}

type encryption struct {
	KeySource                       string             `json:"keySource"`
	RequireInfrastructureEncryption bool               `json:"requireInfrastructureEncryption"`
	Services                        encryptionServices `json:"services"`
	// Identity and KeyVaultProperties (customer-managed keys) are kept as
	// set.
	Identity           json.RawMessage `json:"identity,omitempty"`
	KeyVaultProperties json.RawMessage `json:"keyvaultproperties,omitempty"`
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
	ResourceAccessRules []any  `json:"resourceAccessRules,omitempty"`
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

// geoReplicationStats is the replication status of a geo-redundant
// account (armstorage.GeoReplicationStats): the emulator replicates at
// once, so the secondary is Live and in sync as of the request.
type geoReplicationStats struct {
	Status                        string    `json:"status"`
	LastSyncTime                  time.Time `json:"lastSyncTime"`
	CanFailover                   bool      `json:"canFailover"`
	CanPlannedFailover            bool      `json:"canPlannedFailover"`
	PostFailoverRedundancy        string    `json:"postFailoverRedundancy"`
	PostPlannedFailoverRedundancy string    `json:"postPlannedFailoverRedundancy"`
}

// withGeoReplicationStats fills in the stats of a geo-redundant account
// (after a failover Azure leaves an account locally redundant; a planned
// failover keeps its redundancy).
func (acct *Account) withGeoReplicationStats(now time.Time) {
	if !geoRedundant(acct.SKU.Name) {
		return
	}
	zonal := strings.Contains(acct.SKU.Name, "GZRS")
	after := "Standard_LRS"
	if zonal {
		after = "Standard_ZRS"
	}
	acct.Properties.GeoReplicationStats = &geoReplicationStats{Status: "Live", LastSyncTime: now,
		CanFailover: true, CanPlannedFailover: true, PostFailoverRedundancy: after, PostPlannedFailoverRedundancy: acct.SKU.Name}
}
