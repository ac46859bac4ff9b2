package failover

import (
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

// The phases of a failover, besides those every drill has (package
// drill): see doc.go for their order.
const (
	PhaseFailover       = "failover"
	PhaseFailoverDone   = "failover-done"
	PhaseCommit         = "commit"
	PhaseCommitDone     = "commit-done"
	PhaseReprotect      = "reprotect"
	PhaseReprotectDone  = "reprotect-done"
	PhaseFailback       = "failback"
	PhaseFailbackDone   = "failback-done"
	PhaseDNS            = "dns"
	PhaseRecovered      = "recovered"
	PhaseProtectedAgain = "protected"
)

// Result is what a failover did and measured. Run returns
// it even when it fails.
type Result struct {
	Name      string
	StartedAt time.Time
	// RecoveredAt is when the last group was committed (and DNS switched,
	// when asked): the application runs on the recovery side.
	RecoveredAt   time.Time
	CommittedAt   time.Time
	ReprotectedAt time.Time
	FailedBackAt  time.Time
	// MeasuredRTO is StartedAt to RecoveredAt.
	MeasuredRTO time.Duration
	// DNSAnswerAfter is the endpoint DNS answered after the switch to the
	// recovery side, DNSAnswerBack after the failback.
	DNSAnswerAfter string
	DNSAnswerBack  string
	Items          []ItemResult
	Events         []drill.Event
}

// ItemResult is one item's course.
type ItemResult struct {
	ItemID              string
	Group               int
	VMName              string
	RecoveryPoint       drill.RecoveryPoint
	FailoverStartedAt   time.Time
	FailoverCompletedAt time.Time
	CommittedAt         time.Time
	ReprotectedAt       time.Time
	FailedBackAt        time.Time
	// The Site Recovery jobs (ARM ids) of the item's failover, commit,
	// re-protect back to the primary, failback and failback commit ("" for
	// one that did not start).
	FailoverJobID, CommitJobID, ReprotectJobID, FailbackJobID, FailbackCommitJobID string
	// ProtectionState and ActiveLocation as Site Recovery reported them at
	// the end.
	ProtectionState string
	ActiveLocation  string
}
