package azure

import (
	"context"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
)

// Finders read one resource by its id, after terraform-provider-aws's
// find<Thing>ByID: the resource, or a *NotFoundError when Azure says it does
// not exist, or the error as the SDK returned it. Every package that reads
// the resource goes through its finder, so "gone" means one thing.

// NotFoundError is a finder's answer for a resource that does not exist. It
// wraps ARM's 404, so IsNotFound, ParseError and Describe see that answer and
// its text (code, message, request id) is the error's text.
type NotFoundError struct {
	// ID is the resource looked for.
	ID string
	// Err is ARM's answer.
	Err error
}

func (e *NotFoundError) Error() string {
	if e.Err == nil {
		return e.ID + " not found"
	}
	return e.Err.Error()
}

func (e *NotFoundError) Unwrap() error { return e.Err }

// FindProtectedItem reads a Site Recovery replication protected item (a
// replicated VM): one GET.
func FindProtectedItem(ctx context.Context, c *Client, id ProtectedItemID) (*asr.ReplicationProtectedItem, error) {
	resp, err := c.ProtectedItems().Get(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, nil)
	if IsNotFound(err) {
		return nil, &NotFoundError{ID: id.String(), Err: err}
	}
	if err != nil {
		return nil, err
	}
	return &resp.ReplicationProtectedItem, nil
}
