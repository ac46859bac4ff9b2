package insite

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

// Executes runs a script on a VM (Executor; a fake in tests).
type Executes interface {
	Run(ctx context.Context, vmID string, script Script) (OS, Output, error)
}

// Site is the drill's in-site runner (drill.SiteRunner): a round of a
// VM's checks in one Run Command, with the VM's canary read riding along
// in its first round.
type Site struct {
	Exec Executes

	mu    sync.Mutex
	reads map[string]*canaryRead // by lower-cased VM id
}

// canaryRead is a marker still to read on a VM.
type canaryRead struct {
	file   drill.CanaryFile
	report func(Marker, error)
}

// NewSite runs through exec.
func NewSite(exec Executes) *Site {
	return &Site{Exec: exec, reads: map[string]*canaryRead{}}
}

var _ drill.SiteRunner = (*Site)(nil)

// RunChecks runs one attempt of each check on vmID in one Run Command
// (and the VM's pending canary read with it).
func (s *Site) RunChecks(ctx context.Context, vmID string, checks []drill.Check, t drill.Target, timeout time.Duration) []drill.CheckOutcome {
	read := s.takeRead(vmID)
	var out []drill.CheckOutcome
	o, res, err := s.Exec.Run(ctx, vmID, func(o OS) []string {
		lines := CheckScript(o, checks, t, timeout)
		if read != nil {
			lines = append(lines[:len(lines)-1], CanaryReadScript(o, read.path(o))...)
		}
		return lines
	})
	if err != nil {
		out = make([]drill.CheckOutcome, len(checks))
		for i := range out {
			out[i].Err = err
		}
		if read != nil {
			read.report(Marker{}, err)
		}
		return out
	}
	if read != nil {
		m, err := ParseCanary(o, res.Stdout)
		read.report(m, err)
	}
	out = ParseChecks(o, res.Stdout, checks, t)
	for i := range out {
		if out[i].Err != nil {
			// Which VM of the DR site saw it: the test VM or the probe VM.
			out[i].Err = fmt.Errorf("on %s: %w", vmName(vmID), out[i].Err)
		}
	}
	return out
}

// vmName is the last segment of a VM id.
func vmName(id string) string { return id[strings.LastIndex(id, "/")+1:] }

// ExpectCanary notes a marker to read on vmID: in its next round of checks,
// or alone by FlushCanary. report gets the marker (ErrNoMarker: none).
func (s *Site) ExpectCanary(vmID string, file drill.CanaryFile, report func(Marker, error)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads[strings.ToLower(vmID)] = &canaryRead{file: file, report: report}
}

// FlushCanary reads vmID's marker alone when no round of checks read it.
func (s *Site) FlushCanary(ctx context.Context, vmID string) {
	read := s.takeRead(vmID)
	if read == nil {
		return
	}
	o, res, err := s.Exec.Run(ctx, vmID, func(o OS) []string { return CanaryReadScript(o, read.path(o)) })
	if err != nil {
		read.report(Marker{}, err)
		return
	}
	read.report(ParseCanary(o, res.Stdout))
}

func (s *Site) takeRead(vmID string) *canaryRead {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := strings.ToLower(vmID)
	r := s.reads[k]
	delete(s.reads, k)
	return r
}

// path is the marker's path on the OS.
func (r *canaryRead) path(o OS) string { return CanaryPath(r.file, o) }

// CanaryPath is the marker's path on the OS (the defaults when unset).
func CanaryPath(f drill.CanaryFile, o OS) string {
	if o == Windows {
		if f.WindowsPath != "" {
			return f.WindowsPath
		}
		return drill.DefaultCanaryWindowsPath
	}
	if f.LinuxPath != "" {
		return f.LinuxPath
	}
	return drill.DefaultCanaryLinuxPath
}
