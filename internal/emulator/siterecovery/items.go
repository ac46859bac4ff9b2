package siterecovery

import (
	"net/http"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/replication"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// protectedItems serves Site Recovery's replication protected items (A2A:
// one Azure VM replicating to another region) and their recovery points, as
// armrecoveryservicessiterecovery/v2 v2.2.0 (api-version 2023-06-01) uses
// them:
//
//	PUT    {item}          BeginCreate: enable protection (202, LRO ~3 min),
//	                       then initial replication (~10 min) before Protected
//	GET    {item}          Get
//	PATCH  {item}          BeginUpdate: recovery VM size, network, NIC subnets
//	POST   {item}/remove   BeginDelete: disable protection (LRO ~2 min)
//	DELETE {item}          BeginPurge: forget the item (LRO ~1 min)
//	GET    {container}/replicationProtectedItems, {v}/replicationProtectedItems
//	GET    {item}/recoveryPoints[/{name}]   (points.go)
//
// The record stored under the item's id holds only the settings and the
// timeline (protectedItemStored); protection state, health, RPO and
// recovery points are computed at read time by package replication from the
// timeline, the policy, the pause intervals (admin_pauses.go)
// and the VM's data history (compute.VMState.History).
type protectedItems struct {
	s *Service
}

const (
	protectedItemType = containerType + "/replicationProtectedItems"
	recoveryPointType = protectedItemType + "/recoveryPoints"

	fabricSeg    = "/replicationFabrics/{fabricName}"
	containerSeg = "/replicationProtectionContainers/{protectionContainerName}"
	itemPath     = vaultPath + fabricSeg + containerSeg + "/replicationProtectedItems/{replicatedProtectedItemName}"

	kindItemEnable  = protectedItemType + "/enableProtection"
	kindItemUpdate  = protectedItemType + "/update"
	kindItemDisable = protectedItemType + "/disableProtection"
	kindItemPurge   = protectedItemType + "/purge"

	// Simulated durations: the enable protection job, then initial
	// replication; updates; disabling protection; purging.
	itemEnableDuration      = 3 * time.Minute
	itemInitialReplication  = 10 * time.Minute
	itemUpdateDuration      = time.Minute
	itemDisableDuration     = 2 * time.Minute
	itemPurgeDuration       = time.Minute
	itemProtectedItemTypeVM = "Microsoft.Compute/virtualMachines"

	// Item phases (protectedItemStored.Phase).
	phaseEnabling    = "Enabling"    // the enable protection job runs
	phaseReplicating = "Replicating" // initial replication, then protected
	phaseDisabling   = "Disabling"   // the disable protection job runs
)

// protectedItemRecord is what the store holds under the item's id. GET
// shows protectedItemView, built from it at read time.
type protectedItemRecord = srResource[protectedItemStored]

// protectedItemStored is an item's settings and timeline. The failover
// block is where the test failover / failover state machine keeps its
// state (a later issue); today it only says the item is on its primary side.
type protectedItemStored struct {
	Phase string `json:"phase"`

	PolicyID string `json:"policyId"`
	// RecoveryContainerID is read by protectedItemsUsingMapping
	// (common.go): keep the name.
	RecoveryContainerID string `json:"recoveryContainerId"`
	PrimaryFabricID     string `json:"primaryFabricId"`
	PrimaryContainerID  string `json:"primaryContainerId"`
	RecoveryFabricID    string `json:"recoveryFabricId"`
	PrimaryLocation     string `json:"primaryLocation"`
	RecoveryLocation    string `json:"recoveryLocation"`

	// VMID is the protected VM (A2A fabricObjectId); VMName its name.
	VMID        string `json:"fabricObjectId"`
	VMName      string `json:"vmName"`
	PrimaryZone string `json:"primaryZone,omitempty"`

	Recovery itemRecoverySettings `json:"recovery"`

	MultiVMGroupName string `json:"multiVmGroupName,omitempty"`
	MultiVMGroupID   string `json:"multiVmGroupId,omitempty"`

	NICs  []itemNIC  `json:"nics"`
	Disks []itemDisk `json:"disks"`

	Timeline itemTimeline `json:"timeline"`
	// Policy is the policy's A2A settings when protection was enabled, used
	// should the policy record be gone; the live policy wins otherwise.
	Policy a2aPolicyDetails `json:"policy"`

	Failover itemFailoverState `json:"failover"`
}

// itemRecoverySettings is where and how the VM comes up on failover.
type itemRecoverySettings struct {
	ResourceGroupID  string `json:"resourceGroupId"`
	NetworkID        string `json:"networkId"`
	SubnetName       string `json:"subnetName"`
	AvailabilityZone string `json:"availabilityZone,omitempty"`
	VMName           string `json:"vmName"`
	VMSize           string `json:"vmSize,omitempty"`
}

// itemNIC is a source NIC and the settings of its primary IP
// configuration on failover (Recovery*) and test failover (Tfo*), as the
// item update (PATCH vmNics[].ipConfigs[]) sets them.
type itemNIC struct {
	NICID        string `json:"nicId"`
	IPConfigName string `json:"ipConfigName,omitempty"`
	// IPConfigNames are all the NIC's IP configurations (an update may
	// name only these).
	IPConfigNames      []string `json:"ipConfigNames,omitempty"`
	PrimaryNetworkID   string   `json:"primaryNetworkId,omitempty"`
	PrimarySubnetName  string   `json:"primarySubnetName,omitempty"`
	PrivateIP          string   `json:"privateIp,omitempty"`
	RecoverySubnetName string   `json:"recoverySubnetName"`
	RecoveryStaticIP   string   `json:"recoveryStaticIPAddress,omitempty"`
	RecoveryPublicIPID string   `json:"recoveryPublicIPAddressId,omitempty"`
	TfoSubnetName      string   `json:"tfoSubnetName,omitempty"`
	TfoStaticIP        string   `json:"tfoStaticIPAddress,omitempty"`
	TfoPublicIPID      string   `json:"tfoPublicIPAddressId,omitempty"`
}

type itemDisk struct {
	DiskID                  string `json:"diskId"`
	DiskName                string `json:"diskName"`
	DiskType                string `json:"diskType,omitempty"` // "OperatingSystem" or "Data"
	CapacityGB              int    `json:"capacityGB,omitempty"`
	RecoveryResourceGroupID string `json:"recoveryResourceGroupId"`
	ReplicaDiskAccountType  string `json:"recoveryReplicaDiskAccountType"`
	TargetDiskAccountType   string `json:"recoveryTargetDiskAccountType"`
	// StagingAccountID is primaryStagingAzureStorageAccountId, the cache
	// storage account in the source region.
	StagingAccountID string `json:"primaryStagingAzureStorageAccountId,omitempty"`
}

// itemTimeline is all the model needs to know about time: when protection
// was requested, when initial replication started (the enable job done) and
// when it completes, and the replication lag.
type itemTimeline struct {
	CreatedAt   time.Time `json:"createdAt"`
	EnabledAt   time.Time `json:"enabledAt"`
	ProtectedAt time.Time `json:"protectedAt"`
	LagSeconds  float64   `json:"lagSeconds"`
}

// itemFailoverState is the item's failover side: where it is active, the
// scenario running, the test failover state machine (tfo.go)
// and, for the failover state machine, failover.go.
type itemFailoverState struct {
	// ActiveLocation is "Primary" or "Recovery".
	ActiveLocation string `json:"activeLocation"`
	// Scenario is currentScenario.scenarioName ("None" when idle); JobID and
	// ScenarioStart its jobId and startTime while one runs.
	Scenario      string     `json:"scenario"`
	JobID         string     `json:"jobId,omitempty"`
	ScenarioStart *time.Time `json:"scenarioStartTime,omitempty"`
	// TestFailoverState is "None" until a test failover starts, then
	// "InProgress", "MarkedForDeletion" (done, cleanup pending), "Failed"
	// or "CleanupInProgress"; "None" again after cleanup.
	TestFailoverState              string     `json:"testFailoverState"`
	LastSuccessfulTestFailoverTime *time.Time `json:"lastSuccessfulTestFailoverTime,omitempty"`
	LastSuccessfulFailoverTime     *time.Time `json:"lastSuccessfulFailoverTime,omitempty"`
	// TestFailover is the pending test failover (from its start until its
	// cleanup completes).
	TestFailover *itemTestFailover `json:"testFailover,omitempty"`
	// Failover is the failover state machine's state (nil: never failed
	// over; failover.go).
	Failover *itemFailover `json:"failoverState,omitempty"`
}

func (p *protectedItemStored) lag() time.Duration {
	if p.Timeline.LagSeconds > 0 {
		return time.Duration(p.Timeline.LagSeconds * float64(time.Second))
	}
	return replication.DefaultLag
}

func (t *protectedItems) Routes() []service.Route {
	containerPath := vaultPath + fabricSeg + containerSeg
	return []service.Route{
		{Method: http.MethodPut, Pattern: itemPath, Operation: "ReplicationProtectedItems_Create", Handle: t.put},
		{Method: http.MethodGet, Pattern: itemPath, Operation: "ReplicationProtectedItems_Get", Handle: t.get},
		{Method: http.MethodPatch, Pattern: itemPath, Operation: "ReplicationProtectedItems_Update", Handle: t.patch},
		{Method: http.MethodPost, Pattern: itemPath + "/remove", Operation: "ReplicationProtectedItems_Delete", Handle: t.disable},
		{Method: http.MethodDelete, Pattern: itemPath, Operation: "ReplicationProtectedItems_Purge", Handle: t.purge},
		{Method: http.MethodGet, Pattern: containerPath + "/replicationProtectedItems", Operation: "ReplicationProtectedItems_ListByReplicationProtectionContainers", Handle: t.listByContainer},
		{Method: http.MethodGet, Pattern: vaultPath + "/replicationProtectedItems", Operation: "ReplicationProtectedItems_List", Handle: t.listByVault},
		{Method: http.MethodGet, Pattern: itemPath + "/recoveryPoints", Operation: "RecoveryPoints_ListByReplicationProtectedItems", Handle: t.listPoints},
		{Method: http.MethodGet, Pattern: itemPath + "/recoveryPoints/{recoveryPointName}", Operation: "RecoveryPoints_Get", Handle: t.getPoint},
		{Method: http.MethodGet, Pattern: "/_emulator/replication", Admin: true, Handle: t.adminReplication},
	}
}

func (t *protectedItems) OperationKinds() []lro.Kind {
	result := func(r store.Reader, op *lro.Operation) (arm.Response, error) {
		it, ok, err := service.GetJSON[protectedItemRecord](r, op.ResourceID)
		if !ok {
			return arm.Response{}, service.NotFoundByID(op.ResourceID, err)
		}
		v, err := t.s.itemView(r, it, t.s.Clock.Now())
		if err != nil {
			return arm.Response{}, err
		}
		return arm.JSON(http.StatusOK, v), nil
	}
	setPhase := func(phase string) func(tx *store.Tx, op *lro.Operation) error {
		return func(tx *store.Tx, op *lro.Operation) error {
			it, ok, err := service.GetJSON[protectedItemRecord](tx, op.ResourceID)
			if !ok {
				return err
			}
			it.Properties.Phase = phase
			return service.PutJSON(tx, it.ID, it)
		}
	}
	remove := func(tx *store.Tx, op *lro.Operation) error { tx.Delete(op.ResourceID); return nil }
	return []lro.Kind{
		{Name: kindItemEnable, Namespace: recoveryServicesNamespace, Duration: itemEnableDuration,
			Complete: setPhase(phaseReplicating), Result: result},
		{Name: kindItemUpdate, Namespace: recoveryServicesNamespace, Duration: itemUpdateDuration,
			Complete: func(*store.Tx, *lro.Operation) error { return nil }, Result: result},
		// Disabling fails back to replicating should the job fail.
		{Name: kindItemDisable, Namespace: recoveryServicesNamespace, Duration: itemDisableDuration,
			Complete: remove, Fail: setPhase(phaseReplicating)},
		{Name: kindItemPurge, Namespace: recoveryServicesNamespace, Duration: itemPurgeDuration, Complete: remove},
	}
}

// newProtectedItems makes the type.
func newProtectedItems(s *Service) *protectedItems { return &protectedItems{s: s} }

// itemLocation is where a request names an item: the vault, fabric and
// container it lives in (ids as stored).
type itemLocation struct {
	vault     *vaultRecord
	fabric    *replicationFabric
	container *protectionContainer
	id        string // the item's id, in the request's case for a new one
}

// locate resolves the vault, fabric and container of a request, or ARM's
// 404s; writable also refuses a group being deleted.
func (t *protectedItems) locate(r store.Reader, req *service.Request, writable bool) (*itemLocation, error) {
	vault, err := t.s.requireVault(r, req, writable)
	if err != nil {
		return nil, err
	}
	group := req.Param("resourceGroupName")
	fname := req.Param("fabricName")
	fabric, ok, err := fabricOf(r, vault.ID+"/"+fabricsCollection+"/"+fname)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceNotFound(fabricType, vault.Name+"/"+fname, group)
	}
	cname := req.Param("protectionContainerName")
	container, ok, err := containerOf(r, fabric.ID+"/"+containersCollection+"/"+cname)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceNotFound(containerType, vault.Name+"/"+fabric.Name+"/"+cname, group)
	}
	id := container.ID + "/" + protectedItemsCollection + "/" + req.Param("replicatedProtectedItemName")
	return &itemLocation{vault: vault, fabric: fabric, container: container, id: id}, nil
}

// findItem returns the item a request names, or the 404s.
func (t *protectedItems) findItem(r store.Reader, req *service.Request, writable bool) (*itemLocation, *protectedItemRecord, error) {
	loc, err := t.locate(r, req, writable)
	if err != nil {
		return nil, nil, err
	}
	it, ok, err := service.GetJSON[protectedItemRecord](r, loc.id)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, arm.ResourceNotFound(protectedItemType,
			loc.vault.Name+"/"+loc.fabric.Name+"/"+loc.container.Name+"/"+req.Param("replicatedProtectedItemName"),
			req.Param("resourceGroupName"))
	}
	return loc, it, nil
}

func (t *protectedItems) get(req *service.Request) (arm.Response, error) {
	_, it, err := t.findItem(t.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	v, err := t.s.itemView(t.s.Store, it, t.s.Clock.Now())
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, v), nil
}

func (t *protectedItems) listByContainer(req *service.Request) (arm.Response, error) {
	loc, err := t.locate(t.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	return t.respondItems(directChildren(t.s.Store, loc.container.ID, protectedItemsCollection))
}

func (t *protectedItems) listByVault(req *service.Request) (arm.Response, error) {
	vault, err := t.s.requireVault(t.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	var entries []store.Entry
	for _, key := range protectedItemsUnder(t.s.Store, vault.ID) {
		if raw, ok := t.s.Store.Get(key); ok {
			entries = append(entries, store.Entry{Key: key, Value: raw})
		}
	}
	return t.respondItems(entries)
}

func (t *protectedItems) respondItems(entries []store.Entry) (arm.Response, error) {
	items, err := decodeAll[protectedItemRecord](entries)
	if err != nil {
		return arm.Response{}, err
	}
	now := t.s.Clock.Now()
	out := make([]*protectedItemView, 0, len(items))
	for _, it := range items {
		v, err := t.s.itemView(t.s.Store, it, now)
		if err != nil {
			return arm.Response{}, err
		}
		out = append(out, v)
	}
	return arm.JSON(http.StatusOK, service.List[*protectedItemView]{Value: out}), nil
}

// disable is POST {item}/remove: disable protection. The item shows
// "DisablingProtection" until the job ends, then is gone.
func (t *protectedItems) disable(req *service.Request) (arm.Response, error) {
	if len(strings.TrimSpace(string(req.Body))) > 0 {
		var in struct {
			Properties *struct {
				DisableProtectionReason *string `json:"disableProtectionReason"`
			} `json:"properties"`
		}
		if err := req.Decode(&in); err != nil {
			return arm.Response{}, err
		}
		if in.Properties != nil && in.Properties.DisableProtectionReason != nil {
			switch *in.Properties.DisableProtectionReason {
			case "NotSpecified", "MigrationComplete":
			default:
				return arm.Response{}, arm.InvalidProperty("properties.disableProtectionReason",
					"'%s' is not one of NotSpecified, MigrationComplete", *in.Properties.DisableProtectionReason)
			}
		}
	}
	var resp arm.Response
	err := t.s.Store.Update(func(tx *store.Tx) error {
		_, it, err := t.findItem(tx, req, true)
		if err != nil {
			return err
		}
		if it.Properties.Phase == phaseDisabling {
			return arm.SiteRecoveryConflict("ProtectionAlreadyBeingDisabled",
				"Protection of '%s' is already being disabled.", it.Properties.VMName)
		}
		if err := refuseDisableWhileFailingOver(it); err != nil {
			return err
		}
		op, err := t.s.Ops.Start(tx, lro.Spec{Kind: kindItemDisable, ResourceID: it.ID, Location: it.Properties.PrimaryLocation,
			Method: http.MethodPost, APIVersion: req.APIVersion})
		if err != nil {
			return err
		}
		it.Properties.Phase = phaseDisabling
		resp = t.s.Ops.Accepted(req.Base, op)
		return service.PutJSON(tx, it.ID, it)
	})
	return resp, err
}

// purge is DELETE {item}: forget the item (Site Recovery's purge, for an
// item whose protection cannot be disabled cleanly). 204 when it is gone.
func (t *protectedItems) purge(req *service.Request) (arm.Response, error) {
	var resp arm.Response
	err := t.s.Store.Update(func(tx *store.Tx) error {
		loc, err := t.locate(tx, req, true)
		if err != nil {
			return err
		}
		it, ok, err := service.GetJSON[protectedItemRecord](tx, loc.id)
		if err != nil {
			return err
		}
		if !ok {
			resp = arm.Empty(http.StatusNoContent)
			return nil
		}
		op, err := t.s.Ops.Start(tx, lro.Spec{Kind: kindItemPurge, ResourceID: it.ID, Location: it.Properties.PrimaryLocation,
			Method: http.MethodDelete, APIVersion: req.APIVersion})
		if err != nil {
			return err
		}
		resp = t.s.Ops.Accepted(req.Base, op)
		return nil
	})
	return resp, err
}

// itemsProtectingVM returns the items of the vault vaultID that protect the
// VM vmID (its id compared without case).
func itemsProtectingVM(r store.Reader, vaultID, vmID string) ([]*protectedItemRecord, error) {
	var out []*protectedItemRecord
	for _, key := range protectedItemsUnder(r, vaultID) {
		it, ok, err := service.GetJSON[protectedItemRecord](r, key)
		if err != nil {
			return nil, err
		}
		if ok && strings.EqualFold(it.Properties.VMID, vmID) {
			out = append(out, it)
		}
	}
	return out, nil
}
