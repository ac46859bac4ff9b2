package admin

import (
	"context"
	"net/http"
	"time"
)

// Replication is GET /_emulator/replication: every protected item as the
// replication model sees it now (Site Recovery's API shows less), and every
// replication pause recorded.
type Replication struct {
	// Now is the simulated time of the report.
	Now    time.Time         `json:"now"`
	Items  []ReplicationItem `json:"value"`
	Pauses []Pause           `json:"pauses"`
}

// ReplicationItem is one protected item.
type ReplicationItem struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	VMID           string `json:"vmId"`
	VMName         string `json:"vmName"`
	PrimaryRegion  string `json:"primaryRegion"`
	RecoveryRegion string `json:"recoveryRegion"`
	Phase          string `json:"phase"`
	// State is the protection state, e.g. "Protected".
	State  string `json:"state"`
	Health string `json:"health"`
	// RPOSeconds is nil until a first recovery point exists.
	RPOSeconds *float64 `json:"rpoSeconds"`
	LagSeconds float64  `json:"lagSeconds"`
	Paused     bool     `json:"paused"`
	// PausedBy are the ids of the fault rules pausing it.
	PausedBy       []string  `json:"pausedBy"`
	EnabledAt      time.Time `json:"enabledAt"`
	ProtectedAt    time.Time `json:"protectedAt"`
	ReplicatedUpTo time.Time `json:"replicatedUpTo"`
	// PrimaryData and RecoveryData are the data versions on each side.
	PrimaryData  *DataVersion `json:"primaryDataVersion"`
	RecoveryData *DataVersion `json:"recoveryDataVersion"`
	// RecoveryPoints are newest first.
	RecoveryPoints []RecoveryPoint `json:"recoveryPoints"`
	Failover       ItemFailover    `json:"failover"`
}

// RecoveryPoint is one recovery point with the data version it carries.
type RecoveryPoint struct {
	Name        string       `json:"name"`
	Time        time.Time    `json:"time"`
	Type        string       `json:"type"`
	SyncType    string       `json:"syncType"`
	DataVersion *DataVersion `json:"dataVersion"`
}

// ItemFailover is an item's failover side as stored.
type ItemFailover struct {
	// ActiveLocation is "Primary" or "Recovery".
	ActiveLocation string `json:"activeLocation"`
	// Scenario is the running scenario ("None" when idle), JobID and
	// ScenarioStartTime its job and start.
	Scenario          string     `json:"scenario"`
	JobID             string     `json:"jobId,omitempty"`
	ScenarioStartTime *time.Time `json:"scenarioStartTime,omitempty"`
	// TestFailoverState is "None", "InProgress", "MarkedForDeletion" (done,
	// cleanup pending), "Failed" or "CleanupInProgress".
	TestFailoverState              string     `json:"testFailoverState"`
	LastSuccessfulTestFailoverTime *time.Time `json:"lastSuccessfulTestFailoverTime,omitempty"`
	LastSuccessfulFailoverTime     *time.Time `json:"lastSuccessfulFailoverTime,omitempty"`
	// TestFailover is the pending test failover, until its cleanup ends.
	TestFailover *TestFailover `json:"testFailover,omitempty"`
	// FailoverState is the failover state machine's; nil if never failed
	// over.
	FailoverState *FailoverState `json:"failoverState,omitempty"`
}

// TestFailover is a pending test failover: what it used and made.
type TestFailover struct {
	NetworkID         string      `json:"networkId"`
	SubnetName        string      `json:"subnetName"`
	VMName            string      `json:"vmName"`
	VMID              string      `json:"vmId,omitempty"`
	NICID             string      `json:"nicId,omitempty"`
	PublicIPID        string      `json:"publicIpId,omitempty"`
	RecoveryPointID   string      `json:"recoveryPointId"`
	RecoveryPointTime time.Time   `json:"recoveryPointTime"`
	DataVersion       DataVersion `json:"dataVersion"`
	StartedAt         time.Time   `json:"startedAt"`
	CompletedAt       *time.Time  `json:"completedAt,omitempty"`
	FailedAt          *time.Time  `json:"failedAt,omitempty"`
	Comments          string      `json:"comments,omitempty"`
}

// FailoverState is the failover state machine's state.
type FailoverState struct {
	Phase         string `json:"phase,omitempty"`
	PreviousPhase string `json:"previousPhase,omitempty"`
	Kind          string `json:"kind,omitempty"`
	Direction     string `json:"direction,omitempty"`
	// Reversed: replication runs from the recovery region back.
	Reversed        bool        `json:"reversed,omitempty"`
	RecoveryVMID    string      `json:"recoveryVmId,omitempty"`
	RecoveryNICID   string      `json:"recoveryNicId,omitempty"`
	RecoveryPointID string      `json:"recoveryPointId,omitempty"`
	DataVersion     DataVersion `json:"dataVersion"`
	FailedOverAt    *time.Time  `json:"failedOverAt,omitempty"`
	Timeline        *Timeline   `json:"timeline,omitempty"`
}

// Timeline is a replication's course since it was enabled.
type Timeline struct {
	CreatedAt   time.Time `json:"createdAt"`
	EnabledAt   time.Time `json:"enabledAt"`
	ProtectedAt time.Time `json:"protectedAt"`
	LagSeconds  float64   `json:"lagSeconds"`
}

// Pause is one recorded replication pause: a rule's interval.
type Pause struct {
	RuleID string    `json:"ruleId"`
	Kind   FaultKind `json:"kind"`
	Region string    `json:"region,omitempty"`
	VMID   string    `json:"vmId,omitempty"`
	From   time.Time `json:"from"`
	// To is nil while the pause lasts; EndedBy then says what ended it:
	// "removed", "cleared" or "restart".
	To      *time.Time `json:"to,omitempty"`
	EndedBy string     `json:"endedBy,omitempty"`
}

// Replication reads the replication model's report.
func (c *Client) Replication(ctx context.Context) (Replication, error) {
	var r Replication
	err := c.do(ctx, http.MethodGet, "replication", nil, nil, &r)
	return r, err
}
