package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

// OperationStatus is a long-running operation's state as ARM spells it.
type OperationStatus string

// The operation states.
const (
	OperationInProgress OperationStatus = "InProgress"
	OperationSucceeded  OperationStatus = "Succeeded"
	OperationFailed     OperationStatus = "Failed"
	OperationCanceled   OperationStatus = "Canceled"
)

// Operation is one long-running operation record (GET /_emulator/operations).
type Operation struct {
	ID string `json:"id"`
	// Kind names what it does, e.g. "Microsoft.Resources/resourceGroups/delete".
	Kind       string `json:"kind"`
	ResourceID string `json:"resourceId"`
	// Location is the region of the resource.
	Location   string          `json:"location,omitempty"`
	Method     string          `json:"method"`
	APIVersion string          `json:"apiVersion"`
	Status     OperationStatus `json:"status"`
	// Times are simulated. DueTime is when the operation completes.
	StartTime       time.Time  `json:"startTime"`
	DueTime         time.Time  `json:"dueTime"`
	EndTime         *time.Time `json:"endTime,omitempty"`
	PercentComplete float64    `json:"percentComplete"`
	// Error is why a failed operation failed.
	Error *OperationError `json:"error,omitempty"`
	// Input is the kind-specific data the operation's completion uses.
	Input json.RawMessage `json:"input,omitempty"`
}

// OperationError is a failed operation's ARM error.
type OperationError struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Target  string `json:"target,omitempty"`
	// RetryAfter, in seconds, is the Retry-After the error would carry as
	// an answer (a throttled or unavailable service); 0 for most.
	RetryAfter int `json:"retryAfter,omitempty"`
}

// Operations lists the operation records, only those in status unless it
// is "". Tests use it to catch an operation in the middle, or to prove none
// is left running.
func (c *Client) Operations(ctx context.Context, status OperationStatus) ([]Operation, error) {
	var q url.Values
	if status != "" {
		q = url.Values{"status": {string(status)}}
	}
	var out list[Operation]
	err := c.do(ctx, http.MethodGet, "operations", q, nil, &out)
	return out.Value, err
}
