package siterecovery

import (
	"net/http"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/replication"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

// Recovery points of a protected item (RecoveryPointsClient): computed by
// the replication model at read time, newest first, with stable names
// (derived from the item's id and the point's time).

type recoveryPointView struct {
	ID         string                  `json:"id"`
	Name       string                  `json:"name"`
	Type       string                  `json:"type"`
	Properties recoveryPointProperties `json:"properties"`
}

type recoveryPointProperties struct {
	RecoveryPointTime       time.Time       `json:"recoveryPointTime"`
	RecoveryPointType       string          `json:"recoveryPointType"`
	ProviderSpecificDetails a2aPointDetails `json:"providerSpecificDetails"`
}

type a2aPointDetails struct {
	InstanceType          string   `json:"instanceType"`
	RecoveryPointSyncType string   `json:"recoveryPointSyncType"`
	Disks                 []string `json:"disks"`
}

func pointView(it *protectedItemRecord, p replication.Point) recoveryPointView {
	disks := make([]string, 0, len(it.Properties.Disks))
	for _, d := range it.Properties.Disks {
		disks = append(disks, d.DiskID)
	}
	return recoveryPointView{
		ID:   it.ID + "/recoveryPoints/" + p.Name,
		Name: p.Name,
		Type: recoveryPointType,
		Properties: recoveryPointProperties{
			RecoveryPointTime:       p.Time,
			RecoveryPointType:       p.Type,
			ProviderSpecificDetails: a2aPointDetails{InstanceType: instanceA2A, RecoveryPointSyncType: p.SyncType, Disks: disks},
		},
	}
}

// itemPoints are the item's recovery points at now, newest first.
func (s *Service) itemPoints(it *protectedItemRecord, m *replication.Item, now time.Time) []replication.Point {
	if it.Properties.Phase == phaseEnabling {
		return nil
	}
	pts := m.Points(now)
	for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
		pts[i], pts[j] = pts[j], pts[i]
	}
	return pts
}

func (t *protectedItems) listPoints(req *service.Request) (arm.Response, error) {
	_, it, err := t.findItem(t.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	m, err := t.s.itemModel(t.s.Store, it)
	if err != nil {
		return arm.Response{}, err
	}
	out := []recoveryPointView{}
	for _, p := range t.s.itemPoints(it, m, t.s.Clock.Now()) {
		out = append(out, pointView(it, p))
	}
	return arm.JSON(http.StatusOK, service.List[recoveryPointView]{Value: out}), nil
}

func (t *protectedItems) getPoint(req *service.Request) (arm.Response, error) {
	_, it, err := t.findItem(t.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	m, err := t.s.itemModel(t.s.Store, it)
	if err != nil {
		return arm.Response{}, err
	}
	name := req.Param("recoveryPointName")
	if it.Properties.Phase != phaseEnabling {
		if p, ok := m.FindPoint(name, t.s.Clock.Now()); ok {
			return arm.JSON(http.StatusOK, pointView(it, p)), nil
		}
	}
	return arm.Response{}, arm.NotFound("RecoveryPointNotFound",
		"The recovery point '%s' of replication protected item '%s' was not found: it never existed or has expired (list the item's recoveryPoints).",
		name, it.Name)
}
