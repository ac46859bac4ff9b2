package vmshell

import (
	"fmt"
	"strings"
	"time"
)

// maxOutput is what a shell keeps of each stream before the agent cuts it
// (Azure keeps the last 4096 bytes; the caller cuts, this only bounds
// memory).
const maxOutput = 1 << 20

// Run interprets script (the Run Command's lines; an element may hold
// several lines) as the VM's shell would.
func Run(o OS, script []string, env Env) Result {
	sh := &shell{os: o, env: env}
	for _, el := range script {
		for _, line := range strings.Split(el, "\n") {
			line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
			if line == "" {
				continue
			}
			if sh.line(line) {
				return sh.result()
			}
		}
	}
	return sh.result()
}

// shell is one run's state.
type shell struct {
	os             OS
	env            Env
	stdout, stderr strings.Builder
	exit           int  // the last command's exit code ($?)
	native         *int // PowerShell's $LASTEXITCODE (nil until a native command ran)
	elapsed        time.Duration
	exited         bool
	notes          []string
}

// note keeps what the VM's tools cannot see (why a connection failed) for
// the emulator's log.
func (sh *shell) note(why string) {
	if why != "" && len(sh.notes) < 100 {
		sh.notes = append(sh.notes, why)
	}
}

func (sh *shell) result() Result {
	return Result{Stdout: sh.stdout.String(), Stderr: sh.stderr.String(), Exit: sh.exit, Elapsed: sh.elapsed, Notes: sh.notes}
}

// now is the VM's clock as the script has advanced it.
func (sh *shell) now() time.Time { return sh.env.Now().Add(sh.elapsed) }

// out is one command's output before redirection.
type out struct {
	stdout, stderr strings.Builder
	exit           int
}

func (c *out) print(format string, args ...any)  { fmt.Fprintf(&c.stdout, format, args...) }
func (c *out) errorf(format string, args ...any) { fmt.Fprintf(&c.stderr, format, args...) }
func (c *out) fail(exit int, format string, args ...any) {
	c.errorf(format, args...)
	c.exit = exit
}

// line runs one line; true when the script exits.
func (sh *shell) line(line string) bool {
	sh.elapsed += costCommand
	if sh.os == Windows {
		sh.powershell(line)
	} else {
		sh.bash(line)
	}
	return sh.exited
}

// unsupported answers a command outside the subset as a shell answers an
// unknown command: exit 127, and why on stderr.
func (sh *shell) unsupported(c *out, what string) {
	c.fail(127, "azuredr emulator: %s is outside the Run Command subset the emulator interprets (see the emulator's README, \"Run Command\"); not run\n", what)
}

// emit appends a command's streams to the script's, bounded.
func (sh *shell) emit(stdout, stderr string) {
	if sh.stdout.Len() < maxOutput {
		sh.stdout.WriteString(stdout)
	}
	if sh.stderr.Len() < maxOutput {
		sh.stderr.WriteString(stderr)
	}
}
