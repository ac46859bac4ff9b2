package siterecovery

import (
	"sort"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/faults"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/replication"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Replication pauses, durably. Fault rules live in memory, but the RPO a
// protected item shows later (and the data its recovery points carry) depends
// on when replication was paused, so every rule that pauses replication (see
// faults.Rule.PausesReplication: a replicationPause rule, or a lasting region
// outage) is recorded as an interval under
//
//	/_emulator/replication/pauses/{ruleId}
//
// opened (from = now) when the rule is added and closed (to = now) when it is
// removed or the rules are cleared. A restart clears the rules, so intervals
// still open when the emulator starts are closed then.

const replicationPausesPrefix = "/_emulator/replication/pauses/"

// replicationPauseRecord is one pause interval.
type replicationPauseRecord struct {
	RuleID string      `json:"ruleId"`
	Kind   faults.Kind `json:"kind"`
	// Region pauses every protected VM whose source is in it; VMID one VM.
	Region string     `json:"region,omitempty"`
	VMID   string     `json:"vmId,omitempty"`
	From   time.Time  `json:"from"`
	To     *time.Time `json:"to,omitempty"`
	// EndedBy says what closed the interval: "removed", "cleared" or
	// "restart".
	EndedBy string `json:"endedBy,omitempty"`
}

func replicationPauseKey(ruleID string) string { return replicationPausesPrefix + ruleID }

// StartReplicationPause records the interval a newly added rule opens, if
// the rule pauses replication.
func (s *Service) StartReplicationPause(rule faults.Rule) error {
	if !rule.PausesReplication() {
		return nil
	}
	rec := replicationPauseRecord{RuleID: rule.ID, Kind: rule.Kind, Region: rule.Region, VMID: rule.VMID, From: s.Clock.Now()}
	return s.Store.Update(func(tx *store.Tx) error { return service.PutJSON(tx, replicationPauseKey(rule.ID), rec) })
}

// EndReplicationPauses closes the open intervals of the given rules, or of
// every rule when ruleIDs is nil.
func (s *Service) EndReplicationPauses(ruleIDs []string, endedBy string) error {
	now := s.Clock.Now()
	return s.Store.Update(func(tx *store.Tx) error {
		all, err := replicationPauses(tx)
		if err != nil {
			return err
		}
		for _, p := range all {
			if p.To != nil || (ruleIDs != nil && !containsFold(ruleIDs, p.RuleID)) {
				continue
			}
			p.To, p.EndedBy = &now, endedBy
			if err := service.PutJSON(tx, replicationPauseKey(p.RuleID), p); err != nil {
				return err
			}
		}
		return nil
	})
}

// CloseReplicationPausesLeftOpen ends the intervals of the rules a previous
// run had (a restart clears every rule).
func (s *Service) CloseReplicationPausesLeftOpen() error {
	return s.EndReplicationPauses(nil, "restart")
}

// replicationPauses lists every recorded interval, oldest first.
func replicationPauses(r store.Reader) ([]*replicationPauseRecord, error) {
	var out []*replicationPauseRecord
	for _, e := range r.List(replicationPausesPrefix) {
		p, _, err := service.GetJSON[replicationPauseRecord](r, e.Key)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].From.Before(out[j].From) })
	return out, nil
}

// appliesTo reports whether the interval pauses the replication of the VM
// vmID whose source region is region.
func (p *replicationPauseRecord) appliesTo(vmID, region string) bool {
	if p.VMID != "" {
		return strings.EqualFold(p.VMID, vmID)
	}
	return p.Region != "" && p.Region == region
}

// modelPause is the interval as the replication model takes it, with the
// reason its health error gives.
func (p *replicationPauseRecord) modelPause() replication.Pause {
	var reason string
	switch {
	case p.Kind == faults.Outage:
		reason = "an outage of the source region " + p.Region + " (emulated outage fault " + p.RuleID + ")"
	case p.Kind == faults.VMFailure:
		reason = "a failure of this virtual machine's host (emulated vmFailure fault " + p.RuleID + ")"
	case p.VMID != "":
		reason = "an emulated fault pausing this virtual machine's replication (replicationPause fault " + p.RuleID + ")"
	default:
		reason = "an emulated fault pausing replication from region " + p.Region + " (replicationPause fault " + p.RuleID + ")"
	}
	return replication.Pause{ID: p.RuleID, From: p.From, To: p.To, Reason: reason}
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
