package admin

import (
	"context"
	"net/http"
	"time"
)

// Health is GET /_emulator/healthz: the emulator is up, and where and how
// it runs.
type Health struct {
	Status string `json:"status"`
	// ARM is the emulator's ARM endpoint.
	ARM       string  `json:"arm"`
	TimeScale float64 `json:"timeScale"`
	// Now is the simulated time, so a client can measure durations on the
	// emulator's clock.
	Now               time.Time `json:"now"`
	DataDir           string    `json:"dataDir"`
	PendingOperations int       `json:"pendingOperations"`
	// DNS is the address of the DNS server answering Traffic Manager names.
	DNS string `json:"dns"`
}

// Health reads the emulator's health.
func (c *Client) Health(ctx context.Context) (Health, error) {
	var h Health
	err := c.do(ctx, http.MethodGet, "healthz", nil, nil, &h)
	return h, err
}
