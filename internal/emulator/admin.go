package emulator

import (
	"net/http"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/faults"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

// The admin API (/_emulator/...): health, request statistics, operation
// records and fault injection. No api-version, no authentication; errors use
// ARM's envelope like everything else.
//
// Its answers are the admin client's types (package admin): each wire shape
// is declared once, where the client reads it, and the server fills it in,
// so the two cannot drift. Records the store persists (lro.Operation) are
// not those types: a view is built from them (operationView), so the
// client's types can change without touching what is on disk.

func (s *Server) healthz(*service.Request) (arm.Response, error) {
	return arm.JSON(http.StatusOK, admin.Health{
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
	out := make([]admin.Operation, 0, len(ops))
	for i := range ops {
		out = append(out, operationView(&ops[i]))
	}
	return arm.JSON(http.StatusOK, service.List[admin.Operation]{Value: out}), nil
}

// operationView is an operation record as the admin API lists it: the
// record's fields one for one (the listing showed the record itself before
// it had a type of its own, and its JSON is unchanged).
func operationView(op *lro.Operation) admin.Operation {
	v := admin.Operation{
		ID: op.ID, Kind: op.Kind, ResourceID: op.ResourceID, Location: op.Location, Method: op.Method,
		APIVersion: op.APIVersion, Status: admin.OperationStatus(op.Status),
		StartTime: op.StartTime, DueTime: op.DueTime, EndTime: op.EndTime, PercentComplete: op.PercentComplete,
		Input: op.Input,
	}
	if e := op.Error; e != nil {
		v.Error = &admin.OperationError{Status: e.Status, Code: e.Code, Message: e.Message, Target: e.Target, RetryAfter: e.RetryAfter}
	}
	return v
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
