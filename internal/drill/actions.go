package drill

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Action types.
const (
	ActionScript = "script"
	ActionManual = "manual"
)

// Action runs before or after a group's failover.
type Action struct {
	Name string
	// Type is ActionScript (run Command locally) or ActionManual.
	Type string
	// Command is the program and its arguments (script actions).
	Command []string
	// Timeout bounds a script (real time; default 10 minutes).
	Timeout time.Duration
	// Description says what a person does (manual actions).
	Description string
	// Required manual actions fail an unattended drill instead of being
	// skipped.
	Required bool
}

// ManualFunc performs a manual action of group g when a drill is attended
// (for example an approval gate); it returns nil once the step is done.
type ManualFunc func(ctx context.Context, g int, a Action) error

// defaultActionTimeout bounds a script action without a Timeout.
const defaultActionTimeout = 10 * time.Minute

// maxOutput bounds what the event log keeps of a script's output.
const maxOutput = 16 << 10

// ErrManualRequired fails an unattended drill at a required manual step.
var ErrManualRequired = errors.New("a required manual action cannot run in an unattended drill")

// ActionEnv is the drill's context given to a script.
type ActionEnv struct {
	Drill       string
	Phase       string // "pre" or "post"
	Group       int
	Items       []string // the group's item ids
	TestVMs     []string // test VM names so far, all groups
	Addresses   []string // their addresses, in the same order
	TestNetwork string
}

func (e ActionEnv) vars() []string {
	return []string{
		"AZUREDR_DRILL_NAME=" + e.Drill,
		"AZUREDR_DRILL_PHASE=" + e.Phase,
		"AZUREDR_GROUP=" + strconv.Itoa(e.Group),
		"AZUREDR_ITEMS=" + strings.Join(e.Items, " "),
		"AZUREDR_TEST_VM_NAMES=" + strings.Join(e.TestVMs, " "),
		"AZUREDR_TEST_VM_ADDRESSES=" + strings.Join(e.Addresses, " "),
		"AZUREDR_TEST_NETWORK_ID=" + e.TestNetwork,
	}
}

// boundedBuffer keeps the first maxOutput bytes written to it.
type boundedBuffer struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	truncated bool
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := maxOutput - b.buf.Len(); room < len(p) {
		b.truncated = true
		if room > 0 {
			b.buf.Write(p[:room])
		}
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *boundedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := strings.TrimRight(b.buf.String(), "\n")
	if b.truncated {
		s += fmt.Sprintf("\n[output truncated at %d bytes]", maxOutput)
	}
	return s
}

// RunAction runs one pre or post action of group g, for every kind of
// drill: a script runs locally with env; a manual step goes to manual, or
// without it (unattended) is skipped, or fails when Required.
func RunAction(ctx context.Context, g int, when string, a Action, manual ManualFunc, env ActionEnv, emit EmitFunc) error {
	phase := PhasePreAction
	if when == "post" {
		phase = PhasePostAction
	}
	switch a.Type {
	case ActionManual:
		if manual == nil {
			if a.Required {
				emit(phase, g, "", fmt.Sprintf("%s: manual, required, and nobody attends: %s", a.Name, a.Description))
				return fmt.Errorf("group %d, %s action %s: %w", g, when, a.Name, ErrManualRequired)
			}
			emit(phase, g, "", fmt.Sprintf("%s: manual, skipped (unattended): %s", a.Name, a.Description))
			return nil
		}
		emit(phase, g, "", fmt.Sprintf("%s: manual, waiting: %s", a.Name, a.Description))
		if err := manual(ctx, g, a); err != nil {
			emit(phase, g, "", fmt.Sprintf("%s: manual, failed: %v", a.Name, err))
			return fmt.Errorf("group %d, %s action %s: %w", g, when, a.Name, err)
		}
		emit(phase, g, "", a.Name+": manual, done")
		return nil
	default:
		emit(phase, g, "", fmt.Sprintf("%s: running %s", a.Name, strings.Join(a.Command, " ")))
		out, err := runScript(ctx, a, env)
		if out != "" {
			emit(phase, g, "", fmt.Sprintf("%s: output:\n%s", a.Name, out))
		}
		if err != nil {
			emit(phase, g, "", fmt.Sprintf("%s: failed: %v", a.Name, err))
			return fmt.Errorf("group %d, %s action %s: %w", g, when, a.Name, err)
		}
		emit(phase, g, "", a.Name+": done")
		return nil
	}
}

// runScript runs a script action with its timeout, stdout and stderr
// together, and returns its output. A non-zero exit, a timeout or a
// cancelled drill is an error.
func runScript(ctx context.Context, a Action, env ActionEnv) (string, error) {
	timeout := a.Timeout
	if timeout == 0 {
		timeout = defaultActionTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, a.Command[0], a.Command[1:]...)
	cmd.Env = append(os.Environ(), env.vars()...)
	cmd.Env = append(cmd.Env, "AZUREDR_ACTION_NAME="+a.Name)
	var out boundedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// A child that keeps the pipes open must not hold the drill.
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	switch {
	case err == nil:
		return out.String(), nil
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return out.String(), fmt.Errorf("timed out after %s: %w", timeout, err)
	default:
		return out.String(), err
	}
}
