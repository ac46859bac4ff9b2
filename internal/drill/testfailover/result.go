package testfailover

import (
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

// Result is what a drill measured. Run returns it even when the drill
// fails, with the figures it got that far.
type Result struct {
	Name      string
	StartedAt time.Time
	Items     []ItemResult
	// Canaries are the writes made before the failover.
	Canaries []drill.CanaryWrite
	// RecoveryStartedAt is when the first group started, after validation,
	// the isolation check and the canary's wait: the disaster's moment.
	RecoveryStartedAt time.Time
	// ChecksPassedAt is when the last check first passed (zero if never).
	ChecksPassedAt time.Time
	// MeasuredRTO is RecoveryStartedAt to ChecksPassedAt (0 if the checks
	// never all passed): the drill's own preparation is not recovery time.
	MeasuredRTO time.Duration
	// MeasuredRPO is the largest, over items, of failover start minus the
	// recovery point's time.
	MeasuredRPO time.Duration
	// CanaryDataLoss is nil without a canary or when no test VM reported its
	// data; 0 when every test VM serves the canary's version or newer; else
	// the time between the canary's write and the write of the data served.
	CanaryDataLoss *time.Duration
	// Passed: every check passed, no objective breached, no action failed,
	// and the drill ran to its end.
	Passed   bool
	Breaches []drill.Breach
	// CleanupCompletedAt is when cleanup ended (zero if it never ran).
	CleanupCompletedAt time.Time
	// Leftovers describe what cleanup could not remove or confirm gone.
	Leftovers []string
	Events    []drill.Event
}

// ItemResult is one failed-over item.
type ItemResult struct {
	ItemID string
	Group  int
	// VMName is the source VM's name.
	VMName     string
	TestVMName string
	TestVMID   string
	// Address is where the checks reached the test VM.
	Address             string
	PrivateIP           string
	RecoveryPoint       drill.RecoveryPoint
	FailoverStartedAt   time.Time
	FailoverCompletedAt time.Time
	// TestFailoverJobID and CleanupJobID are the Site Recovery jobs of the
	// item's test failover and of its cleanup ({vault}/replicationJobs/{name};
	// "" when it did not start).
	TestFailoverJobID string
	CleanupJobID      string
	// ReadyAt is when the item's checks first all passed.
	ReadyAt time.Time
	// DataVersion is the data version the test VM served (0 unknown) and
	// DataWrittenAt when that version was written.
	DataVersion   int
	DataWrittenAt time.Time
	// CanaryMarkerAt is the time in the file canary's marker the test VM
	// holds (zero: none found or no file canary).
	CanaryMarkerAt time.Time
}

// measure fills the figures derived from the items: RTO, RPO, breaches,
// canary loss.
func (r *Result) measure(obj drill.Objectives) {
	r.Breaches = nil
	if !r.ChecksPassedAt.IsZero() {
		from := r.RecoveryStartedAt
		if from.IsZero() {
			from = r.StartedAt
		}
		r.MeasuredRTO = r.ChecksPassedAt.Sub(from)
		r.Breaches = append(r.Breaches, obj.RTOBreach(r.MeasuredRTO)...)
	}
	r.MeasuredRPO = 0
	for _, it := range r.Items {
		rpo, ok := it.RecoveryPoint.RPO(it.FailoverStartedAt)
		if !ok {
			continue
		}
		r.MeasuredRPO = max(r.MeasuredRPO, rpo)
		r.Breaches = append(r.Breaches, obj.RPOBreach(it.ItemID, rpo)...)
	}
	r.CanaryDataLoss = canaryLoss(r.Canaries, r.Items)
}

// canaryLoss compares what the test VMs serve with the canaries: a write
// made for an item is held against that item's test VM, a write made once
// against every test VM that reports its data.
func canaryLoss(writes []drill.CanaryWrite, items []ItemResult) *time.Duration {
	if len(writes) == 0 {
		return nil
	}
	var loss time.Duration
	compared := false
	for _, it := range items {
		for _, w := range writes {
			if w.Item != "" && w.Item != it.ItemID {
				continue
			}
			if w.File != "" {
				// The file canary: the newest marker the test VM holds
				// against the write (none found: nothing to measure).
				if !it.CanaryMarkerAt.IsZero() {
					compared = true
					loss = max(loss, w.WrittenAt.Sub(it.CanaryMarkerAt), 0)
				}
				continue
			}
			if it.DataVersion == 0 {
				continue
			}
			if it.DataVersion >= w.Version {
				compared = true
				continue
			}
			if it.DataWrittenAt.IsZero() {
				continue // older data of unknown age: nothing to measure
			}
			compared = true
			loss = max(loss, w.WrittenAt.Sub(it.DataWrittenAt), 0)
		}
	}
	if !compared {
		return nil
	}
	return &loss
}
