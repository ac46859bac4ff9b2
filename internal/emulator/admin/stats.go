package admin

import (
	"context"
	"net/http"
)

// Stats is GET /_emulator/stats: the ARM requests the emulator answered
// since it started or since ResetStats (admin requests are not counted).
// Benchmarks and tests read their API cost from it.
type Stats struct {
	Requests int `json:"requests"`
	// Operations counts requests by operation id (as named in the REST
	// spec, e.g. "ResourceGroups_Get"), then by HTTP method.
	Operations map[string]map[string]int `json:"operations"`
	// Statuses counts responses by HTTP status code ("0" for a dropped
	// connection).
	Statuses map[string]int `json:"statuses"`
	// Faults counts fault rule hits by kind; every kind that hits requests
	// is listed, so zero means none.
	Faults map[FaultKind]int `json:"faults"`
}

// ByOperation is Operations summed over methods: what most callers compare.
func (s Stats) ByOperation() map[string]int {
	out := make(map[string]int, len(s.Operations))
	for op, byMethod := range s.Operations {
		for _, n := range byMethod {
			out[op] += n
		}
	}
	return out
}

// FaultHits is the number of fault rule hits of every kind.
func (s Stats) FaultHits() int {
	n := 0
	for _, v := range s.Faults {
		n += v
	}
	return n
}

// Stats reads the request counters.
func (c *Client) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := c.do(ctx, http.MethodGet, "stats", nil, nil, &s)
	return s, err
}

// ResetStats zeroes the request counters.
func (c *Client) ResetStats(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "stats", nil, nil, nil)
}
