package siterecovery

import (
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/replication"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// The protected item as GET shows it (ReplicationProtectedItem with
// A2AReplicationDetails), computed from the stored record and the
// replication model at read time.

type protectedItemView struct {
	ID         string             `json:"id"`
	Name       string             `json:"name"`
	Type       string             `json:"type"`
	Properties itemViewProperties `json:"properties"`
}

type itemViewProperties struct {
	FriendlyName                            string             `json:"friendlyName"`
	ProtectedItemType                       string             `json:"protectedItemType"`
	ProtectionState                         string             `json:"protectionState"`
	ProtectionStateDescription              string             `json:"protectionStateDescription"`
	ReplicationHealth                       string             `json:"replicationHealth"`
	FailoverHealth                          string             `json:"failoverHealth"`
	HealthErrors                            []healthErrorView  `json:"healthErrors"`
	ActiveLocation                          string             `json:"activeLocation"`
	AllowedOperations                       []string           `json:"allowedOperations"`
	TestFailoverState                       string             `json:"testFailoverState"`
	TestFailoverStateDescription            string             `json:"testFailoverStateDescription"`
	LastSuccessfulTestFailoverTime          *time.Time         `json:"lastSuccessfulTestFailoverTime,omitempty"`
	LastSuccessfulFailoverTime              *time.Time         `json:"lastSuccessfulFailoverTime,omitempty"`
	FailoverRecoveryPointID                 string             `json:"failoverRecoveryPointId,omitempty"`
	CurrentScenario                         currentScenario    `json:"currentScenario"`
	PolicyID                                string             `json:"policyId"`
	PolicyFriendlyName                      string             `json:"policyFriendlyName"`
	PrimaryFabricFriendlyName               string             `json:"primaryFabricFriendlyName"`
	PrimaryFabricProvider                   string             `json:"primaryFabricProvider"`
	RecoveryFabricFriendlyName              string             `json:"recoveryFabricFriendlyName"`
	RecoveryFabricID                        string             `json:"recoveryFabricId"`
	RecoveryContainerID                     string             `json:"recoveryContainerId"`
	PrimaryProtectionContainerFriendlyName  string             `json:"primaryProtectionContainerFriendlyName"`
	RecoveryProtectionContainerFriendlyName string             `json:"recoveryProtectionContainerFriendlyName"`
	ProviderSpecificDetails                 a2aReplicationView `json:"providerSpecificDetails"`
}

type currentScenario struct {
	ScenarioName string     `json:"scenarioName"`
	JobID        string     `json:"jobId,omitempty"`
	StartTime    *time.Time `json:"startTime,omitempty"`
}

// healthErrorView is Site Recovery's HealthError.
type healthErrorView struct {
	ErrorCode             string    `json:"errorCode"`
	ErrorMessage          string    `json:"errorMessage"`
	PossibleCauses        string    `json:"possibleCauses"`
	RecommendedAction     string    `json:"recommendedAction"`
	ErrorLevel            string    `json:"errorLevel"`
	ErrorSource           string    `json:"errorSource"`
	ErrorType             string    `json:"errorType"`
	ErrorCategory         string    `json:"errorCategory"`
	SummaryMessage        string    `json:"summaryMessage"`
	EntityID              string    `json:"entityId"`
	ErrorID               string    `json:"errorId"`
	CustomerResolvability string    `json:"customerResolvability"`
	CreationTimeUTC       time.Time `json:"creationTimeUtc"`
}

type a2aReplicationView struct {
	InstanceType                   string              `json:"instanceType"`
	FabricObjectID                 string              `json:"fabricObjectId"`
	PrimaryFabricLocation          string              `json:"primaryFabricLocation"`
	RecoveryFabricLocation         string              `json:"recoveryFabricLocation"`
	MultiVMGroupName               string              `json:"multiVmGroupName,omitempty"`
	MultiVMGroupID                 string              `json:"multiVmGroupId,omitempty"`
	MultiVMGroupCreateOption       string              `json:"multiVmGroupCreateOption,omitempty"`
	RpoInSeconds                   *int64              `json:"rpoInSeconds,omitempty"`
	LastRpoCalculatedTime          *time.Time          `json:"lastRpoCalculatedTime,omitempty"`
	LastHeartbeat                  *time.Time          `json:"lastHeartbeat,omitempty"`
	RecoveryAzureVMName            string              `json:"recoveryAzureVMName"`
	RecoveryAzureVMSize            string              `json:"recoveryAzureVMSize,omitempty"`
	RecoveryAzureResourceGroupID   string              `json:"recoveryAzureResourceGroupId"`
	SelectedRecoveryAzureNetworkID string              `json:"selectedRecoveryAzureNetworkId"`
	RecoveryAvailabilityZone       string              `json:"recoveryAvailabilityZone,omitempty"`
	SelectedTfoAzureNetworkID      string              `json:"selectedTfoAzureNetworkId,omitempty"`
	TfoAzureVMName                 string              `json:"tfoAzureVMName,omitempty"`
	RecoveryAzureVMID              string              `json:"recoveryFabricObjectId,omitempty"`
	PrimaryAvailabilityZone        string              `json:"primaryAvailabilityZone,omitempty"`
	VMNics                         []vmNicView         `json:"vmNics"`
	ProtectedManagedDisks          []protectedDiskView `json:"protectedManagedDisks"`
	MonitoringJobType              string              `json:"monitoringJobType,omitempty"`
	MonitoringPercentageCompletion *int                `json:"monitoringPercentageCompletion,omitempty"`
	VMProtectionState              string              `json:"vmProtectionState"`
	VMProtectionStateDescription   string              `json:"vmProtectionStateDescription"`
	OSType                         string              `json:"osType,omitempty"`
}

type vmNicView struct {
	NicID                string         `json:"nicId"`
	SourceNicArmID       string         `json:"sourceNicArmId"`
	VMNetworkName        string         `json:"vMNetworkName,omitempty"`
	RecoveryVMNetworkID  string         `json:"recoveryVMNetworkId"`
	RecoveryVMSubnetName string         `json:"recoveryVMSubnetName"`
	SelectionType        string         `json:"selectionType"`
	IPConfigs            []ipConfigView `json:"ipConfigs"`
}

type ipConfigView struct {
	Name                      string `json:"name,omitempty"`
	IsPrimary                 bool   `json:"isPrimary"`
	SubnetName                string `json:"subnetName,omitempty"`
	StaticIPAddress           string `json:"staticIPAddress,omitempty"`
	IPAddressType             string `json:"ipAddressType"`
	RecoverySubnetName        string `json:"recoverySubnetName"`
	RecoveryIPAddressType     string `json:"recoveryIPAddressType"`
	RecoveryStaticIPAddress   string `json:"recoveryStaticIPAddress,omitempty"`
	RecoveryPublicIPAddressID string `json:"recoveryPublicIPAddressId,omitempty"`
	TfoSubnetName             string `json:"tfoSubnetName,omitempty"`
	TfoStaticIPAddress        string `json:"tfoStaticIPAddress,omitempty"`
	TfoPublicIPAddressID      string `json:"tfoPublicIPAddressId,omitempty"`
}

type protectedDiskView struct {
	DiskID                              string `json:"diskId"`
	DiskName                            string `json:"diskName"`
	DiskType                            string `json:"diskType,omitempty"`
	DiskCapacityInBytes                 int64  `json:"diskCapacityInBytes,omitempty"`
	DiskState                           string `json:"diskState"`
	RecoveryResourceGroupID             string `json:"recoveryResourceGroupId"`
	RecoveryReplicaDiskAccountType      string `json:"recoveryReplicaDiskAccountType"`
	RecoveryTargetDiskAccountType       string `json:"recoveryTargetDiskAccountType"`
	PrimaryStagingAzureStorageAccountID string `json:"primaryStagingAzureStorageAccountId,omitempty"`
	MonitoringJobType                   string `json:"monitoringJobType,omitempty"`
	MonitoringPercentageCompletion      *int   `json:"monitoringPercentageCompletion,omitempty"`
}

// Allowed operations by state.
var (
	// A2A has no planned failover: Azure never lists PlannedFailover.
	opsProtected          = []string{"TestFailover", "UnplannedFailover", "DisableProtection"}
	opsInitialReplication = []string{"DisableProtection"}
)

const (
	stateEnablingProtection  = "EnablingProtection"
	stateDisablingProtection = "DisablingProtection"
)

// itemModel is the replication model of an item: its timeline, its policy
// (the live one, or the settings it was enabled with), the pauses that
// apply to its VM and the VM's data history.
func (s *Service) itemModel(r store.Reader, it *protectedItemRecord) (*replication.Item, error) {
	st := &it.Properties
	pol := st.Policy
	if p, ok, err := policyOf(r, st.PolicyID); err != nil {
		return nil, err
	} else if ok {
		pol = p.Properties.ProviderSpecificDetails
	}
	// After a re-protect, replication runs from the other side on a
	// timeline of its own (failover.go).
	sourceVM, sourceLocation, timeline := st.replicationSource()
	m := &replication.Item{
		ID:          it.ID,
		Name:        st.VMName,
		EnabledAt:   timeline.EnabledAt,
		ProtectedAt: timeline.ProtectedAt,
		Lag:         st.lag(),
		Policy: replication.Policy{
			RetentionMinutes:                int(pol.RecoveryPointHistory),
			AppConsistentFrequencyMinutes:   int(pol.AppConsistentFrequencyInMinutes),
			CrashConsistentFrequencyMinutes: int(pol.CrashConsistentFrequencyInMinutes),
			MultiVMSync:                     pol.MultiVMSyncStatus == multiVMEnable,
		},
		MultiVMGroup: st.MultiVMGroupName,
	}
	pauses, err := replicationPauses(r)
	if err != nil {
		return nil, err
	}
	for _, p := range pauses {
		if p.appliesTo(sourceVM, sourceLocation) {
			m.Pauses = append(m.Pauses, p.modelPause())
		}
	}
	vs, ok, err := service.GetJSON[compute.VMState](r, compute.StateKey(sourceVM))
	if err != nil {
		return nil, err
	}
	if ok {
		history := vs.History
		if len(history) == 0 {
			history = append(history, vs.Data)
		}
		for _, v := range history {
			m.History = append(m.History, replication.Version{Version: v.Version, WrittenAt: v.WrittenAt})
		}
	}
	return m, nil
}

// itemView is the item as GET shows it at now.
func (s *Service) itemView(r store.Reader, it *protectedItemRecord, now time.Time) (*protectedItemView, error) {
	m, err := s.itemModel(r, it)
	if err != nil {
		return nil, err
	}
	st := &it.Properties
	status := m.Status(now)
	v := &protectedItemView{ID: it.ID, Name: it.Name, Type: protectedItemType}
	p := &v.Properties
	p.FriendlyName = st.VMName
	p.ProtectedItemType = itemProtectedItemTypeVM
	p.ProtectionState, p.ProtectionStateDescription = status.ProtectionState, status.ProtectionStateDescription
	p.ReplicationHealth, p.FailoverHealth = status.Health, srHealthNormal
	p.HealthErrors = []healthErrorView{}
	for _, he := range status.HealthErrors {
		p.HealthErrors = append(p.HealthErrors, healthErrorView{
			ErrorCode: he.Code, ErrorMessage: he.Message, PossibleCauses: he.PossibleCauses, RecommendedAction: he.RecommendedAction,
			ErrorLevel: he.Level, ErrorSource: "Replication", ErrorType: "ReplicationHealth", ErrorCategory: "Replication",
			SummaryMessage: "Replication is paused", EntityID: it.ID, ErrorID: stableGUID(it.ID + "/healthErrors/" + he.PauseID),
			CustomerResolvability: "Allowed", CreationTimeUTC: he.CreatedAt,
		})
	}
	p.ActiveLocation = orString(st.Failover.ActiveLocation, "Primary")
	p.TestFailoverState = orString(st.Failover.TestFailoverState, "None")
	p.TestFailoverStateDescription = p.TestFailoverState
	p.LastSuccessfulTestFailoverTime = st.Failover.LastSuccessfulTestFailoverTime
	p.LastSuccessfulFailoverTime = st.Failover.LastSuccessfulFailoverTime
	p.PolicyID = st.PolicyID
	p.PolicyFriendlyName = lastSegment(st.PolicyID)
	if pol, ok, _ := policyOf(r, st.PolicyID); ok && pol.Properties.FriendlyName != "" {
		p.PolicyFriendlyName = pol.Properties.FriendlyName
	}
	p.PrimaryFabricFriendlyName = friendlyFabric(r, st.PrimaryFabricID)
	p.PrimaryFabricProvider = instanceAzure
	p.RecoveryFabricFriendlyName = friendlyFabric(r, st.RecoveryFabricID)
	p.RecoveryFabricID = st.RecoveryFabricID
	p.RecoveryContainerID = st.RecoveryContainerID
	p.PrimaryProtectionContainerFriendlyName = friendlyContainer(r, st.PrimaryContainerID)
	p.RecoveryProtectionContainerFriendlyName = friendlyContainer(r, st.RecoveryContainerID)

	a := &p.ProviderSpecificDetails
	a.InstanceType = instanceA2A
	a.FabricObjectID = st.VMID
	a.PrimaryFabricLocation, a.RecoveryFabricLocation = st.PrimaryLocation, st.RecoveryLocation
	a.MultiVMGroupName, a.MultiVMGroupID = st.MultiVMGroupName, st.MultiVMGroupID
	if st.MultiVMGroupName != "" {
		a.MultiVMGroupCreateOption = "UserSpecified"
	}
	a.RecoveryAzureVMName = orString(st.Recovery.VMName, st.VMName)
	a.RecoveryAzureVMSize = st.Recovery.VMSize
	a.RecoveryAzureResourceGroupID = st.Recovery.ResourceGroupID
	a.SelectedRecoveryAzureNetworkID = st.Recovery.NetworkID
	a.RecoveryAvailabilityZone, a.PrimaryAvailabilityZone = st.Recovery.AvailabilityZone, st.PrimaryZone
	a.VMNics = []vmNicView{}
	for _, n := range st.NICs {
		a.VMNics = append(a.VMNics, vmNicView{
			NicID: n.NICID, SourceNicArmID: n.NICID, VMNetworkName: n.PrimaryNetworkID,
			RecoveryVMNetworkID: st.Recovery.NetworkID, RecoveryVMSubnetName: n.RecoverySubnetName, SelectionType: "SelectedByUser",
			IPConfigs: []ipConfigView{nicIPConfigView(n)},
		})
	}
	a.ProtectedManagedDisks = []protectedDiskView{}
	for _, d := range st.Disks {
		dv := protectedDiskView{DiskID: d.DiskID, DiskName: d.DiskName, DiskType: d.DiskType, DiskCapacityInBytes: int64(d.CapacityGB) << 30,
			DiskState: "Protected", RecoveryResourceGroupID: d.RecoveryResourceGroupID,
			RecoveryReplicaDiskAccountType: d.ReplicaDiskAccountType, RecoveryTargetDiskAccountType: d.TargetDiskAccountType,
			PrimaryStagingAzureStorageAccountID: d.StagingAccountID}
		if status.MonitoringPercentageCompletion != nil {
			dv.DiskState, dv.MonitoringJobType, dv.MonitoringPercentageCompletion = "InitialReplicationPending", status.MonitoringJobType, status.MonitoringPercentageCompletion
		}
		a.ProtectedManagedDisks = append(a.ProtectedManagedDisks, dv)
	}
	a.MonitoringJobType, a.MonitoringPercentageCompletion = status.MonitoringJobType, status.MonitoringPercentageCompletion
	if status.RPO != nil {
		secs := int64(status.RPO.Seconds())
		a.RpoInSeconds, a.LastRpoCalculatedTime = &secs, status.RPOCalculatedAt
	}
	hb := status.LastHeartbeat
	a.LastHeartbeat = &hb

	switch {
	case st.Phase == phaseEnabling:
		p.ProtectionState, p.ProtectionStateDescription = stateEnablingProtection, "Enabling protection"
		p.AllowedOperations = []string{}
		a.MonitoringJobType, a.MonitoringPercentageCompletion, a.LastHeartbeat = "", nil, nil
	case st.Phase == phaseDisabling:
		p.ProtectionState, p.ProtectionStateDescription = stateDisablingProtection, "Disabling protection"
		p.AllowedOperations = []string{}
	case status.ProtectionState == replication.StateProtected:
		p.AllowedOperations = append([]string(nil), opsProtected...)
	default:
		p.AllowedOperations = append([]string(nil), opsInitialReplication...)
	}
	// The test failover and failover state machines (tfo.go,
	// failover.go) override states and allowed operations.
	s.failoverView(r, it, v, status)
	// The job running on the item, whatever started it (jobs.go).
	p.CurrentScenario = s.currentScenarioOf(r, it.ID)
	a.VMProtectionState, a.VMProtectionStateDescription = p.ProtectionState, p.ProtectionStateDescription
	return v, nil
}

func orString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func friendlyFabric(r store.Reader, id string) string {
	if f, ok, _ := fabricOf(r, id); ok && f.Properties.FriendlyName != "" {
		return f.Properties.FriendlyName
	}
	return lastSegment(id)
}

func friendlyContainer(r store.Reader, id string) string {
	if c, ok, _ := containerOf(r, id); ok && c.Properties.FriendlyName != "" {
		return c.Properties.FriendlyName
	}
	return lastSegment(id)
}
