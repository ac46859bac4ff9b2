package harness

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

// Target is where drills run: the emulator (the default) or Azure. This is
// the harness's one place where the two differ.
type Target struct {
	// Kind is "emulator" or "azure".
	Kind string
	// Endpoint is the emulator's URL ("" for Azure).
	Endpoint string
	// TimeScale is the emulator's simulated seconds per real second (1 for
	// Azure): drill figures are on that clock.
	TimeScale float64
	// DNSServer and WebPort are the emulator's DNS server (host:port) and
	// the port its VMs' sites share.
	DNSServer string
	WebPort   int
}

const (
	TargetEmulator = "emulator"
	TargetAzure    = "azure"
)

// The one emulator of the test binary, started on first use.
var shared struct {
	once   sync.Once
	server *emulator.Server
	dir    string
	target Target
	err    error
}

// target returns the target the environment selects.
func target() (Target, error) {
	switch kind := os.Getenv("AZUREDR_TARGET"); kind {
	case "", TargetEmulator:
		return startEmulator()
	case TargetAzure:
		if err := azure.ExplicitCredentialProblem(os.Getenv); err != nil {
			return Target{}, fmt.Errorf("AZUREDR_TARGET=azure %w", err)
		}
		return Target{Kind: TargetAzure, TimeScale: 1}, nil
	default:
		return Target{}, fmt.Errorf("AZUREDR_TARGET=%q: use %q (the default) or %q", kind, TargetEmulator, TargetAzure)
	}
}

func startEmulator() (Target, error) {
	shared.once.Do(func() {
		scale := 30.0
		if v := os.Getenv("AZUREDR_TIME_SCALE"); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f <= 0 {
				shared.err = fmt.Errorf("AZUREDR_TIME_SCALE=%q: want a positive number of simulated seconds per real second", v)
				return
			}
			scale = f
		}
		dir, err := os.MkdirTemp("", "azuredr-harness-emulator-")
		if err != nil {
			shared.err = err
			return
		}
		shared.dir = dir
		logFile, err := os.Create(filepath.Join(dir, "emulator.log"))
		if err != nil {
			shared.err = err
			return
		}
		srv, err := emulator.New(emulator.Options{
			DataDir:   filepath.Join(dir, "data"),
			TimeScale: scale,
			Logger:    slog.New(slog.NewTextHandler(logFile, nil)),
		})
		if err != nil {
			shared.err = fmt.Errorf("starting the emulator: %w", err)
			return
		}
		shared.server = srv
		shared.target = Target{Kind: TargetEmulator, Endpoint: srv.URL(), TimeScale: scale, DNSServer: srv.DNSAddr(), WebPort: srv.WebPort()}
	})
	return shared.target, shared.err
}

// stopEmulator closes the shared emulator, if one started.
func stopEmulator() {
	if shared.server != nil {
		_ = shared.server.Close()
	}
	if shared.dir != "" {
		_ = os.RemoveAll(shared.dir)
	}
}

// env is the environment of Terraform's runs against the target: the
// caller's, without its Terraform settings, and for the emulator without
// any Azure credentials (which must not leak into, nor break, a drill).
func (tg Target) env(cliConfig, logPath string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") || (tg.Kind == TargetEmulator && strings.HasPrefix(kv, "ARM_")) {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		// The provider's log at info level carries the drills' phases,
		// which the harness turns into progress lines.
		"TF_LOG_PROVIDER=INFO", "TF_LOG_PATH="+logPath)
	if tg.Kind == TargetEmulator {
		env = append(env, "ARM_RESOURCE_MANAGER_ENDPOINT="+tg.Endpoint)
	}
	return env
}

// adminAPI is the emulator's admin API client; Azure has no such API.
func (tg Target) adminAPI() (*admin.Client, error) {
	if tg.Kind != TargetEmulator {
		return nil, fmt.Errorf("the %s target has no admin API: only the emulator has one", tg.Kind)
	}
	return admin.New(tg.Endpoint), nil
}
