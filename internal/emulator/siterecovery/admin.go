package siterecovery

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/replication"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

// GET /_emulator/replication: every protected item as the replication model
// sees it now, for tests and people: state, health, RPO, whether it is
// paused, the data version on each side, and its recovery points (newest
// first) with the data version each carries.

type replicationReport struct {
	Now    time.Time               `json:"now"`
	Value  []replicationItemReport `json:"value"`
	Pauses []pauseReport           `json:"pauses"`
}

type replicationItemReport struct {
	ID             string                `json:"id"`
	Name           string                `json:"name"`
	VMID           string                `json:"vmId"`
	VMName         string                `json:"vmName"`
	PrimaryRegion  string                `json:"primaryRegion"`
	RecoveryRegion string                `json:"recoveryRegion"`
	Phase          string                `json:"phase"`
	State          string                `json:"state"`
	Health         string                `json:"health"`
	RPOSeconds     *float64              `json:"rpoSeconds"`
	LagSeconds     float64               `json:"lagSeconds"`
	Paused         bool                  `json:"paused"`
	PausedBy       []string              `json:"pausedBy"`
	EnabledAt      time.Time             `json:"enabledAt"`
	ProtectedAt    time.Time             `json:"protectedAt"`
	Position       time.Time             `json:"replicatedUpTo"`
	PrimaryData    *dataVersionReport    `json:"primaryDataVersion"`
	RecoveryData   *dataVersionReport    `json:"recoveryDataVersion"`
	RecoveryPoints []recoveryPointReport `json:"recoveryPoints"`
	// Failover is the item's failover side as stored: test failover state
	// and the pending test failover (network, VM, recovery point and data
	// version used, completion), the failover state machine's state.
	Failover itemFailoverState `json:"failover"`
}

type dataVersionReport struct {
	Version   int       `json:"version"`
	WrittenAt time.Time `json:"writtenAt"`
}

type recoveryPointReport struct {
	Name        string             `json:"name"`
	Time        time.Time          `json:"time"`
	Type        string             `json:"type"`
	SyncType    string             `json:"syncType"`
	DataVersion *dataVersionReport `json:"dataVersion"`
}

type pauseReport struct {
	RuleID  string     `json:"ruleId"`
	Kind    string     `json:"kind"`
	Region  string     `json:"region,omitempty"`
	VMID    string     `json:"vmId,omitempty"`
	From    time.Time  `json:"from"`
	To      *time.Time `json:"to,omitempty"`
	EndedBy string     `json:"endedBy,omitempty"`
}

func versionReport(v replication.Version, ok bool) *dataVersionReport {
	if !ok {
		return nil
	}
	return &dataVersionReport{Version: v.Version, WrittenAt: v.WrittenAt}
}

func (t *protectedItems) adminReplication(*service.Request) (arm.Response, error) {
	r, now := t.s.Store, t.s.Clock.Now()
	out := replicationReport{Now: now, Value: []replicationItemReport{}, Pauses: []pauseReport{}}
	var keys []string
	for _, e := range r.List("/subscriptions/") {
		if i := strings.LastIndex(e.Key, "/replicationprotecteditems/"); i >= 0 && !strings.Contains(e.Key[i+len("/replicationprotecteditems/"):], "/") {
			keys = append(keys, e.Key)
		}
	}
	sort.Strings(keys)
	for _, key := range keys {
		it, ok, err := service.GetJSON[protectedItemRecord](r, key)
		if err != nil {
			return arm.Response{}, err
		}
		if !ok {
			continue
		}
		m, err := t.s.itemModel(r, it)
		if err != nil {
			return arm.Response{}, err
		}
		view, err := t.s.itemView(r, it, now)
		if err != nil {
			return arm.Response{}, err
		}
		st := m.Status(now)
		rep := replicationItemReport{
			ID: it.ID, Name: it.Name, VMID: it.Properties.VMID, VMName: it.Properties.VMName,
			PrimaryRegion: it.Properties.PrimaryLocation, RecoveryRegion: it.Properties.RecoveryLocation,
			Phase: it.Properties.Phase, State: view.Properties.ProtectionState, Health: st.Health, Failover: it.Properties.Failover,
			LagSeconds: it.Properties.lag().Seconds(), Paused: st.Paused, PausedBy: []string{},
			EnabledAt: it.Properties.Timeline.EnabledAt, ProtectedAt: it.Properties.Timeline.ProtectedAt, Position: st.Position,
			PrimaryData: versionReport(m.PrimaryData(now)), RecoveryData: versionReport(m.RecoveryData(now)),
			RecoveryPoints: []recoveryPointReport{},
		}
		if st.RPO != nil {
			secs := st.RPO.Seconds()
			rep.RPOSeconds = &secs
		}
		for _, p := range m.PausedAt(now) {
			rep.PausedBy = append(rep.PausedBy, p.ID)
		}
		for _, p := range t.s.itemPoints(it, m, now) {
			rep.RecoveryPoints = append(rep.RecoveryPoints, recoveryPointReport{Name: p.Name, Time: p.Time, Type: p.Type,
				SyncType: p.SyncType, DataVersion: versionReport(p.Data, p.HasData)})
		}
		out.Value = append(out.Value, rep)
	}
	pauses, err := replicationPauses(r)
	if err != nil {
		return arm.Response{}, err
	}
	for _, p := range pauses {
		out.Pauses = append(out.Pauses, pauseReport{RuleID: p.RuleID, Kind: string(p.Kind), Region: p.Region, VMID: p.VMID,
			From: p.From, To: p.To, EndedBy: p.EndedBy})
	}
	return arm.JSON(http.StatusOK, out), nil
}
