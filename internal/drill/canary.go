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
	// File, when set, is the Azure-true canary that needs no application
	// change: a Run Command on each primary VM writes a marker (a label and
	// the VM's time) to a file on its disk, the drill waits for a recovery
	// point taken after the write, and reads the marker back on each test
	// VM. Exactly one of File and URL.
	File *CanaryFile
	// URL is POSTed to (the emulator's sites answer POST /canary with
	// {"vm","version","writtenAt"}). With {source_vm_name} or {item} it is
	// written once per item, else once.
	URL string
	// Wait is how long to wait after the write before failing over, so
	// replication can carry it (on the drill's clock; default 0).
	Wait time.Duration
}

// CanaryFile is where the file canary's marker lives on the VMs' disks.
type CanaryFile struct {
	// LinuxPath and WindowsPath are the marker's path on Linux and Windows
	// VMs (defaults DefaultCanaryLinuxPath, DefaultCanaryWindowsPath).
	LinuxPath, WindowsPath string
}

// Default paths of the file canary's marker.
const (
	DefaultCanaryLinuxPath   = "/var/lib/azuredr/canary"
	DefaultCanaryWindowsPath = `C:\ProgramData\azuredr\canary.txt`
)

// IsolationProof is the check, before a drill's checks, that the test
// network cannot reach production: a Run Command on a test VM tries each
// production VM's private address on each port (and InternetAddress, when
// given); any success fails the drill.
type IsolationProof struct {
	// Skip turns the proof off (the drill then only refuses a test network
	// with peerings, read from Azure).
	Skip bool
	// Ports are tried on every production VM's private address (default
	// DefaultIsolationPorts plus the ports the checks use).
	Ports []int
	// InternetAddress, "host:port", is also tried when set: a test network
	// that must not reach the internet fails the proof when it does.
	InternetAddress string
}

// DefaultIsolationPorts are SSH, HTTP, HTTPS and RDP.
var DefaultIsolationPorts = []int{22, 80, 443, 3389}

// CanaryWrite is one canary write on the primary.
type CanaryWrite struct {
	Item string // the item it was written for ("" for a write made once)
	URL  string
	// File is the marker's path on the VM (the file canary; Version 0).
	File      string
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
