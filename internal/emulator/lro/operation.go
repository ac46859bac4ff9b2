// Package lro runs ARM long-running operations for every resource type: an
// operation record kept in the store, a completion function per kind that runs
// in one transaction when the operation is due, a scheduler that completes
// operations on time whether or not anyone polls, and the Azure-AsyncOperation
// and Location responses azcore's pollers expect.
package lro

import (
	"encoding/json"
	"math"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Status is an operation's state as ARM spells it.
type Status string

// The statuses an operation goes through; the last three are terminal.
const (
	InProgress Status = "InProgress"
	Succeeded  Status = "Succeeded"
	Failed     Status = "Failed"
	Canceled   Status = "Canceled"
)

// ParseStatus accepts a status name in any case.
func ParseStatus(s string) (Status, bool) {
	for _, st := range []Status{InProgress, Succeeded, Failed, Canceled} {
		if strings.EqualFold(s, string(st)) {
			return st, true
		}
	}
	return "", false
}

// Operation is the persisted record of one long-running operation.
type Operation struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	ResourceID string `json:"resourceId"`
	// Location is the region of the resource, so faults scoped to a region
	// also hit the polls of its operations.
	Location   string `json:"location,omitempty"`
	Method     string `json:"method"`
	APIVersion string `json:"apiVersion"`
	Status     Status `json:"status"`
	// Times are simulated (see package clock). DueTime is when the operation
	// completes.
	StartTime       time.Time  `json:"startTime"`
	DueTime         time.Time  `json:"dueTime"`
	EndTime         *time.Time `json:"endTime,omitempty"`
	PercentComplete float64    `json:"percentComplete"`
	Error           *arm.Error `json:"error,omitempty"`
	// Input is kind-specific data the handler saved for the completion.
	Input json.RawMessage `json:"input,omitempty"`
}

// SubscriptionID is the subscription of the operation's resource, whose id
// starts /subscriptions/{sub}.
func (op *Operation) SubscriptionID() string {
	parts := strings.SplitN(strings.TrimPrefix(op.ResourceID, "/"), "/", 3)
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}

// Terminal reports whether the operation has finished, one way or another.
func (op *Operation) Terminal() bool { return op.Status != InProgress }

// progress is the percentage done at simulated time now: elapsed over total
// while running, frozen once terminal.
func (op *Operation) progress(now time.Time) float64 {
	if op.Terminal() {
		return op.PercentComplete
	}
	total := op.DueTime.Sub(op.StartTime)
	if total <= 0 {
		return 99
	}
	p := float64(now.Sub(op.StartTime)) / float64(total) * 100
	return math.Round(math.Max(0, math.Min(p, 99))*10) / 10
}

// Store layout: operations by id, and for each resource with an unfinished
// operation a marker holding that operation's id. The marker is what makes
// "another operation is in progress" a check inside the writer's transaction.
const (
	operationsPrefix = "/_emulator/operations/"
	inflightPrefix   = "/_emulator/inflight"
)

func operationKey(id string) string        { return operationsPrefix + id }
func inflightKey(resourceID string) string { return inflightPrefix + resourceID }

func loadOperation(r store.Reader, id string) (*Operation, bool, error) {
	raw, ok := r.Get(operationKey(id))
	if !ok {
		return nil, false, nil
	}
	var op Operation
	if err := json.Unmarshal(raw, &op); err != nil {
		return nil, false, err
	}
	return &op, true, nil
}

func saveOperation(tx *store.Tx, op *Operation) error {
	raw, err := json.Marshal(op)
	if err != nil {
		return err
	}
	tx.Put(operationKey(op.ID), raw)
	return nil
}
