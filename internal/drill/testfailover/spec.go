package testfailover

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/siterecovery"
)

// Spec describes one parallel drill.
type Spec struct {
	// Name identifies the drill in events and in the actions' environment.
	Name string
	// Groups fail over in order; the items of a group fail over in parallel.
	Groups []drill.Group
	// TestNetworkID is the isolated virtual network the test VMs join.
	TestNetworkID string
	// RecoveryPoint chooses each item's recovery point.
	RecoveryPoint drill.Selector
	// Checks run against the test VMs until they pass.
	Checks []drill.Check
	// Objectives are the targets the measured figures are held to.
	Objectives drill.Objectives
	// CheckGrace is how long past the RTO objective failing checks are
	// still retried (drill time, as RTO is measured; default a tenth of the
	// RTO objective): then the drill fails with each check's last error and
	// cleans up, rather than retrying until its timeout. Without an RTO
	// objective checks are retried until the timeout.
	CheckGrace time.Duration
	// Canary, when set, writes a new data version on the primary before the
	// failover, so the drill can measure real data loss.
	Canary *drill.Canary
	// ProbeVMID, when set, is a VM of the test network that runs the
	// checks from the DR site (Check.From FromDRSite) instead of the test
	// VMs themselves; it must be running, with the VM agent.
	ProbeVMID string
	// ProbeVM, when set, asks the drill to make a probe VM in the test
	// network for the checks from the DR site, and remove it at cleanup
	// (probe_vm.go). Not with ProbeVMID.
	ProbeVM *ProbeVM
	// Isolation is the isolation proof run before the checks.
	Isolation drill.IsolationProof
	// CheckInterval is the pause between two attempts of a failing check
	// (real time; default 5s).
	CheckInterval time.Duration
	// CheckTimeout bounds one attempt of one check (real time; default 10s).
	CheckTimeout time.Duration
	// CleanupTimeout bounds cleanup (default CleanupTimeout, 30 minutes),
	// which runs even when ctx is cancelled: a caller with a deadline of
	// its own (go test -timeout) keeps room for it.
	CleanupTimeout time.Duration
	// Unattended means nobody is there for manual actions: one that is not
	// Required is skipped (and logged), a Required one fails the drill.
	Unattended bool
	// Manual performs a manual action when the drill is attended (for
	// example an approval gate); it returns nil once the step is done. With
	// no Manual function every drill is unattended.
	Manual drill.ManualFunc
	// Events receives every event as it happens, synchronously: it must
	// not block for long. Events are also in Result.Events.
	Events func(drill.Event)
	// Clock is the time the drill measures with, and TimeScale its seconds
	// per real second. Both unset: the client's clock (azure.Client.Clock:
	// the wall clock for Azure, the emulator's simulated clock for the
	// emulator). Clock set and TimeScale 0: TimeScale 1. See doc.go.
	Clock     func() time.Time
	TimeScale float64
}

// Validate reports every problem of the spec, each naming its field.
func (s Spec) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if strings.TrimSpace(s.Name) == "" {
		add("Name: a drill needs a name")
	}
	siterecovery.ValidateGroups(s.Groups, "a drill", add, func(id, first string) string {
		return fmt.Sprintf("item %s is already in %s", id, first)
	}, nil)
	if _, err := parseNetworkID(s.TestNetworkID); err != nil {
		add("TestNetworkID: %v", err)
	}
	switch s.RecoveryPoint.Kind {
	case "", drill.PointLatest, drill.PointLatestProcessed, drill.PointLatestAppConsistent:
		if !s.RecoveryPoint.Before.IsZero() {
			add("RecoveryPoint.Before: only for Kind %q (Kind is %q)", drill.PointBefore, s.RecoveryPoint.Kind)
		}
	case drill.PointBefore:
		if s.RecoveryPoint.Before.IsZero() {
			add("RecoveryPoint.Before: Kind %q needs the time the point must precede", drill.PointBefore)
		}
	default:
		add("RecoveryPoint.Kind: %q is not one of %s, %s, %s, %s", s.RecoveryPoint.Kind, drill.PointLatest, drill.PointLatestProcessed, drill.PointLatestAppConsistent, drill.PointBefore)
	}
	names := map[string]bool{}
	for i, c := range s.Checks {
		drill.ValidateCheck(fmt.Sprintf("Checks[%d]", i), c, add)
		if c.Name != "" && names[c.Name] {
			add("Checks[%d].Name: %q is used twice", i, c.Name)
		}
		names[c.Name] = true
		if c.Group > len(s.Groups) {
			add("Checks[%d].Group: %d: the drill has %d group(s), counted from 1", i, c.Group, len(s.Groups))
		}
	}
	if s.CheckGrace < 0 {
		add("CheckGrace: negative")
	}
	if s.Objectives.RTO < 0 {
		add("Objectives.RTO: negative")
	}
	if s.Objectives.RPO < 0 {
		add("Objectives.RPO: negative")
	}
	if s.Canary != nil {
		drill.ValidateCanary("Canary", *s.Canary, add)
	}
	if s.ProbeVMID != "" {
		if id, err := arm.ParseResourceID(s.ProbeVMID); err != nil || !strings.EqualFold(id.ResourceType.String(), "Microsoft.Compute/virtualMachines") {
			add("ProbeVMID: %q is not a VM id: expected /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<name>", s.ProbeVMID)
		}
	}
	if s.ProbeVM != nil {
		if s.ProbeVMID != "" {
			add("ProbeVM: set with ProbeVMID: name a probe VM or ask for one to be made, not both")
		}
		s.ProbeVM.validate("ProbeVM", add)
	}
	drill.ValidateIsolation("Isolation", s.Isolation, add)
	if s.CheckInterval < 0 {
		add("CheckInterval: negative")
	}
	if s.CheckTimeout < 0 {
		add("CheckTimeout: negative")
	}
	if s.CleanupTimeout < 0 {
		add("CleanupTimeout: negative")
	}
	if s.TimeScale < 0 {
		add("TimeScale: negative")
	}
	return errors.Join(errs...)
}
