package siterecovery

import (
	"net/http"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/replication"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

// Test failover of a protected item (A2A), as
// armrecoveryservicessiterecovery/v2 v2.2.0 sends it:
//
//	POST {item}/testFailover         BeginTestFailover (TestFailoverInput), ~4 min
//	POST {item}/testFailoverCleanup  BeginTestFailoverCleanup (TestFailoverCleanupInput), ~2 min
//
// Both answer 202 with Azure-AsyncOperation + Location + Retry-After; the
// Location URL returns the protected item when done. The test failover
// creates, in the item's recovery resource group and region, the VM
// "<recovery VM name>-test" (role "test", serving the chosen recovery
// point's data version), its NIC "<vm>-test-nic" in the isolated test
// network's subnet named like the item's recovery subnet, with the public
// IP the item's tfo NIC settings name, if any (as in Azure: none
// otherwise), whose address is then the VM's site address (how a drill
// outside the network reaches it). Cleanup deletes the VM and NIC and
// detaches that public IP, which stays the user's.
//
// Test failover states (testFailoverState / testFailoverStateDescription):
//
//	None               "None"                                 TestFailover allowed
//	InProgress         "Test failover in progress"            the job runs
//	MarkedForDeletion  "Cleanup test failover pending"        TestFailoverCleanup allowed
//	Failed             "Test failover failed"                 TestFailoverCleanup allowed (and required)
//	CleanupInProgress  "Cleanup test failover in progress"    the cleanup job runs
//
// The operations run on the item (package lro serialises operations per
// resource), so test failovers of different items run side by side.

const (
	kindItemTestFailover        = protectedItemType + "/testFailover"
	kindItemTestFailoverCleanup = protectedItemType + "/testFailoverCleanup"

	// Simulated durations: creating and booting the test VM; deleting it.
	itemTestFailoverDuration        = 4 * time.Minute
	itemTestFailoverCleanupDuration = 2 * time.Minute

	tfoNone              = "None"
	tfoInProgress        = "InProgress"
	tfoMarkedForDeletion = "MarkedForDeletion"
	tfoFailed            = "Failed"
	tfoCleanupInProgress = "CleanupInProgress"

	scenarioNone                = "None"
	scenarioTestFailover        = "TestFailover"
	scenarioTestFailoverCleanup = "TestFailoverCleanup"

	opTestFailover        = "TestFailover"
	opTestFailoverCleanup = "TestFailoverCleanup"

	directionPrimaryToRecovery = "PrimaryToRecovery"
	directionRecoveryToPrimary = "RecoveryToPrimary"
	networkTypeVMNetwork       = "VmNetworkAsInput"

	// TestFailoverTag marks a test failover's VM (and its NIC and public
	// IP) with the id of the protected item it was made for.
	TestFailoverTag = "azuredr-test-failover-of"

	tfoVMSuffix = "-test"
)

// itemTestFailover is a pending test failover: what was asked, what it
// made, how it ended.
type itemTestFailover struct {
	NetworkID  string `json:"networkId"`
	SubnetName string `json:"subnetName"`
	// VMName is the test VM's name (tfoAzureVMName); VMID, NICID and
	// PublicIPID what the completion made.
	VMName     string `json:"vmName"`
	VMID       string `json:"vmId,omitempty"`
	NICID      string `json:"nicId,omitempty"`
	PublicIPID string `json:"publicIpId,omitempty"`
	// The recovery point used and the data version it carries.
	RecoveryPointID   string          `json:"recoveryPointId"`
	RecoveryPointTime time.Time       `json:"recoveryPointTime"`
	Data              web.DataVersion `json:"dataVersion"`
	StartedAt         time.Time       `json:"startedAt"`
	// CompletedAt is set when the test failover succeeded; FailedAt when
	// it failed.
	CompletedAt *time.Time `json:"completedAt,omitempty"`
	FailedAt    *time.Time `json:"failedAt,omitempty"`
	Comments    string     `json:"comments,omitempty"`
}

// itemFailovers serves the POST actions of a protected item that fail it
// over: test failover and its cleanup here, the failover state machine in
// failover.go.
type itemFailovers struct {
	s     *Service
	items *protectedItems
}

func newItemFailovers(s *Service) *itemFailovers {
	return &itemFailovers{s: s, items: newProtectedItems(s)}
}

func (f *itemFailovers) Routes() []service.Route {
	return append([]service.Route{
		{Method: http.MethodPost, Pattern: itemPath + "/testFailover", Operation: "ReplicationProtectedItems_TestFailover", Handle: f.testFailover},
		{Method: http.MethodPost, Pattern: itemPath + "/testFailoverCleanup", Operation: "ReplicationProtectedItems_TestFailoverCleanup", Handle: f.testFailoverCleanup},
	}, f.failoverRoutes()...)
}

func (f *itemFailovers) OperationKinds() []lro.Kind {
	return append([]lro.Kind{
		{Name: kindItemTestFailover, Namespace: recoveryServicesNamespace, Duration: itemTestFailoverDuration,
			Complete: f.completeTestFailover, Fail: f.failTestFailover, Result: f.itemResult},
		{Name: kindItemTestFailoverCleanup, Namespace: recoveryServicesNamespace, Duration: itemTestFailoverCleanupDuration,
			Complete: f.completeTestFailoverCleanup, Fail: f.failTestFailoverCleanup, Result: f.itemResult},
	}, f.failoverKinds()...)
}

// itemResult is what the Location URL returns once an action is done: the
// item as GET shows it.
func (f *itemFailovers) itemResult(r store.Reader, op *lro.Operation) (arm.Response, error) {
	it, ok, err := service.GetJSON[protectedItemRecord](r, op.ResourceID)
	if !ok {
		return arm.Response{}, service.NotFoundByID(op.ResourceID, err)
	}
	v, err := f.s.itemView(r, it, f.s.Clock.Now())
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, v), nil
}

// testFailoverInput is TestFailoverInput with A2A details.
type testFailoverInput struct {
	Properties *struct {
		FailoverDirection       *string `json:"failoverDirection"`
		NetworkType             *string `json:"networkType"`
		NetworkID               *string `json:"networkId"`
		ProviderSpecificDetails *struct {
			InstanceType               string  `json:"instanceType"`
			RecoveryPointID            *string `json:"recoveryPointId"`
			CloudServiceCreationOption *string `json:"cloudServiceCreationOption"`
		} `json:"providerSpecificDetails"`
	} `json:"properties"`
}

// testFailover is POST {item}/testFailover.
func (f *itemFailovers) testFailover(req *service.Request) (arm.Response, error) {
	var in testFailoverInput
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	if in.Properties == nil {
		return arm.Response{}, arm.InvalidProperty("properties", "the test failover input needs properties (failoverDirection, networkType, networkId, providerSpecificDetails)")
	}
	p := in.Properties
	if p.NetworkType != nil && *p.NetworkType != "" && !strings.EqualFold(*p.NetworkType, networkTypeVMNetwork) {
		return arm.Response{}, arm.InvalidProperty("properties.networkType",
			"'%s' is not supported: give %s with the id of the isolated test network as networkId", *p.NetworkType, networkTypeVMNetwork)
	}
	if p.NetworkID == nil || strings.TrimSpace(*p.NetworkID) == "" {
		return arm.Response{}, arm.InvalidProperty("properties.networkId",
			"the id of the virtual network to test fail over into is required (an isolated network in the recovery region)")
	}
	pointID := ""
	if d := p.ProviderSpecificDetails; d != nil {
		if d.InstanceType != instanceA2A {
			return arm.Response{}, arm.InvalidProperty("properties.providerSpecificDetails.instanceType",
				"'%s' is not supported: the item replicates with A2A", d.InstanceType)
		}
		if d.RecoveryPointID != nil {
			pointID = strings.TrimSpace(*d.RecoveryPointID)
		}
	}
	var resp arm.Response
	err := f.s.Store.Update(func(tx *store.Tx) error {
		loc, it, err := f.items.findItem(tx, req, true)
		if err != nil {
			return err
		}
		st := &it.Properties
		now := f.s.Clock.Now()
		v, err := f.s.itemView(tx, it, now)
		if err != nil {
			return err
		}
		switch orString(st.Failover.TestFailoverState, tfoNone) {
		case tfoNone:
		case tfoInProgress:
			return arm.SiteRecoveryConflict("TestFailoverAlreadyInProgress",
				"A test failover of '%s' is already in progress. Wait for it to finish, then run test failover cleanup (POST .../testFailoverCleanup) before starting another.", st.VMName)
		case tfoCleanupInProgress:
			return arm.SiteRecoveryConflict("TestFailoverAlreadyInProgress",
				"The cleanup of the previous test failover of '%s' is in progress. Start another test failover once it has finished.", st.VMName)
		default:
			return arm.SiteRecoveryConflict("TestFailoverAlreadyInProgress",
				"A test failover of '%s' is pending cleanup (test failover state %s): run test failover cleanup (POST .../testFailoverCleanup) first; Site Recovery allows one test failover per item at a time.",
				st.VMName, st.Failover.TestFailoverState)
		}
		if err := requireAllowed(v, opTestFailover); err != nil {
			return err
		}
		source, target := f.s.failoverSides(it)
		direction := directionOf(it)
		if p.FailoverDirection != nil && *p.FailoverDirection != "" && *p.FailoverDirection != direction {
			return arm.SiteRecoveryInvalidReference("InvalidFailoverDirection", "properties.failoverDirection",
				"'%s' is not possible: '%s' replicates %s (from %s to %s), so a test failover goes %s",
				*p.FailoverDirection, st.VMName, direction, source.location, target.location, direction)
		}
		// The isolated network: in the target region, with a subnet named
		// like the item's recovery subnet.
		network, subnet, err := testNetwork(tx, *p.NetworkID, tfoSubnet(it, target.subnetName), target.location)
		if err != nil {
			return err
		}
		// The recovery point.
		m, err := f.s.itemModel(tx, it)
		if err != nil {
			return err
		}
		point, err := pickPoint(it, m, pointID, now)
		if err != nil {
			return err
		}
		// Where the VM comes up.
		group, err := requireRecoveryGroup(tx, target.groupID, "providerSpecificDetails.recoveryAzureResourceGroupId")
		if err != nil {
			return err
		}
		name := target.vmName + tfoVMSuffix
		if err := compute.ValidateVMName(name); err != nil {
			return arm.SiteRecoveryInvalidReference("InvalidTestFailoverVmName", "recoveryAzureVMName",
				"the test failover VM would be named '%s', which is not a valid VM name: shorten the recovery VM name", name)
		}
		sub, gname, _ := arm.SplitGroupID(group)
		if _, exists := tx.Get(compute.VMID(sub, gname, name)); exists {
			return arm.SiteRecoveryConflict("TestFailoverVmAlreadyExists",
				"A virtual machine named '%s' already exists in resource group '%s': the test failover VM of '%s' cannot be created. Delete it or rename the recovery VM first.",
				name, gname, st.VMName)
		}
		op, err := f.s.Ops.Start(tx, lro.Spec{Kind: kindItemTestFailover, ResourceID: it.ID, Location: loc.vault.Location,
			Method: http.MethodPost, APIVersion: req.APIVersion})
		if err != nil {
			return err
		}
		data := web.DataVersion{Version: point.Data.Version, WrittenAt: point.Data.WrittenAt, Label: f.s.labelOf(tx, source.vmID, point.Data.Version)}
		start := op.StartTime
		st.Failover.TestFailoverState = tfoInProgress
		st.Failover.Scenario, st.Failover.JobID, st.Failover.ScenarioStart = scenarioTestFailover, op.ID, &start
		st.Failover.TestFailover = &itemTestFailover{
			NetworkID: network, SubnetName: subnet, VMName: name,
			RecoveryPointID: it.ID + "/recoveryPoints/" + point.Name, RecoveryPointTime: point.Time, Data: data,
			StartedAt: start,
		}
		if err := service.PutJSON(tx, it.ID, it); err != nil {
			return err
		}
		resp = f.s.Ops.Accepted(req.Base, op)
		return nil
	})
	return resp, err
}

// requireAllowed refuses an operation the item's allowedOperations do not
// list (409 OperationNotAllowed, naming what is allowed and why).
func requireAllowed(v *protectedItemView, op string) error {
	p := &v.Properties
	if containsFold(p.AllowedOperations, op) {
		return nil
	}
	allowed := "none (wait for the running job to finish)"
	if len(p.AllowedOperations) > 0 {
		allowed = strings.Join(p.AllowedOperations, ", ")
	}
	why := ""
	switch p.ProtectionState {
	case replication.StateInitialReplication:
		why = " Initial replication must complete (protection state Protected) first."
	case stateEnablingProtection:
		why = " Protection is still being enabled."
	case stateDisablingProtection:
		why = " Protection is being disabled."
	}
	return arm.SiteRecoveryConflict("OperationNotAllowed",
		"The operation '%s' is not allowed on replication protected item '%s' in its current state (protection state %s, active location %s, test failover state %s).%s Allowed operations: %s.",
		op, v.Name, p.ProtectionState, p.ActiveLocation, p.TestFailoverState, why, allowed)
}

// testNetwork checks a test failover's network: it exists, is in the
// target region and has a subnet named subnetName (the item's recovery
// subnet). It returns the network's id as stored and the subnet's name.
func testNetwork(r store.Reader, id, subnetName, location string) (string, string, error) {
	const prop = "properties.networkId"
	vnet, ok, err := network.GetVNet(r, id)
	if err != nil {
		return "", "", err
	}
	if !ok || !strings.EqualFold(vnet.Type, "Microsoft.Network/virtualNetworks") {
		return "", "", arm.SiteRecoveryInvalidReference("TestFailoverNetworkNotFound", prop, "the virtual network '%s' was not found", id)
	}
	if vnet.Properties.ProvisioningState == service.StateDeleting {
		return "", "", arm.SiteRecoveryInvalidReference("TestFailoverNetworkNotFound", prop, "the virtual network '%s' is being deleted", vnet.Name)
	}
	if vnet.Location != location {
		return "", "", arm.SiteRecoveryInvalidReference("TestFailoverNetworkNotInRecoveryRegion", prop,
			"the virtual network '%s' is in %s, but the test failover VM comes up in %s: give a network of that region", vnet.Name, vnet.Location, location)
	}
	var names []string
	for _, sn := range vnet.Properties.Subnets {
		if strings.EqualFold(sn.Name, subnetName) {
			return vnet.ID, sn.Name, nil
		}
		names = append(names, sn.Name)
	}
	return "", "", arm.SiteRecoveryInvalidReference("TestFailoverSubnetNotFound", prop,
		"the virtual network '%s' has no subnet '%s' (its subnets: %s): the test failover VM joins the subnet named like the item's recovery subnet",
		vnet.Name, subnetName, strings.Join(names, ", "))
}

// pickPoint resolves a recoveryPointId: empty is the newest point (latest
// processed); otherwise the full id of one of the item's points.
func pickPoint(it *protectedItemRecord, m *replication.Item, id string, now time.Time) (replication.Point, error) {
	const prop = "properties.providerSpecificDetails.recoveryPointId"
	if it.Properties.Phase == phaseEnabling {
		return replication.Point{}, arm.SiteRecoveryConflict("NoRecoveryPointAvailable", "'%s' has no recovery point yet.", it.Properties.VMName)
	}
	if id == "" {
		p, ok := m.Latest(now)
		if !ok || !p.HasData {
			return replication.Point{}, arm.SiteRecoveryConflict("NoRecoveryPointAvailable",
				"'%s' has no recovery point yet: wait for the first one (the policy's crash-consistent frequency) and try again.", it.Properties.VMName)
		}
		return p, nil
	}
	prefix := strings.ToLower(it.ID + "/recoveryPoints/")
	if !strings.HasPrefix(strings.ToLower(id), prefix) || strings.Contains(id[len(prefix):], "/") {
		return replication.Point{}, arm.SiteRecoveryInvalidReference("InvalidRecoveryPointId", prop,
			"'%s' is not the id of a recovery point of '%s' (expected %s{name}; list the item's recoveryPoints)", id, it.Name, it.ID+"/recoveryPoints/")
	}
	name := id[len(prefix):]
	p, ok := m.FindPoint(name, now)
	if !ok || !p.HasData {
		return replication.Point{}, arm.NotFound("RecoveryPointNotFound",
			"The recovery point '%s' of replication protected item '%s' was not found: it never existed or has expired (list the item's recoveryPoints).",
			name, it.Name)
	}
	return p, nil
}

// labelOf is the label a VM's data version carried (its canary's text).
func (s *Service) labelOf(r store.Reader, vmID string, version int) string {
	st, ok, err := service.GetJSON[compute.VMState](r, compute.StateKey(vmID))
	if err != nil || !ok {
		return ""
	}
	for i := len(st.History) - 1; i >= 0; i-- {
		if st.History[i].Version == version {
			return st.History[i].Label
		}
	}
	return ""
}

// completeTestFailover makes the test VM, its NIC and public IP, and starts
// its site. An outage of the target region, or a target that disappeared
// meanwhile, fails the test failover (failTestFailover records it).
func (f *itemFailovers) completeTestFailover(tx *store.Tx, op *lro.Operation) error {
	it, ok, err := service.GetJSON[protectedItemRecord](tx, op.ResourceID)
	if err != nil || !ok {
		return service.NotFoundByID(op.ResourceID, err)
	}
	st := &it.Properties
	t := st.Failover.TestFailover
	if t == nil {
		return arm.Internal(errString("the item has no pending test failover"))
	}
	source, target := f.s.failoverSides(it)
	if f.s.Faults.RegionDown(target.location) {
		return arm.SiteRecoveryConflict("TestFailoverFailed",
			"Test failover of '%s' failed: the region %s is unavailable (outage), the test VM could not be created. Run test failover cleanup, then try again.",
			st.VMName, target.location)
	}
	made, err := f.s.createFailoverVM(tx, failoverVMSpec{
		itemID: it.ID, sourceVMID: source.vmID, groupID: target.groupID, location: target.location, zone: target.zone,
		name: t.VMName, size: target.vmSize, role: compute.RoleTest, titleSuffix: " (test failover)", data: t.Data,
		networkID: t.NetworkID, subnetName: t.SubnetName, tags: map[string]string{TestFailoverTag: it.ID},
	})
	if err != nil {
		return arm.SiteRecoveryConflict("TestFailoverFailed", "Test failover of '%s' failed: %s. Run test failover cleanup, then try again.",
			st.VMName, arm.AsError(err).Message)
	}
	now := f.s.Clock.Now()
	t.VMID, t.NICID, t.PublicIPID, t.CompletedAt = made.vmID, made.nicID, made.publicIPID, &now
	st.Failover.TestFailoverState = tfoMarkedForDeletion
	st.Failover.Scenario, st.Failover.JobID, st.Failover.ScenarioStart = scenarioNone, "", nil
	return service.PutJSON(tx, it.ID, it)
}

// failTestFailover records a failed test failover: cleanup is then allowed
// (and required before another test failover).
func (f *itemFailovers) failTestFailover(tx *store.Tx, op *lro.Operation) error {
	it, ok, err := service.GetJSON[protectedItemRecord](tx, op.ResourceID)
	if err != nil || !ok {
		return err
	}
	now := f.s.Clock.Now()
	st := &it.Properties
	st.Failover.TestFailoverState = tfoFailed
	st.Failover.Scenario, st.Failover.JobID, st.Failover.ScenarioStart = scenarioNone, "", nil
	if st.Failover.TestFailover != nil {
		st.Failover.TestFailover.FailedAt = &now
	}
	return service.PutJSON(tx, it.ID, it)
}

// refuseDisableWhileFailingOver refuses to disable protection while a test
// failover is pending cleanup (or the item is failed over, see
// failoverBlocksDisable).
func refuseDisableWhileFailingOver(it *protectedItemRecord) error {
	st := &it.Properties
	if s := orString(st.Failover.TestFailoverState, tfoNone); s != tfoNone {
		return arm.SiteRecoveryConflict("TestFailoverCleanupPending",
			"Protection of '%s' cannot be disabled while a test failover is pending cleanup (test failover state %s): run test failover cleanup (POST .../testFailoverCleanup) first.",
			st.VMName, s)
	}
	return failoverBlocksDisable(it)
}

// tfoDescription is testFailoverStateDescription.
func tfoDescription(state string) string {
	switch state {
	case tfoInProgress:
		return "Test failover in progress"
	case tfoMarkedForDeletion:
		return "Cleanup test failover pending"
	case tfoFailed:
		return "Test failover failed"
	case tfoCleanupInProgress:
		return "Cleanup test failover in progress"
	}
	return "None"
}

// failoverView applies the failover side of an item to its view: the
// current scenario, the test failover state and A2A details, the failover
// state machine's protection state and active location, and the allowed
// operations (which the actions check against).
func (s *Service) failoverView(r store.Reader, it *protectedItemRecord, v *protectedItemView, status replication.Status) {
	st := &it.Properties
	p := &v.Properties
	a := &p.ProviderSpecificDetails
	fs := &st.Failover
	p.CurrentScenario = currentScenario{ScenarioName: orString(fs.Scenario, scenarioNone), JobID: "", StartTime: fs.ScenarioStart}
	if fs.JobID != "" {
		p.CurrentScenario.JobID = vaultIDOf(it.ID) + "/replicationJobs/" + fs.JobID
	}
	tfo := orString(fs.TestFailoverState, tfoNone)
	p.TestFailoverState, p.TestFailoverStateDescription = tfo, tfoDescription(tfo)
	if t := fs.TestFailover; t != nil {
		a.SelectedTfoAzureNetworkID, a.TfoAzureVMName = t.NetworkID, t.VMName
	}
	s.failoverStateView(r, it, v, status)
	switch tfo {
	case tfoNone:
	case tfoInProgress, tfoCleanupInProgress:
		p.AllowedOperations = []string{}
	default:
		// Pending cleanup: cleanup, or an unplanned failover (a real
		// disaster is not held up by a drill's leftovers).
		ops := []string{opTestFailoverCleanup}
		if containsFold(p.AllowedOperations, opUnplannedFailover) {
			ops = append(ops, opUnplannedFailover)
		}
		p.AllowedOperations = ops
	}
}
