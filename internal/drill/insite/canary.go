package insite

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// The file canary: a marker file on the VM's disk holding
// "azuredr-canary <label>" and the VM's UTC time at the write. Written on
// the primary, it replicates with the disk; read on the test VM, its time
// says how recent the data the test VM started from is.

// Marker is a canary marker as a VM read it back.
type Marker struct {
	Label     string
	WrittenAt time.Time
}

// ErrNoMarker is a read that found no marker file (the data predates
// every write).
var ErrNoMarker = errors.New("no canary marker on the disk")

// label keeps a label to the characters safe in any quoting.
var unsafeLabel = regexp.MustCompile(`[^A-Za-z0-9._:-]+`)

func cleanLabel(s string) string {
	s = unsafeLabel.ReplaceAllString(s, "-")
	if s == "" {
		return "drill"
	}
	return s
}

// CanaryWriteScript writes the marker (label, then the VM's time) at
// path, making its directory, and reads it back in a section.
func CanaryWriteScript(o OS, path, label string) []string {
	p := o.quote(path)
	line := o.quote("azuredr-canary " + cleanLabel(label))
	var lines []string
	if o == Windows {
		lines = []string{
			"New-Item -ItemType Directory -Force -Path " + o.quote(windowsDir(path)),
			"Set-Content -Path " + p + " -Value " + line,
			"Add-Content -Path " + p + " -Value ([DateTime]::UtcNow.ToString('o'))",
		}
	} else {
		lines = []string{
			"mkdir -p " + o.quote(linuxDir(path)),
			"echo " + line + " > " + p,
			"date -u +%Y-%m-%dT%H:%M:%S.%NZ >> " + p,
		}
	}
	return append(lines, canaryReadLines(o, path)...)
}

// CanaryReadScript reads the marker at path in a section.
func CanaryReadScript(o OS, path string) []string {
	return canaryReadLines(o, path)
}

// canaryReadLines read the marker in the canary section (index 0), and
// end the script.
func canaryReadLines(o OS, path string) []string {
	lines := []string{o.echo(marker(kindCanary, 0, "begin"))}
	if o == Windows {
		// Test-Path first: a missing file then prints False, no error.
		lines = append(lines, "Test-Path "+o.quote(path), "Get-Content -Path "+o.quote(path))
		lines = append(lines, o.doneLines(kindCanary, 0)...)
	} else {
		lines = append(lines, "cat "+o.quote(path)+" 2>&1")
		lines = append(lines, o.exitLines(kindCanary, 0)...)
	}
	return append(lines, "exit 0")
}

// ParseCanary reads the marker from a canary script's stdout: ErrNoMarker
// when the file is not there.
func ParseCanary(o OS, stdout string) (Marker, error) {
	s, err := section(parseSections(stdout), kindCanary, 0)
	if err != nil {
		return Marker{}, fmt.Errorf("reading the canary marker: %w", err)
	}
	return parseMarker(o, s)
}

func parseMarker(o OS, s Section) (Marker, error) {
	out := strings.ReplaceAll(s.Output, "\r", "")
	if o != Windows && s.Exit != 0 {
		if strings.Contains(out, "No such file") {
			return Marker{}, ErrNoMarker
		}
		return Marker{}, fmt.Errorf("reading the canary marker: cat exit %d%s", s.Exit, detail(out))
	}
	var m Marker
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if o == Windows && len(lines) > 0 {
		if strings.EqualFold(lines[0], "False") {
			return Marker{}, ErrNoMarker
		}
		if strings.EqualFold(lines[0], "True") {
			lines = lines[1:]
		}
	}
	for _, l := range lines {
		if rest, ok := strings.CutPrefix(l, "azuredr-canary "); ok {
			m.Label = rest
			continue
		}
		if t, err := time.Parse(time.RFC3339Nano, l); err == nil && m.Label != "" {
			m.WrittenAt = t.UTC()
		}
	}
	if m.Label == "" || m.WrittenAt.IsZero() {
		return Marker{}, fmt.Errorf("the canary marker is not \"azuredr-canary <label>\" then a UTC time: %q", tail(out))
	}
	return m, nil
}

func linuxDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		return p[:i]
	}
	return "/"
}

func windowsDir(p string) string {
	if i := strings.LastIndexByte(p, '\\'); i > 0 {
		return p[:i]
	}
	return p
}
