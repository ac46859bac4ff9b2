package admin

import (
	"context"
	"net/http"
	"net/url"
)

// FaultKind is what a fault rule does.
type FaultKind string

// The fault kinds (see the emulator's README, "Fault rules").
const (
	FaultLatency  FaultKind = "latency"  // sleep LatencyMs before handling
	FaultThrottle FaultKind = "throttle" // 429 TooManyRequests with Retry-After
	FaultError    FaultKind = "error"    // a 5xx (Status, default 500)
	FaultOutage   FaultKind = "outage"   // the Region is down: 503, sites and probes fail
	// FaultDrop closes the connection without an answer, before handling or
	// (AfterHandling) after.
	FaultDrop FaultKind = "drop"
	// FaultReplicationPause stops Site Recovery replication from Region or
	// of the VM VMID; it touches no request.
	FaultReplicationPause FaultKind = "replicationPause"
	// FaultVMFailure is a failed host under the VM VMID.
	FaultVMFailure FaultKind = "vmFailure"
)

// FaultRule is a rule to add (POST /_emulator/faults). Zero fields are not
// sent, so the server's defaults apply: the server rejects a field that does
// not apply to the kind.
type FaultRule struct {
	Kind FaultKind `json:"kind"`
	// PathPrefix and Region scope the rule (case-insensitive ARM path
	// prefix; the region of the resource).
	PathPrefix string `json:"pathPrefix,omitempty"`
	Region     string `json:"region,omitempty"`
	// VMID is the ARM id of the VM a replicationPause or vmFailure rule
	// applies to.
	VMID              string `json:"vmId,omitempty"`
	LatencyMs         int    `json:"latencyMs,omitempty"`
	RetryAfterSeconds int    `json:"retryAfterSeconds,omitempty"`
	Status            int    `json:"status,omitempty"`
	AfterHandling     bool   `json:"afterHandling,omitempty"`
	// Rate is the share of matching requests hit, in (0, 1]; zero sends
	// none, which the server takes as 1 (every request).
	Rate float64 `json:"rate,omitempty"`
	// Count is how many times the rule applies before it disappears; zero
	// means until removed. In a listed Fault, how many more times.
	Count int `json:"count,omitempty"`
}

// Fault is an active rule as the server lists it: the rule with the
// server's defaults filled in, its id and its hits so far.
type Fault struct {
	ID string `json:"id"`
	FaultRule
	// Applied counts the requests the rule has hit.
	Applied int `json:"applied"`
}

// Faults lists the active fault rules.
func (c *Client) Faults(ctx context.Context) ([]Fault, error) {
	var out list[Fault]
	err := c.do(ctx, http.MethodGet, "faults", nil, nil, &out)
	return out.Value, err
}

// AddFault adds a rule and returns it as stored (with its id, for
// DeleteFault). A rule that pauses replication is recorded durably by the
// emulator, so RPO history outlives the rule.
func (c *Client) AddFault(ctx context.Context, rule FaultRule) (Fault, error) {
	var f Fault
	err := c.do(ctx, http.MethodPost, "faults", nil, rule, &f)
	return f, err
}

// DeleteFault removes one rule; a rule that does not exist is a 404
// FaultNotFound *Error.
func (c *Client) DeleteFault(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, "faults/"+url.PathEscape(id), nil, nil, nil)
}

// ClearFaults removes every rule.
func (c *Client) ClearFaults(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "faults", nil, nil, nil)
}
