package lro

import (
	"encoding/json"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Kind is one kind of long-running operation, registered once by the resource
// type whose handlers start it.
type Kind struct {
	// Name identifies the kind in operation records, e.g.
	// "Microsoft.Resources/resourceGroups/delete".
	Name string
	// Namespace is the resource provider whose operationStatuses and
	// operationResults URLs the operation is polled at, e.g. "Microsoft.Network".
	Namespace string
	// Duration is the simulated time the operation takes unless the handler
	// chooses another when starting it.
	Duration time.Duration
	// Complete applies the operation's effect. It runs in the same
	// transaction that marks the operation Succeeded. Returning an error
	// discards its writes and fails the operation instead: an *arm.Error is
	// reported as is, anything else as an internal error.
	Complete func(tx *store.Tx, op *Operation) error
	// Fail, optional, records a failure on the resource (for example
	// provisioningState "Failed"). It runs in the transaction that marks the
	// operation Failed; an error from it is logged, not propagated.
	Fail func(tx *store.Tx, op *Operation) error
	// Result, optional, is what the Location URL returns once the operation
	// has succeeded: the response the synchronous call would have given. The
	// default is the resource's current body for PUT and PATCH, 200 without
	// a body for DELETE and 204 for POST.
	Result func(r store.Reader, op *Operation) (arm.Response, error)
}

// ProvisioningKind is the kind for a PUT-style operation: the handler stores
// the resource with a non-terminal provisioningState ("Creating",
// "Updating") and starts the operation; completion sets "Succeeded", failure
// "Failed".
func ProvisioningKind(name, namespace string, d time.Duration) Kind {
	return Kind{
		Name:      name,
		Namespace: namespace,
		Duration:  d,
		Complete: func(tx *store.Tx, op *Operation) error {
			return SetProvisioningState(tx, op.ResourceID, "Succeeded")
		},
		Fail: func(tx *store.Tx, op *Operation) error {
			return SetProvisioningState(tx, op.ResourceID, "Failed")
		},
	}
}

// SetProvisioningState rewrites properties.provisioningState of the resource
// stored under resourceID, keeping every other field as it is. A resource
// that no longer exists is left alone.
func SetProvisioningState(tx *store.Tx, resourceID, state string) error {
	raw, ok := tx.Get(resourceID)
	if !ok {
		return nil
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(raw, &body); err != nil {
		return err
	}
	props := map[string]json.RawMessage{}
	if p, ok := body["properties"]; ok && string(p) != "null" {
		if err := json.Unmarshal(p, &props); err != nil {
			return err
		}
	}
	var err error
	if props["provisioningState"], err = json.Marshal(state); err != nil {
		return err
	}
	if body["properties"], err = json.Marshal(props); err != nil {
		return err
	}
	out, err := json.Marshal(body)
	if err != nil {
		return err
	}
	tx.Put(resourceID, out)
	return nil
}
