package admin

import (
	"context"
	"net/http"
	"time"
)

// VM is one VM as GET /_emulator/vms lists it: where its web site answers
// and the data version it holds, the ground truth a drill checks against.
type VM struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Location string `json:"location"`
	// Address, Port and URL are where its site serves; Running is whether
	// it does (a region outage leaves it running, answering 503).
	Address    string `json:"address"`
	Port       int    `json:"port"`
	URL        string `json:"url"`
	Running    bool   `json:"running"`
	PowerState string `json:"powerState"`
	// Role is "primary", or "test" for a test failover's VM, etc.
	Role        string      `json:"role"`
	DataVersion DataVersion `json:"dataVersion"`
	// NICID is its network interface; PrivateIPAddress its address in its
	// subnet ("" without one).
	NICID            string `json:"nicId,omitempty"`
	PrivateIPAddress string `json:"privateIPAddress,omitempty"`
	// ServingSince is when (simulated time) its site first served: for a
	// test failover's VM, what a drill's detection latency is measured
	// against.
	ServingSince *time.Time        `json:"servingSince,omitempty"`
	Tags         map[string]string `json:"tags,omitempty"`
}

// DataVersion is the data a VM (or a recovery point) holds: a version
// number each canary write increments.
type DataVersion struct {
	Version   int       `json:"version"`
	WrittenAt time.Time `json:"writtenAt"`
	// Label is the text the canary write carried, if any.
	Label string `json:"label,omitempty"`
}

// NewVM is the body of POST /_emulator/vms: a seed file's VM entry and the
// existing resource group it goes to. Zero fields are not sent, so the
// seed's defaults apply.
type NewVM struct {
	SubscriptionID string `json:"subscriptionId"`
	ResourceGroup  string `json:"resourceGroup"`
	Name           string `json:"name"`
	// Location defaults to the group's.
	Location string            `json:"location,omitempty"`
	Tags     map[string]string `json:"tags,omitempty"`
	// Site sets what its web page shows.
	Site *Site `json:"site,omitempty"`
	// Size defaults to Standard_D2s_v3; Zone is "1" to "3".
	Size string `json:"size,omitempty"`
	Zone string `json:"zone,omitempty"`
	// Subnet is "<vnet>/<subnet>", a network of the same group.
	Subnet           string `json:"subnet,omitempty"`
	PrivateIPAddress string `json:"privateIPAddress,omitempty"`
	// OSDiskSizeGB defaults to 128; DataDisks are sizes in GB (LUNs 0, 1…).
	OSDiskSizeGB int   `json:"osDiskSizeGB,omitempty"`
	DataDisks    []int `json:"dataDisks,omitempty"`
}

// Site is what a VM's web page shows.
type Site struct {
	// Title heads the page; the VM's name when empty.
	Title string `json:"title"`
}

// VMs lists every VM of every subscription, by id.
func (c *Client) VMs(ctx context.Context) ([]VM, error) {
	var out list[VM]
	err := c.do(ctx, http.MethodGet, "vms", nil, nil, &out)
	return out.Value, err
}

// AddVM adds a running VM (with its NIC and web site) to an existing
// resource group and returns its listing once its site serves. A missing
// group is a 404 *Error, an existing VM a 409. The VM goes away with its
// group: there is no other way to delete one.
func (c *Client) AddVM(ctx context.Context, vm NewVM) (VM, error) {
	var out VM
	err := c.do(ctx, http.MethodPost, "vms", nil, vm, &out)
	return out, err
}
