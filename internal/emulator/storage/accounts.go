package storage

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// storageAccounts serves Microsoft.Storage/storageAccounts (Accounts_* of
// the 2024-01-01 REST spec). A new account's PUT answers 202 with only a
// Location header (and Retry-After), as the storage resource provider does;
// the Location URL answers 202 until the account is provisioned, then 200
// with the account. A PUT on an existing account of the same group updates
// it and answers 200 at once. PATCH and DELETE are synchronous (the SDK
// accepts only 200 for Update, 200/204 for Delete).
type storageAccounts struct {
	s *Service
}

const (
	accountPath          = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Storage/storageAccounts/{accountName}"
	accountGroupListPath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Storage/storageAccounts"
	accountListPath      = "/subscriptions/{subscriptionId}/providers/Microsoft.Storage/storageAccounts"
	checkNamePath        = "/subscriptions/{subscriptionId}/providers/Microsoft.Storage/checkNameAvailability"

	// accountCreateDuration is the simulated time a creation takes: Azure
	// typically provisions an account in 20-30 seconds.
	accountCreateDuration = 25 * time.Second
	// kindAccountCreate is persisted with unfinished operations: never
	// rename it.
	kindAccountCreate = AccountType + "/write"
	stateCreating     = "Creating"
)

func (a *storageAccounts) Routes() []service.Route {
	return []service.Route{
		{Method: http.MethodPut, Pattern: accountPath, Operation: "StorageAccounts_Create", Handle: a.put},
		{Method: http.MethodGet, Pattern: accountPath, Operation: "StorageAccounts_GetProperties", Handle: a.get},
		{Method: http.MethodPatch, Pattern: accountPath, Operation: "StorageAccounts_Update", Handle: a.patch},
		{Method: http.MethodDelete, Pattern: accountPath, Operation: "StorageAccounts_Delete", Handle: a.delete},
		{Method: http.MethodGet, Pattern: accountGroupListPath, Operation: "StorageAccounts_ListByResourceGroup", Handle: a.list},
		{Method: http.MethodGet, Pattern: accountListPath, Operation: "StorageAccounts_List", Handle: a.list},
		{Method: http.MethodPost, Pattern: checkNamePath, Operation: "StorageAccounts_CheckNameAvailability", Handle: a.checkName},
	}
}

func (a *storageAccounts) OperationKinds() []lro.Kind {
	return []lro.Kind{lro.ProvisioningKind(kindAccountCreate, storageNamespace, accountCreateDuration)}
}

// accountInput is the body of Create (AccountCreateParameters) and Update
// (AccountUpdateParameters): the fields the emulator acts on.
type accountInput struct {
	Location *string           `json:"location"`
	Kind     string            `json:"kind"`
	Tags     map[string]string `json:"tags"`
	SKU      *struct {
		Name string `json:"name"`
	} `json:"sku"`
	Properties       *propertiesInput `json:"properties"`
	Identity         json.RawMessage  `json:"identity"`
	ExtendedLocation json.RawMessage  `json:"extendedLocation"`
}

type propertiesInput struct {
	AccessTier               string `json:"accessTier"`
	MinimumTLSVersion        string `json:"minimumTlsVersion"`
	SupportsHTTPSTrafficOnly *bool  `json:"supportsHttpsTrafficOnly"`
	AllowBlobPublicAccess    *bool  `json:"allowBlobPublicAccess"`
	AllowSharedKeyAccess     *bool  `json:"allowSharedKeyAccess"`
	PublicNetworkAccess      string `json:"publicNetworkAccess"`
	IsHnsEnabled             *bool  `json:"isHnsEnabled"`
	Encryption               *struct {
		KeySource                       string          `json:"keySource"`
		RequireInfrastructureEncryption *bool           `json:"requireInfrastructureEncryption"`
		Identity                        json.RawMessage `json:"identity"`
		KeyVaultProperties              json.RawMessage `json:"keyvaultproperties"`
	} `json:"encryption"`
	NetworkACLs *struct {
		Bypass              string `json:"bypass"`
		DefaultAction       string `json:"defaultAction"`
		IPRules             []any  `json:"ipRules"`
		VirtualNetworkRules []any  `json:"virtualNetworkRules"`
		ResourceAccessRules []any  `json:"resourceAccessRules"`
	} `json:"networkAcls"`
	// raw is the whole properties object, for the kept settings.
	raw map[string]json.RawMessage
}

func (in *accountInput) skuName() string {
	if in.SKU == nil {
		return ""
	}
	return in.SKU.Name
}

func (in *accountInput) props() propertiesInput {
	if in.Properties == nil {
		return propertiesInput{}
	}
	return *in.Properties
}

func (a *storageAccounts) put(req *service.Request) (arm.Response, error) {
	name := req.Param("accountName")
	var in accountInput
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	var resp arm.Response
	err := a.s.Store.Update(func(tx *store.Tx) error {
		// ARM answers for the group before the storage provider sees the body.
		sub := req.Param("subscriptionId")
		rg, err := resources.RequireWritableGroup(a.s.Ops, tx, sub, req.Param("resourceGroupName"))
		if err != nil {
			return err
		}
		location, err := validateCreate(name, &in)
		if err != nil {
			return err
		}
		id := AccountID(sub, rg.Name, name)
		if err := a.checkNameFree(tx, name, id, sub); err != nil {
			return err
		}
		cur, exists, err := Find(tx, id)
		if err != nil {
			return err
		}
		if exists {
			resp, err = a.recreate(tx, cur, rg.Name, location, &in)
			return err
		}
		acct, err := a.newAccount(id, name, location, &in)
		if err != nil {
			return err
		}
		op, err := a.s.Ops.Start(tx, lro.Spec{Kind: kindAccountCreate, ResourceID: acct.ID, Location: acct.Location,
			Method: http.MethodPut, APIVersion: req.APIVersion})
		if err != nil {
			return err
		}
		resp = locationOnly(a.s.Ops.Accepted(req.Base, op))
		return service.PutJSON(tx, acct.ID, acct)
	})
	return resp, err
}

// validateCreate checks a creation's name, location, kind and SKU,
// returning the canonical location.
func validateCreate(name string, in *accountInput) (string, error) {
	if err := validateName(name); err != nil {
		return "", err
	}
	if in.Location == nil {
		return "", arm.LocationRequired()
	}
	location, err := service.ResourceLocation(*in.Location, AccountType)
	if err != nil {
		return "", err
	}
	return location, validateKindAndSKU(in.Kind, in.skuName())
}

// locationOnly drops Azure-AsyncOperation from a 202: the storage resource
// provider answers a creation with Location (and Retry-After) alone, and
// azcore then polls Location until it returns the account.
func locationOnly(r arm.Response) arm.Response {
	r.Header = r.Header.Clone()
	r.Header.Del("Azure-AsyncOperation")
	return r
}

// checkNameFree refuses a name another account holds: in another group of
// the subscription, or in another subscription (names are global).
func (a *storageAccounts) checkNameFree(r store.Reader, name, id, subscriptionID string) error {
	other, ok, err := accountNamed(r, name)
	if err != nil || !ok || strings.EqualFold(other.ID, id) {
		return err
	}
	if strings.HasPrefix(strings.ToLower(other.ID), strings.ToLower("/subscriptions/"+subscriptionID+"/")) {
		return accountInAnotherResourceGroup(name)
	}
	return accountAlreadyTaken(name)
}

// newAccount is the account a creation stores, provisioningState Creating.
func (a *storageAccounts) newAccount(id, name, location string, in *accountInput) (*Account, error) {
	p := in.props()
	tier, err := accessTierFor(in.Kind, in.skuName(), p.AccessTier)
	if err != nil {
		return nil, err
	}
	secondary, err := secondaryOf(location, in.skuName())
	if err != nil {
		return nil, err
	}
	now := a.s.Clock.Now().UTC()
	acct := &Account{
		ID: id, Name: name, Type: AccountType, Location: location, Tags: in.Tags, Kind: in.Kind,
		SKU: SKU{Name: in.skuName(), Tier: tierOf(in.skuName())},
		Properties: AccountProperties{
			ProvisioningState: stateCreating, CreationTime: now,
			PrimaryLocation: location, StatusOfPrimary: "available", AccessTier: tier,
			// The REST spec: "The default interpretation is TLS 1.0".
			MinimumTLSVersion: "TLS1_0", SupportsHTTPSTrafficOnly: true, AllowBlobPublicAccess: false,
			Encryption: encryption{KeySource: "Microsoft.Storage", Services: encryptionServices{
				Blob: encryptionService{Enabled: true, KeyType: "Account", LastEnabledTime: now},
				File: encryptionService{Enabled: true, KeyType: "Account", LastEnabledTime: now},
			}},
			NetworkACLs:     networkRuleSet{Bypass: "AzureServices", DefaultAction: "Allow", IPRules: []any{}, VirtualNetworkRules: []any{}},
			KeyCreationTime: keyCreationTimes{Key1: now, Key2: now},
		},
	}
	acct.Identity, acct.ExtendedLocation = in.Identity, in.ExtendedLocation
	acct.setReplication(secondary)
	if err := applyProperties(acct, p); err != nil {
		return nil, err
	}
	return acct, nil
}

// recreate answers a PUT on an existing account: the same location, a
// kind it may become and a SKU it may convert to; the account is updated
// and returned at once (200), as Azure does.
func (a *storageAccounts) recreate(tx *store.Tx, cur *Account, group, location string, in *accountInput) (arm.Response, error) {
	if cur.Location != location {
		return arm.Response{}, arm.InvalidResourceLocation(cur.Name, group, cur.Location, location)
	}
	if err := a.writable(tx, cur); err != nil {
		return arm.Response{}, err
	}
	if in.Kind != cur.Kind && !(cur.Kind == "Storage" && in.Kind == "StorageV2") {
		return arm.Response{}, invalidValues("an account of kind "+cur.Kind+" cannot become "+in.Kind+" (only Storage can be upgraded to StorageV2).", "kind")
	}
	if !conversionAllowed(cur.SKU.Name, in.skuName()) {
		return arm.Response{}, invalidValues("the account's SKU "+cur.SKU.Name+" cannot be changed to "+in.skuName()+" in place.", "sku")
	}
	p := in.props()
	if err := a.changeSKU(cur, in.skuName()); err != nil {
		return arm.Response{}, err
	}
	cur.Kind, cur.Tags, cur.Identity = in.Kind, in.Tags, in.Identity
	if in.ExtendedLocation != nil {
		cur.ExtendedLocation = in.ExtendedLocation
	}
	if p.AccessTier != "" || cur.Properties.AccessTier == "" {
		tier, err := accessTierFor(cur.Kind, cur.SKU.Name, p.AccessTier)
		if err != nil {
			return arm.Response{}, err
		}
		cur.Properties.AccessTier = tier
	}
	if err := applyProperties(cur, p); err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, cur), service.PutJSON(tx, cur.ID, cur)
}

// writable refuses a write on an account still being created.
func (a *storageAccounts) writable(r store.Reader, acct *Account) error {
	if _, busy, err := a.s.Ops.InFlight(r, acct.ID); err != nil || busy {
		if err == nil {
			err = beingCreated(acct.Name)
		}
		return err
	}
	return nil
}

// changeSKU moves the account to sku (already checked to be allowed),
// with the secondary region that goes with it.
func (a *storageAccounts) changeSKU(acct *Account, sku string) error {
	secondary, err := secondaryOf(acct.Location, sku)
	if err != nil {
		return err
	}
	acct.SKU = SKU{Name: sku, Tier: tierOf(sku)}
	acct.setReplication(secondary)
	return nil
}

// setReplication fills in the endpoints and the secondary region for the
// account's kind and SKU.
func (acct *Account) setReplication(secondary string) {
	acct.Properties.PrimaryEndpoints = endpointsOf(acct.Name, acct.Kind, "")
	acct.setRoutingEndpoints()
	acct.Properties.SecondaryLocation, acct.Properties.StatusOfSecondary, acct.Properties.SecondaryEndpoints = "", "", nil
	if secondary == "" {
		return
	}
	acct.Properties.SecondaryLocation, acct.Properties.StatusOfSecondary = secondary, "available"
	if readAccess(acct.SKU.Name) {
		e := endpointsOf(acct.Name, acct.Kind, "-secondary")
		e.File = "" // files have no read-access secondary
		acct.Properties.SecondaryEndpoints = &e
	}
}

// setRoutingEndpoints answers the Microsoft-routing and internet-routing
// endpoints routingPreference publishes (internet routing serves blob,
// file, web and dfs only).
func (acct *Account) setRoutingEndpoints() {
	r := acct.Properties.Settings.routing()
	e := &acct.Properties.PrimaryEndpoints
	e.MicrosoftEndpoints, e.InternetEndpoints = nil, nil
	if r.PublishMicrosoftEndpoints {
		m := endpointsOf(acct.Name, acct.Kind, "-microsoftrouting")
		e.MicrosoftEndpoints = &m
	}
	if r.PublishInternetEndpoints {
		i := endpointsOf(acct.Name, acct.Kind, "-internetrouting")
		i.Queue, i.Table = "", ""
		e.InternetEndpoints = &i
	}
}

// endpointsOf are the service URLs of an account of kind, derived from its
// name (suffix "-secondary" for the read-access secondary).
func endpointsOf(name, kind, suffix string) Endpoints {
	u := func(svc string) string { return "https://" + name + suffix + "." + svc + ".core.windows.net/" }
	switch kind {
	case "FileStorage":
		return Endpoints{File: u("file")}
	case "BlockBlobStorage":
		return Endpoints{Blob: u("blob"), Dfs: u("dfs"), Web: u("web")}
	case "BlobStorage":
		return Endpoints{Blob: u("blob"), Dfs: u("dfs")}
	case "Storage":
		// General-purpose v1 has no Data Lake (dfs) or static website
		// (web) endpoint: both need general-purpose v2 (Azure docs).
		return Endpoints{Blob: u("blob"), Queue: u("queue"), Table: u("table"), File: u("file")}
	default:
		return Endpoints{Blob: u("blob"), Queue: u("queue"), Table: u("table"), File: u("file"), Web: u("web"), Dfs: u("dfs")}
	}
}

// applyProperties sets the optional properties a body carries.
func applyProperties(acct *Account, p propertiesInput) error {
	if err := validateTLS(p.MinimumTLSVersion); err != nil {
		return err
	}
	if p.MinimumTLSVersion != "" {
		acct.Properties.MinimumTLSVersion = p.MinimumTLSVersion
	}
	switch p.PublicNetworkAccess {
	case "":
	case "Enabled", "Disabled", "SecuredByPerimeter":
		acct.Properties.PublicNetworkAccess = p.PublicNetworkAccess
	default:
		return invalidValues("'"+p.PublicNetworkAccess+"' is not allowed; use Enabled, Disabled or SecuredByPerimeter.", "properties.publicNetworkAccess")
	}
	if p.SupportsHTTPSTrafficOnly != nil {
		acct.Properties.SupportsHTTPSTrafficOnly = *p.SupportsHTTPSTrafficOnly
	}
	if p.AllowBlobPublicAccess != nil {
		acct.Properties.AllowBlobPublicAccess = *p.AllowBlobPublicAccess
	}
	if p.AllowSharedKeyAccess != nil {
		acct.Properties.AllowSharedKeyAccess = p.AllowSharedKeyAccess
	}
	if p.IsHnsEnabled != nil {
		acct.Properties.IsHnsEnabled = p.IsHnsEnabled
	}
	if err := applyEncryption(acct, p); err != nil {
		return err
	}
	applyNetworkACLs(acct, p)
	acct.Properties.Settings.keep(p.raw)
	// routingPreference decides the routing endpoints answered.
	acct.setReplication(acct.Properties.SecondaryLocation)
	return nil
}

// applyEncryption keeps the key source and, for customer-managed keys,
// the key vault and identity the body names.
func applyEncryption(acct *Account, p propertiesInput) error {
	e := p.Encryption
	if e == nil {
		return nil
	}
	switch e.KeySource {
	case "":
	case "Microsoft.Storage", "Microsoft.Keyvault":
		acct.Properties.Encryption.KeySource = e.KeySource
	default:
		return invalidValues("'"+e.KeySource+"' is not a key source; use Microsoft.Storage or Microsoft.Keyvault.", "properties.encryption.keySource")
	}
	if e.RequireInfrastructureEncryption != nil {
		acct.Properties.Encryption.RequireInfrastructureEncryption = *e.RequireInfrastructureEncryption
	}
	if e.Identity != nil {
		acct.Properties.Encryption.Identity = e.Identity
	}
	if e.KeyVaultProperties != nil {
		acct.Properties.Encryption.KeyVaultProperties = e.KeyVaultProperties
	}
	return nil
}

// applyNetworkACLs keeps the network rule set the body names.
func applyNetworkACLs(acct *Account, p propertiesInput) {
	n := p.NetworkACLs
	if n == nil {
		return
	}
	acl := &acct.Properties.NetworkACLs
	if n.Bypass != "" {
		acl.Bypass = n.Bypass
	}
	if n.DefaultAction != "" {
		acl.DefaultAction = n.DefaultAction
	}
	if n.IPRules != nil {
		acl.IPRules = n.IPRules
	}
	if n.VirtualNetworkRules != nil {
		acl.VirtualNetworkRules = n.VirtualNetworkRules
	}
	if n.ResourceAccessRules != nil {
		acl.ResourceAccessRules = n.ResourceAccessRules
	}
}

// find reads the account the path names (404 for a missing group or
// account).
func (a *storageAccounts) find(r store.Reader, req *service.Request) (*Account, error) {
	rg, err := resources.FindGroup(r, req)
	if err != nil {
		return nil, err
	}
	name := req.Param("accountName")
	acct, ok, err := Find(r, AccountID(req.Param("subscriptionId"), rg.Name, name))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceNotFound(AccountType, name, req.Param("resourceGroupName"))
	}
	return acct, nil
}

func (a *storageAccounts) get(req *service.Request) (arm.Response, error) {
	acct, err := a.find(a.s.Store, req)
	if err != nil {
		return arm.Response{}, err
	}
	switch e := req.HTTP.URL.Query().Get("$expand"); {
	case e == "":
	case strings.EqualFold(e, "geoReplicationStats"):
		acct.withGeoReplicationStats(a.s.Clock.Now().UTC())
	case strings.EqualFold(e, "blobRestoreStatus"):
	default:
		return arm.Response{}, arm.InvalidQueryParameter("$expand", "expected geoReplicationStats or blobRestoreStatus")
	}
	return arm.JSON(http.StatusOK, acct), nil
}

// list serves the group's list and the subscription's.
func (a *storageAccounts) list(req *service.Request) (arm.Response, error) {
	prefix := "/subscriptions/" + req.Param("subscriptionId") + "/"
	if req.Param("resourceGroupName") != "" {
		rg, err := resources.FindGroup(a.s.Store, req)
		if err != nil {
			return arm.Response{}, err
		}
		prefix = rg.ID + "/"
	}
	accts, err := service.Records[Account](a.s.Store, prefix, AccountType)
	if err != nil {
		return arm.Response{}, err
	}
	if accts == nil {
		accts = []*Account{}
	}
	return arm.JSON(http.StatusOK, service.List[*Account]{Value: accts}), nil
}

// patch is Accounts_Update: tags (replaced whole), SKU (the conversions
// Azure makes in place), kind (Storage to StorageV2 only) and the optional
// properties; 200 with the account.
func (a *storageAccounts) patch(req *service.Request) (arm.Response, error) {
	var in accountInput
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	var resp arm.Response
	err := a.s.Store.Update(func(tx *store.Tx) error {
		if _, err := resources.RequireWritableGroup(a.s.Ops, tx, req.Param("subscriptionId"), req.Param("resourceGroupName")); err != nil {
			return err
		}
		acct, err := a.find(tx, req)
		if err != nil {
			return err
		}
		if err := a.writable(tx, acct); err != nil {
			return err
		}
		// A PATCH naming kind Storage on a StorageV2 account leaves it
		// StorageV2: the spec's Update examples (StorageAccountUpdate*
		// WithCMK, WithFederatedIdentityClientId) send it and Azure answers
		// 200 with kind StorageV2.
		if in.Kind != "" && in.Kind != acct.Kind && !(acct.Kind == "StorageV2" && in.Kind == "Storage") {
			if acct.Kind != "Storage" || in.Kind != "StorageV2" {
				return invalidValues("an account of kind "+acct.Kind+" cannot become "+in.Kind+" (only Storage can be upgraded to StorageV2).", "kind")
			}
			acct.Kind = in.Kind
			acct.setReplication(acct.Properties.SecondaryLocation)
			// An upgraded account takes the v2 default tier unless the
			// body names one (applied below).
			if tier, err := accessTierFor(acct.Kind, acct.SKU.Name, ""); err == nil {
				acct.Properties.AccessTier = tier
			}
		}
		if sku := in.skuName(); sku != "" && sku != acct.SKU.Name {
			if err := validateKindAndSKU(acct.Kind, sku); err != nil {
				return err
			}
			if !conversionAllowed(acct.SKU.Name, sku) {
				return conversionNotAllowed(acct.SKU.Name, sku)
			}
			if err := a.changeSKU(acct, sku); err != nil {
				return err
			}
		}
		if in.Tags != nil {
			acct.Tags = in.Tags
		}
		if in.Identity != nil {
			acct.Identity = in.Identity
		}
		p := in.props()
		if p.AccessTier != "" {
			tier, err := accessTierFor(acct.Kind, acct.SKU.Name, p.AccessTier)
			if err != nil {
				return err
			}
			acct.Properties.AccessTier = tier
		}
		if err := applyProperties(acct, p); err != nil {
			return err
		}
		resp = arm.JSON(http.StatusOK, acct)
		return service.PutJSON(tx, acct.ID, acct)
	})
	return resp, err
}

// delete is synchronous: 200 once gone, 204 when there was nothing to
// delete.
func (a *storageAccounts) delete(req *service.Request) (arm.Response, error) {
	var resp arm.Response
	err := a.s.Store.Update(func(tx *store.Tx) error {
		rg, err := resources.RequireWritableGroup(a.s.Ops, tx, req.Param("subscriptionId"), req.Param("resourceGroupName"))
		if err != nil {
			return err
		}
		acct, ok, err := Find(tx, AccountID(req.Param("subscriptionId"), rg.Name, req.Param("accountName")))
		if err != nil {
			return err
		}
		if !ok {
			resp = arm.Empty(http.StatusNoContent)
			return nil
		}
		if err := a.writable(tx, acct); err != nil {
			return err
		}
		tx.Delete(acct.ID)
		resp = arm.Empty(http.StatusOK)
		return nil
	})
	return resp, err
}

// checkNameInput is AccountCheckNameAvailabilityParameters.
type checkNameInput struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// checkNameResult is CheckNameAvailabilityResult.
type checkNameResult struct {
	NameAvailable bool   `json:"nameAvailable"`
	Reason        string `json:"reason,omitempty"`
	Message       string `json:"message,omitempty"`
}

// checkName answers with the same rules a creation applies: Azure's name
// rule (reason AccountNameInvalid) and names held anywhere (AlreadyExists).
func (a *storageAccounts) checkName(req *service.Request) (arm.Response, error) {
	var in checkNameInput
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	if !strings.EqualFold(in.Type, AccountType) {
		return arm.Response{}, invalidValues("type must be "+AccountType+".", "type")
	}
	if err := validateName(in.Name); err != nil {
		return arm.JSON(http.StatusOK, checkNameResult{Reason: "AccountNameInvalid", Message: arm.AsError(err).Message}), nil
	}
	if _, taken, err := accountNamed(a.s.Store, in.Name); err != nil {
		return arm.Response{}, err
	} else if taken {
		return arm.JSON(http.StatusOK, checkNameResult{Reason: "AlreadyExists", Message: accountAlreadyTaken(in.Name).Message}), nil
	}
	return arm.JSON(http.StatusOK, checkNameResult{NameAvailable: true}), nil
}
