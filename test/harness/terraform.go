package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// terraform runs one Terraform command in the drill's folder and returns
// its standard output (the JSON of show and output, uncluttered by the
// warnings Terraform writes to standard error). Both go to the drill's
// terraform.log; progress lines come from the provider's log, see
// progress.go. On ctx's end it gets SIGINT, as an operator's Ctrl-C, and a
// minute to stop cleanly.
func (d *Drill) terraform(ctx context.Context, stage string, args ...string) (string, error) {
	logPath := filepath.Join(d.Dir, "provider-"+stage+".log")
	cmd := exec.CommandContext(ctx, "terraform", args...)
	cmd.Dir = d.Dir
	cmd.Env = d.Target.env(d.cliConfig, logPath)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = time.Minute
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr

	stop := d.tailProgress(logPath)
	err := cmd.Run()
	stop()

	if f, ferr := os.OpenFile(filepath.Join(d.Dir, "terraform.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); ferr == nil {
		fmt.Fprintf(f, "\n$ terraform %s\n%s%s", strings.Join(args, " "), stdout.String(), stderr.String())
		_ = f.Close()
	}
	if err != nil {
		return stdout.String(), fmt.Errorf("terraform %s: %v\n%s", args[0], err, tail(stdout.String()+stderr.String(), 40))
	}
	return stdout.String(), nil
}

// tail is the last n lines of s: where Terraform puts its errors.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// writeVars writes the variables of the next run to a .tfvars.json file
// Terraform loads by itself: a variable the configuration does not declare
// is a warning there, where -var makes it an error.
func (d *Drill) writeVars(vars map[string]any) error {
	raw, err := json.MarshalIndent(vars, "", "  ")
	if err != nil {
		return fmt.Errorf("variables: %w", err)
	}
	return os.WriteFile(filepath.Join(d.Dir, "harness.auto.tfvars.json"), raw, 0o600)
}

// state is `terraform show -json`: every resource's values, child modules
// included.
func (d *Drill) state(ctx context.Context) ([]stateResource, error) {
	out, err := d.terraform(ctx, "show", "show", "-json", "-no-color")
	if err != nil {
		return nil, err
	}
	var doc struct {
		Values struct {
			RootModule stateModule `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		return nil, fmt.Errorf("reading the state: %w", err)
	}
	return doc.Values.RootModule.all(), nil
}

type stateModule struct {
	Resources    []stateResource `json:"resources"`
	ChildModules []stateModule   `json:"child_modules"`
}

type stateResource struct {
	Address string         `json:"address"`
	Mode    string         `json:"mode"`
	Type    string         `json:"type"`
	Values  map[string]any `json:"values"`
}

func (m stateModule) all() []stateResource {
	out := append([]stateResource(nil), m.Resources...)
	for _, c := range m.ChildModules {
		out = append(out, c.all()...)
	}
	return out
}
