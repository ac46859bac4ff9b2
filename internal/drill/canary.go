package drill

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Canary is a data write on the primary before the failover, so a drill
// can measure real data loss.
type Canary struct {
	// URL is POSTed to (the emulator's sites answer POST /canary with
	// {"vm","version","writtenAt"}). With {source_vm_name} or {item} it is
	// written once per item, else once.
	URL string
	// Wait is how long to wait after the write before failing over, so
	// replication can carry it (on the drill's clock; default 0).
	Wait time.Duration
}

// CanaryWrite is one canary write on the primary.
type CanaryWrite struct {
	Item      string // the item it was written for ("" for a write made once)
	URL       string
	VM        string
	Version   int
	WrittenAt time.Time
}

// PostCanary writes a new data version at u (the body names the drill,
// label) and returns what the site says it wrote.
func PostCanary(ctx context.Context, u, label string) (CanaryWrite, error) {
	ctx, cancel := context.WithTimeout(ctx, DefaultCheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader([]byte("drill "+label)))
	if err != nil {
		return CanaryWrite{}, err
	}
	req.Header.Set("Content-Type", "text/plain")
	resp, err := httpClient.Do(req)
	if err != nil {
		return CanaryWrite{}, fmt.Errorf("POST %s: %w", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		return CanaryWrite{}, fmt.Errorf("POST %s: status %d: %s", u, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	var out struct {
		VM        string    `json:"vm"`
		Version   int       `json:"version"`
		WrittenAt time.Time `json:"writtenAt"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Version <= 0 || out.WrittenAt.IsZero() {
		return CanaryWrite{}, fmt.Errorf("POST %s: expected {\"vm\",\"version\",\"writtenAt\"}, got %q", u, body)
	}
	return CanaryWrite{URL: u, VM: out.VM, Version: out.Version, WrittenAt: out.WrittenAt}, nil
}
