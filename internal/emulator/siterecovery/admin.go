package siterecovery

import (
	"net/http"
	"sort"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/replication"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

// GET /_emulator/replication: every protected item as the replication model
// sees it now, for tests and people: state, health, RPO, whether it is
// paused, the data version on each side, and its recovery points (newest
// first) with the data version each carries.
//
// The answer is the admin client's types (admin.Replication and what it
// holds), so the shape is declared once. The item's failover side and the
// pauses are records the store persists (itemFailoverState, etc., and
// replicationPauseRecord): the view is built from them field by field
// (the functions below), never by making a record an admin type, so what
// is on disk does not follow the client. Each view's JSON is the record's.

// versionView is a data version of the model as the admin API shows it,
// nil when there is none. The replication model's versions carry no label,
// so none is shown.
func versionView(v replication.Version, ok bool) *admin.DataVersion {
	if !ok {
		return nil
	}
	return &admin.DataVersion{Version: v.Version, WrittenAt: v.WrittenAt}
}

// view is the item's failover side as stored, as the admin API shows it.
func (f itemFailoverState) view() admin.ItemFailover {
	v := admin.ItemFailover{
		ActiveLocation: f.ActiveLocation, Scenario: f.Scenario, JobID: f.JobID, ScenarioStartTime: f.ScenarioStart,
		TestFailoverState:              f.TestFailoverState,
		LastSuccessfulTestFailoverTime: f.LastSuccessfulTestFailoverTime, LastSuccessfulFailoverTime: f.LastSuccessfulFailoverTime,
	}
	if tf := f.TestFailover; tf != nil {
		v.TestFailover = &admin.TestFailover{
			NetworkID: tf.NetworkID, SubnetName: tf.SubnetName, VMName: tf.VMName, VMID: tf.VMID, NICID: tf.NICID, PublicIPID: tf.PublicIPID,
			RecoveryPointID: tf.RecoveryPointID, RecoveryPointTime: tf.RecoveryPointTime, DataVersion: tf.Data.View(),
			StartedAt: tf.StartedAt, CompletedAt: tf.CompletedAt, FailedAt: tf.FailedAt, Comments: tf.Comments,
		}
	}
	if fo := f.Failover; fo != nil {
		v.FailoverState = &admin.FailoverState{
			Phase: fo.Phase, PreviousPhase: fo.PreviousPhase, Kind: fo.Kind, Direction: fo.Direction, Reversed: fo.Reversed,
			RecoveryVMID: fo.RecoveryVMID, RecoveryNICID: fo.RecoveryNICID, RecoveryPointID: fo.RecoveryPointID,
			DataVersion: fo.Data.View(), FailedOverAt: fo.FailedOverAt,
		}
		if tl := fo.Timeline; tl != nil {
			v.FailoverState.Timeline = &admin.Timeline{CreatedAt: tl.CreatedAt, EnabledAt: tl.EnabledAt, ProtectedAt: tl.ProtectedAt, LagSeconds: tl.LagSeconds}
		}
	}
	return v
}

// view is the pause interval as the admin API shows it.
func (p *replicationPauseRecord) view() admin.Pause {
	return admin.Pause{RuleID: p.RuleID, Kind: admin.FaultKind(p.Kind), Region: p.Region, VMID: p.VMID, From: p.From, To: p.To, EndedBy: p.EndedBy}
}

func (t *protectedItems) adminReplication(*service.Request) (arm.Response, error) {
	r, now := t.s.Store, t.s.Clock.Now()
	out := admin.Replication{Now: now, Items: []admin.ReplicationItem{}, Pauses: []admin.Pause{}}
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
		rep := admin.ReplicationItem{
			ID: it.ID, Name: it.Name, VMID: it.Properties.VMID, VMName: it.Properties.VMName,
			PrimaryRegion: it.Properties.PrimaryLocation, RecoveryRegion: it.Properties.RecoveryLocation,
			Phase: it.Properties.Phase, State: view.Properties.ProtectionState, Health: st.Health, Failover: it.Properties.Failover.view(),
			LagSeconds: it.Properties.lag().Seconds(), Paused: st.Paused, PausedBy: []string{},
			EnabledAt: it.Properties.Timeline.EnabledAt, ProtectedAt: it.Properties.Timeline.ProtectedAt, ReplicatedUpTo: st.Position,
			PrimaryData: versionView(m.PrimaryData(now)), RecoveryData: versionView(m.RecoveryData(now)),
			RecoveryPoints: []admin.RecoveryPoint{},
		}
		if st.RPO != nil {
			secs := st.RPO.Seconds()
			rep.RPOSeconds = &secs
		}
		for _, p := range m.PausedAt(now) {
			rep.PausedBy = append(rep.PausedBy, p.ID)
		}
		for _, p := range t.s.itemPoints(it, m, now) {
			rep.RecoveryPoints = append(rep.RecoveryPoints, admin.RecoveryPoint{Name: p.Name, Time: p.Time, Type: p.Type,
				SyncType: p.SyncType, DataVersion: versionView(p.Data, p.HasData)})
		}
		out.Items = append(out.Items, rep)
	}
	pauses, err := replicationPauses(r)
	if err != nil {
		return arm.Response{}, err
	}
	for _, p := range pauses {
		out.Pauses = append(out.Pauses, p.view())
	}
	return arm.JSON(http.StatusOK, out), nil
}
