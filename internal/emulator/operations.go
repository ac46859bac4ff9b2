package emulator

import (
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

// polledOperation finds the operation a polling URL names. An operation is
// visible only under its own subscription, and only at the URLs it was
// given (several providers' shapes share a route pattern).
func (s *Server) polledOperation(req *service.Request, status bool) (*lro.Operation, error) {
	id := req.Param("operationId")
	op, ok, err := s.ops.Get(id)
	if err != nil {
		return nil, err
	}
	if !ok || !strings.EqualFold(op.SubscriptionID(), req.Param("subscriptionId")) {
		return nil, arm.OperationNotFound(id)
	}
	path := req.HTTP.URL.Path
	if (status && !s.ops.IsStatusPath(op, path)) || (!status && !s.ops.IsResultPath(op, path)) {
		return nil, arm.OperationNotFound(id)
	}
	return op, nil
}

// operationStatus serves the Azure-AsyncOperation URL.
func (s *Server) operationStatus(req *service.Request) (arm.Response, error) {
	op, err := s.polledOperation(req, true)
	if err != nil {
		return arm.Response{}, err
	}
	return s.ops.StatusResponse(op), nil
}

// operationResult serves the Location URL.
func (s *Server) operationResult(req *service.Request) (arm.Response, error) {
	op, err := s.polledOperation(req, false)
	if err != nil {
		return arm.Response{}, err
	}
	return s.ops.ResultResponse(req.Base, op)
}

// operationRegion makes region faults reach the polls of operations on
// resources in that region.
func (s *Server) operationRegion(req *service.Request) string {
	if op, _, err := s.ops.Get(req.Param("operationId")); err == nil && op != nil {
		return op.Location
	}
	return ""
}
