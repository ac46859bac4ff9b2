package siterecovery

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// A recovery plan's state as GET shows it: the operations it allows now,
// derived from its items as Site Recovery derives them. A plan allows an
// operation when every one of its items allows it (a test failover while
// each item is protected, its cleanup while each has one pending, commit
// after each failed over...), nothing while one of its operations runs,
// and nothing when it holds no items. A2A has no planned failover, so a
// plan of A2A items never lists PlannedFailover. The names are the
// plan's vocabulary (ReplicationProtectedItemOperation): TestFailover,
// TestFailoverCleanup, UnplannedFailover, Commit, ReverseReplicate.

// viewRecoveryPlan fills what GET derives and hides the running
// operation's bookkeeping.
func (s *Service) viewRecoveryPlan(r store.Reader, p *recoveryPlan) {
	run := p.Properties.Run
	p.Properties.Run = nil
	if p.Properties.ReplicationProviders == nil {
		p.Properties.ReplicationProviders = []string{instanceA2A}
	}
	ops := []string{}
	if run == nil {
		ops = s.planAllowedOperations(r, p)
	}
	p.Properties.AllowedOperations = ops
}

func (s *Service) planAllowedOperations(r store.Reader, p *recoveryPlan) []string {
	ops := []string{}
	items, err := planItems(r, p)
	if err != nil || len(items) == 0 {
		return ops
	}
	now := s.Clock.Now()
	allowed := make([][]string, 0, len(items))
	for _, x := range items {
		v, err := s.itemView(r, x.it, now)
		if err != nil {
			return ops
		}
		allowed = append(allowed, v.Properties.AllowedOperations)
	}
	for _, d := range s.planOps() {
		all := true
		for _, a := range allowed {
			if !allowsAny(a, d.itemOps) {
				all = false
				break
			}
		}
		if all {
			ops = append(ops, d.planOp)
		}
	}
	return ops
}
