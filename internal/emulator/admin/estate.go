package admin

import (
	"context"
	"encoding/json"
	"net/http"
)

// EstateAdded is the answer to POST /_emulator/estate: the resource groups
// added (ids) and their VMs, whose sites already serve.
type EstateAdded struct {
	ResourceGroups  []string `json:"resourceGroups"`
	VirtualMachines []VM     `json:"virtualMachines"`
}

// AddEstate adds a whole estate, in the seed file's format
// ({"subscriptions":[...]}), in one transaction. It is JSON rather than a
// Go type because estates are files people write (the seed format is the
// emulator's README's); the emulator validates it and names the item at
// fault (400). A resource group that exists already is a 409: an estate
// adds, it never changes. Drill harnesses give each drill a subscription
// of its own this way.
func (c *Client) AddEstate(ctx context.Context, estate json.RawMessage) (EstateAdded, error) {
	var out EstateAdded
	err := c.do(ctx, http.MethodPost, "estate", nil, estate, &out)
	return out, err
}
