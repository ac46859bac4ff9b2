package failover

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/siterecovery"
)

// Failover types. A2A has only Unplanned: Planned is named to refuse it
// with the fix (Unplanned with ShutdownSourceVMs).
const (
	Planned   = "planned"
	Unplanned = "unplanned"
)

// Spec describes a real failover of a recovery plan's items.
type Spec struct {
	Name string
	// Groups fail over in order; the items of a group in parallel, between
	// the group's Pre and Post actions (run on the way to the recovery
	// side; a failback runs none). Manual steps are skipped, or fail the
	// failover when Required: a person approved it, nobody attends it.
	Groups []drill.Group
	// Type is Unplanned, the only failover A2A has ("" means it too).
	Type string
	// ShutdownSourceVMs asks Site Recovery to shut the source VMs down
	// before failing over (sourceSiteOperations Required): what to do when
	// the primary is reachable, so that it stops taking writes. With the
	// source region down the failover goes on without it.
	ShutdownSourceVMs bool
	// RecoveryPoint chooses each item's point (default latest_processed).
	RecoveryPoint drill.Selector
	// Reprotect starts replication back to the primary after the commit,
	// with the complete A2A re-protect input (reprotect_input.go): it needs
	// Site.
	Reprotect bool
	// Failback, after re-protect, fails the items back to the primary (an
	// unplanned failover RecoveryToPrimary, with ShutdownSourceVMs),
	// commits and re-protects them again. It needs Reprotect.
	Failback bool
	// Site is the items' azuredr_site: its containers, regions and the
	// recovery group the cache accounts live in (re-protect only).
	Site *Site
	// SwitchDNS, when set, points Geo-DNS at the recovery side (toRecovery
	// true, after the commit) or back at the primary (after the failback),
	// and returns the endpoint DNS answered with.
	SwitchDNS func(ctx context.Context, toRecovery bool) (answer string, err error)
	// Events receives every event as it happens (synchronously).
	Events func(drill.Event)
	// Clock and TimeScale as in testfailover.Spec: both unset, the
	// client's clock.
	Clock     func() time.Time
	TimeScale float64
}

// Validate reports every problem of the spec, each naming its field.
func (s Spec) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if strings.TrimSpace(s.Name) == "" {
		add("Name: a failover needs a name")
	}
	siterecovery.ValidateGroups(s.Groups, "a failover", add, func(id, _ string) string {
		return fmt.Sprintf("item %s is listed twice", id)
	}, func(field string, a drill.Action) {
		// Checked before anything starts: halfway through a real failover
		// is no time to find that nobody can do a step.
		if a.Type == drill.ActionManual && a.Required {
			add("%s: the required manual step %q (%s) needs a person, and a failover from Terraform runs unattended: do the step first and make it not required, or fail over from the portal", field, a.Name, a.Description)
		}
	})
	switch s.Type {
	case Unplanned, "":
	case Planned:
		add("Type: Azure to Azure replication has no planned failover; use %q with ShutdownSourceVMs (Site Recovery shuts the source VMs down first)", Unplanned)
	default:
		add("Type: %q is not %q", s.Type, Unplanned)
	}
	switch s.RecoveryPoint.Kind {
	case "", drill.PointLatest, drill.PointLatestProcessed, drill.PointLatestAppConsistent:
	default:
		add("RecoveryPoint.Kind: %q is not one of %s, %s, %s", s.RecoveryPoint.Kind, drill.PointLatest, drill.PointLatestProcessed, drill.PointLatestAppConsistent)
	}
	if s.Failback && !s.Reprotect {
		add("Failback: a failback needs Reprotect (the items must replicate back to the primary first)")
	}
	if s.Reprotect && (s.Site == nil || s.Site.PrimaryContainerID == "" || s.Site.RecoveryContainerID == "") {
		add("Site: re-protect needs the items' site (its protection containers, regions and recovery group)")
	}
	if s.TimeScale < 0 {
		add("TimeScale: negative")
	}
	return errors.Join(errs...)
}

// Site is what a re-protect needs of the items' azuredr_site. It is the
// drill's own type, not the provider's site.Info, so that the drill engine
// stays Terraform-free (layout_test.go).
type Site struct {
	Name                  string
	RecoveryResourceGroup string // where the site's cache accounts live
	PrimaryLocation       string
	RecoveryLocation      string
	PrimaryContainerID    string
	RecoveryContainerID   string
}
