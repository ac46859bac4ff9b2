package emulator

import (
	"net/http"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/faults"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

// The admin API (/_emulator/...): health, request statistics, operation
// records and fault injection. No api-version, no authentication; errors use
// ARM's envelope like everything else.

type health struct {
	Status    string  `json:"status"`
	ARM       string  `json:"arm"`
	TimeScale float64 `json:"timeScale"`
	// Now is the simulated time (see package clock), so clients can measure
	// durations on the emulator's clock.
	Now               time.Time `json:"now"`
	DataDir           string    `json:"dataDir"`
	PendingOperations int       `json:"pendingOperations"`
	// DNS is the address of the DNS server answering Traffic Manager names.
	DNS string `json:"dns"`
}

func (s *Server) healthz(*service.Request) (arm.Response, error) {
	return arm.JSON(http.StatusOK, health{
		Status:            "ok",
		ARM:               s.url,
		TimeScale:         s.clock.Scale(),
		Now:               s.clock.Now(),
		DataDir:           s.opts.DataDir,
		PendingOperations: s.ops.Pending(),
		DNS:               s.DNSAddr(),
	}), nil
}

func (s *Server) getStats(*service.Request) (arm.Response, error) {
	return arm.JSON(http.StatusOK, s.stats.Snapshot()), nil
}

func (s *Server) resetStats(*service.Request) (arm.Response, error) {
	s.stats.Reset()
	return arm.Empty(http.StatusNoContent), nil
}

// listOperations lists operation records, optionally only those with
// ?status=InProgress|Succeeded|Failed|Canceled. Tests use it to catch an
// operation in the middle.
func (s *Server) listOperations(req *service.Request) (arm.Response, error) {
	var status lro.Status
	if q := req.HTTP.URL.Query().Get("status"); q != "" {
		st, ok := lro.ParseStatus(q)
		if !ok {
			return arm.Response{}, arm.InvalidQueryParameter("status", "expected InProgress, Succeeded, Failed or Canceled")
		}
		status = st
	}
	ops, err := s.ops.List(status)
	if err != nil {
		return arm.Response{}, err
	}
	if ops == nil {
		ops = []lro.Operation{}
	}
	return arm.JSON(http.StatusOK, service.List[lro.Operation]{Value: ops}), nil
}

func (s *Server) listFaults(*service.Request) (arm.Response, error) {
	return arm.JSON(http.StatusOK, service.List[faults.Rule]{Value: s.faults.List()}), nil
}

func (s *Server) addFault(req *service.Request) (arm.Response, error) {
	rule, err := faults.ParseRule(req.Body)
	if err != nil {
		return arm.Response{}, arm.BadRequest("InvalidFaultRule", "%v", err)
	}
	added := s.faults.Add(rule)
	// A rule that pauses replication is recorded durably (replication
	// history outlives the in-memory rules: siterecovery/admin_pauses.go).
	if err := s.recovery.StartReplicationPause(added); err != nil {
		s.faults.Remove(added.ID)
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusCreated, added), nil
}

func (s *Server) clearFaults(*service.Request) (arm.Response, error) {
	s.faults.Clear()
	if err := s.recovery.EndReplicationPauses(nil, "cleared"); err != nil {
		return arm.Response{}, err
	}
	return arm.Empty(http.StatusNoContent), nil
}

func (s *Server) deleteFault(req *service.Request) (arm.Response, error) {
	id := req.Param("faultId")
	if !s.faults.Remove(id) {
		return arm.Response{}, arm.NotFound("FaultNotFound", "No fault rule has id '%s'.", id)
	}
	if err := s.recovery.EndReplicationPauses([]string{id}, "removed"); err != nil {
		return arm.Response{}, err
	}
	return arm.Empty(http.StatusNoContent), nil
}
