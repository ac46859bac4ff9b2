package siterecovery

import (
	"net/http"
	"regexp"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// recoveryVaults serves Microsoft.RecoveryServices/vaults as armrecoveryservices
// v1.6.0 uses it. PUT is declared long-running (BeginCreateOrUpdate) but
// Azure answers it at once: 201 (created) or 200 (updated) with
// provisioningState "Succeeded" and no polling headers, so the SDK's poller
// is done on the first answer (the spec's Vaults_CreateOrUpdate examples
// and Azure's recorded sessions show the same). PATCH is long-running
// (provisioningState "Updating" until done). DELETE is synchronous
// (the SDK accepts only 200) and removes everything configured inside the
// vault, unless protected items remain.
type recoveryVaults struct {
	s *Service
}

const (
	vaultWriteDuration = 30 * time.Second
	kindVaultWrite     = vaultType + "/write"
)

// vaultNameRule is Azure's: 2-50 characters, letters, digits and hyphens,
// starting with a letter.
var vaultNameRule = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{1,49}$`)

type vaultRecord struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags,omitempty"`
	Etag       string            `json:"etag,omitempty"`
	SKU        *vaultSKU         `json:"sku,omitempty"`
	Properties vaultProperties   `json:"properties"`
}

type vaultSKU struct {
	Name string `json:"name"`
	Tier string `json:"tier,omitempty"`
}

type vaultProperties struct {
	ProvisioningState                   string                   `json:"provisioningState"`
	PublicNetworkAccess                 string                   `json:"publicNetworkAccess,omitempty"`
	PrivateEndpointStateForBackup       string                   `json:"privateEndpointStateForBackup,omitempty"`
	PrivateEndpointStateForSiteRecovery string                   `json:"privateEndpointStateForSiteRecovery,omitempty"`
	RedundancySettings                  *vaultRedundancySettings `json:"redundancySettings,omitempty"`
}

type vaultRedundancySettings struct {
	StandardTierStorageRedundancy string `json:"standardTierStorageRedundancy,omitempty"`
	CrossRegionRestore            string `json:"crossRegionRestore,omitempty"`
}

func (v *recoveryVaults) Routes() []service.Route {
	return []service.Route{
		{Method: http.MethodPut, Pattern: vaultPath, Operation: "Vaults_CreateOrUpdate", Handle: v.put},
		{Method: http.MethodPatch, Pattern: vaultPath, Operation: "Vaults_Update", Handle: v.patch},
		{Method: http.MethodGet, Pattern: vaultPath, Operation: "Vaults_Get", Handle: v.get},
		{Method: http.MethodDelete, Pattern: vaultPath, Operation: "Vaults_Delete", Handle: v.delete},
		{Method: http.MethodGet, Pattern: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.RecoveryServices/vaults",
			Operation: "Vaults_ListByResourceGroup", Handle: v.list},
		{Method: http.MethodGet, Pattern: "/subscriptions/{subscriptionId}/providers/Microsoft.RecoveryServices/vaults",
			Operation: "Vaults_ListBySubscriptionId", Handle: v.list},
	}
}

func (v *recoveryVaults) OperationKinds() []lro.Kind {
	return []lro.Kind{lro.ProvisioningKind(kindVaultWrite, recoveryServicesNamespace, vaultWriteDuration)}
}

// CheckGroupDeletion refuses to delete a group holding a vault with
// protected items, as Azure does: replication must be disabled first.
func (v *recoveryVaults) CheckGroupDeletion(r store.Reader, groupID string) error {
	vaults, err := service.Records[vaultRecord](r, groupID+"/", vaultType)
	if err != nil {
		return err
	}
	for _, vault := range vaults {
		if items := protectedItemsUnder(r, vault.ID); len(items) > 0 {
			return arm.VaultNotEmpty(vault.Name, len(items))
		}
	}
	return nil
}

// vaultInput is the PUT and PATCH body.
type vaultInput struct {
	Location   *string           `json:"location"`
	Tags       map[string]string `json:"tags"`
	SKU        *vaultSKU         `json:"sku"`
	Properties *struct {
		PublicNetworkAccess *string `json:"publicNetworkAccess"`
	} `json:"properties"`
}

func validateVaultSKU(sku *vaultSKU) error {
	if sku == nil {
		return arm.InvalidProperty("sku", "a vault needs a SKU; set sku.name to \"Standard\" (or \"RS0\")")
	}
	switch sku.Name {
	case "Standard", "RS0":
		return nil
	}
	return arm.InvalidProperty("sku.name", "'%s' is not a Recovery Services vault SKU; use \"Standard\" or \"RS0\"", sku.Name)
}

func validatePublicNetworkAccess(in *vaultInput) (string, error) {
	if in.Properties == nil || in.Properties.PublicNetworkAccess == nil {
		return "", nil
	}
	switch p := *in.Properties.PublicNetworkAccess; p {
	case "Enabled", "Disabled":
		return p, nil
	default:
		return "", arm.InvalidProperty("properties.publicNetworkAccess", "'%s' is not allowed; use \"Enabled\" or \"Disabled\"", p)
	}
}

func (v *recoveryVaults) put(req *service.Request) (arm.Response, error) {
	name := req.Param("resourceName")
	if !vaultNameRule.MatchString(name) {
		return arm.Response{}, arm.InvalidResourceName(name, vaultType,
			"vault names are 2 to 50 characters long, contain only letters, digits and hyphens, and start with a letter")
	}
	var in vaultInput
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	if in.Location == nil {
		return arm.Response{}, arm.LocationRequired()
	}
	location, err := service.ResourceLocation(*in.Location, vaultType)
	if err != nil {
		return arm.Response{}, err
	}
	if err := validateVaultSKU(in.SKU); err != nil {
		return arm.Response{}, err
	}
	access, err := validatePublicNetworkAccess(&in)
	if err != nil {
		return arm.Response{}, err
	}
	var resp arm.Response
	err = v.s.Store.Update(func(tx *store.Tx) error {
		rg, err := resources.RequireWritableGroup(v.s.Ops, tx, req.Param("subscriptionId"), req.Param("resourceGroupName"))
		if err != nil {
			return err
		}
		cur, exists, err := service.GetJSON[vaultRecord](tx, vaultIDIn(rg, name))
		if err != nil {
			return err
		}
		status := http.StatusCreated
		vault := &vaultRecord{ID: vaultIDIn(rg, name), Name: name, Type: vaultType, Location: location,
			Properties: vaultProperties{PublicNetworkAccess: "Enabled", PrivateEndpointStateForBackup: "None",
				PrivateEndpointStateForSiteRecovery: "None",
				RedundancySettings:                  &vaultRedundancySettings{StandardTierStorageRedundancy: "GeoRedundant", CrossRegionRestore: "Disabled"}}}
		if exists {
			if cur.Location != location {
				return arm.InvalidResourceLocation(cur.Name, rg.Name, cur.Location, location)
			}
			vault, status = cur, http.StatusOK
		}
		vault.Tags, vault.SKU, vault.Etag = in.Tags, &vaultSKU{Name: in.SKU.Name, Tier: in.SKU.Tier}, service.NewEtag()
		if access != "" {
			vault.Properties.PublicNetworkAccess = access
		}
		vault.Properties.ProvisioningState = service.StateSucceeded
		resp = arm.JSON(status, vault)
		return service.PutJSON(tx, vault.ID, vault)
	})
	return resp, err
}

// startWrite stores vault and starts its write operation.
func (v *recoveryVaults) startWrite(tx *store.Tx, req *service.Request, vault *vaultRecord, method string, answer func(*lro.Operation)) error {
	op, err := v.s.Ops.Start(tx, lro.Spec{Kind: kindVaultWrite, ResourceID: vault.ID, Location: vault.Location,
		Method: method, APIVersion: req.APIVersion})
	if err != nil {
		return err
	}
	answer(op)
	return service.PutJSON(tx, vault.ID, vault)
}

// patch updates tags, SKU and public network access; absent fields keep
// their value. 202 with polling URLs, as the SDK's BeginUpdate expects.
func (v *recoveryVaults) patch(req *service.Request) (arm.Response, error) {
	var in vaultInput
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	if in.SKU != nil {
		if err := validateVaultSKU(in.SKU); err != nil {
			return arm.Response{}, err
		}
	}
	access, err := validatePublicNetworkAccess(&in)
	if err != nil {
		return arm.Response{}, err
	}
	var resp arm.Response
	err = v.s.Store.Update(func(tx *store.Tx) error {
		vault, err := v.s.requireVault(tx, req, true)
		if err != nil {
			return err
		}
		if in.Location != nil {
			if l, err := service.ResourceLocation(*in.Location, vaultType); err != nil || l != vault.Location {
				return arm.InvalidResourceLocation(vault.Name, req.Param("resourceGroupName"), vault.Location, *in.Location)
			}
		}
		if in.Tags != nil {
			vault.Tags = in.Tags
		}
		if in.SKU != nil {
			vault.SKU = in.SKU
		}
		if access != "" {
			vault.Properties.PublicNetworkAccess = access
		}
		vault.Etag, vault.Properties.ProvisioningState = service.NewEtag(), service.StateUpdating
		return v.startWrite(tx, req, vault, http.MethodPatch, func(op *lro.Operation) {
			resp = v.s.Ops.Accepted(req.Base, op)
		})
	})
	return resp, err
}

func (v *recoveryVaults) get(req *service.Request) (arm.Response, error) {
	vault, err := v.s.requireVault(v.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, vault), nil
}

// list serves the group's list and the subscription's.
func (v *recoveryVaults) list(req *service.Request) (arm.Response, error) {
	prefix := "/subscriptions/" + req.Param("subscriptionId") + "/"
	if req.Param("resourceGroupName") != "" {
		rg, err := resources.FindGroup(v.s.Store, req)
		if err != nil {
			return arm.Response{}, err
		}
		prefix = rg.ID + "/"
	}
	all, err := service.Records[vaultRecord](v.s.Store, prefix, vaultType)
	if err != nil {
		return arm.Response{}, err
	}
	if all == nil {
		all = []*vaultRecord{}
	}
	return arm.JSON(http.StatusOK, service.List[*vaultRecord]{Value: all}), nil
}

// delete removes the vault and everything under it at once. Azure refuses
// while protected items remain, and while an operation runs in the vault.
func (v *recoveryVaults) delete(req *service.Request) (arm.Response, error) {
	err := v.s.Store.Update(func(tx *store.Tx) error {
		vault, err := v.s.requireVault(tx, req, true)
		if err != nil {
			return err
		}
		if items := protectedItemsUnder(tx, vault.ID); len(items) > 0 {
			return arm.VaultNotEmpty(vault.Name, len(items))
		}
		if err := v.s.Busy(tx, vault.ID); err != nil {
			return err
		}
		for _, e := range tx.List(vault.ID + "/") {
			tx.Delete(e.Key)
		}
		tx.Delete(vault.ID)
		return nil
	})
	if err != nil {
		return arm.Response{}, err
	}
	return arm.Empty(http.StatusOK), nil
}
