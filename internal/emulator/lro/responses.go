package lro

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Polling hints. Retry-After-Ms carries the real time left so azcore polls
// right when the operation is due instead of its default 30 s; the floor
// keeps a client from hammering, and the ceiling keeps long operations
// showing progress (and a client responsive if the emulator restarts with a
// faster time scale).
const (
	minPollDelay = 50 * time.Millisecond
	maxPollDelay = 30 * time.Second
)

const (
	headerAsyncOperation = "Azure-AsyncOperation"
	headerLocation       = "Location"
	headerRetryAfter     = "Retry-After"
	headerRetryAfterMs   = "Retry-After-Ms"
)

func (m *Manager) namespace(op *Operation) string {
	if k, ok := m.kinds[op.Kind]; ok {
		return k.Namespace
	}
	return "Microsoft.Resources"
}

func (m *Manager) pollURL(base, path string, op *Operation) string {
	return base + path + "?" + arm.APIVersionParam + "=" + url.QueryEscape(op.APIVersion)
}

// StatusURL is the absolute Azure-AsyncOperation URL of op, "" when its
// provider sends none; base is the scheme and host the client used, e.g.
// "http://127.0.0.1:8080".
func (m *Manager) StatusURL(base string, op *Operation) string {
	p := m.StatusPath(op)
	if p == "" {
		return ""
	}
	return m.pollURL(base, p, op)
}

// ResultURL is the absolute Location URL of op.
func (m *Manager) ResultURL(base string, op *Operation) string {
	return m.pollURL(base, m.ResultPath(op), op)
}

// Accepted is the 202 a DELETE, POST or PATCH answers when it starts op.
func (m *Manager) Accepted(base string, op *Operation) arm.Response {
	return m.WithPolling(base, op, arm.Empty(http.StatusAccepted))
}

// WithPolling adds op's polling headers to r: what a PUT answering 201/200
// with a non-terminal provisioningState sends along with its body.
func (m *Manager) WithPolling(base string, op *Operation, r arm.Response) arm.Response {
	if status := m.StatusURL(base, op); status != "" {
		r = r.WithHeader(headerAsyncOperation, status)
	}
	r = r.WithHeader(headerLocation, m.ResultURL(base, op))
	return m.withRetryAfter(op, r)
}

// withRetryAfter tells the client when to poll again: the real time left
// until op is due, within the polling bounds.
func (m *Manager) withRetryAfter(op *Operation, r arm.Response) arm.Response {
	if op.Terminal() {
		return r
	}
	left := min(max(m.clock.RealUntil(op.DueTime), minPollDelay), maxPollDelay)
	ms := int64(math.Ceil(float64(left)/float64(time.Millisecond))) + 1
	secs := int64(math.Ceil(left.Seconds()))
	return r.WithHeader(headerRetryAfter, strconv.FormatInt(secs, 10)).WithHeader(headerRetryAfterMs, strconv.FormatInt(ms, 10))
}

// statusBody is the Azure-AsyncOperation document.
type statusBody struct {
	ID              string         `json:"id"`
	Name            string         `json:"name"`
	Status          Status         `json:"status"`
	StartTime       time.Time      `json:"startTime"`
	EndTime         *time.Time     `json:"endTime,omitempty"`
	PercentComplete float64        `json:"percentComplete"`
	Error           *arm.ErrorBody `json:"error,omitempty"`
}

// StatusResponse answers a poll of the Azure-AsyncOperation URL: always 200,
// with the error when the operation failed or was canceled.
func (m *Manager) StatusResponse(op *Operation) arm.Response {
	body := statusBody{
		ID:              m.StatusPath(op),
		Name:            op.ID,
		Status:          op.Status,
		StartTime:       op.StartTime,
		EndTime:         op.EndTime,
		PercentComplete: op.progress(m.clock.Now()),
	}
	if op.Status == Failed || op.Status == Canceled {
		b := failure(op).Body()
		body.Error = &b
	}
	return m.withRetryAfter(op, arm.JSON(http.StatusOK, body))
}

// ResultResponse answers a poll of the Location URL: 202 without a body while
// the operation runs, then what the synchronous call would have returned, or
// the operation's error.
func (m *Manager) ResultResponse(base string, op *Operation) (arm.Response, error) {
	switch op.Status {
	case InProgress:
		return m.withRetryAfter(op, arm.Empty(http.StatusAccepted).WithHeader(headerLocation, m.ResultURL(base, op))), nil
	case Failed, Canceled:
		return arm.Response{}, failure(op)
	}
	if k, ok := m.kinds[op.Kind]; ok && k.Result != nil {
		return k.Result(m.st, op)
	}
	switch strings.ToUpper(op.Method) {
	case http.MethodPut, http.MethodPatch:
		return currentBody(m.st, op)
	case http.MethodDelete:
		return arm.Empty(http.StatusOK), nil
	default:
		return arm.Empty(http.StatusNoContent), nil
	}
}

// currentBody is the resource as a GET would return it.
func currentBody(r store.Reader, op *Operation) (arm.Response, error) {
	raw, ok := r.Get(op.ResourceID)
	if !ok {
		return arm.Response{}, arm.NotFound("ResourceNotFound", "The resource '%s' was not found.", op.ResourceID)
	}
	return arm.JSON(http.StatusOK, json.RawMessage(raw)), nil
}

// failure is the error a failed or canceled operation reports.
func failure(op *Operation) *arm.Error {
	if op.Error != nil {
		return op.Error
	}
	return arm.Internal(errors.New("the operation ended without recording why"))
}
