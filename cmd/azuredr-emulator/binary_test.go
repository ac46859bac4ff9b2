package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

// These tests run the real binary: built once per test run into a temporary
// directory, started as a child process, stopped by signal or kill -9.

// binPath is the emulator binary, built once by TestMain.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "azuredr-emulator-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "azuredr-emulator")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if out, err := exec.Command(goTool, "build", "-o", binPath, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		_ = os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// emulatorProcess is a running binary.
type emulatorProcess struct {
	cmd     *exec.Cmd
	url     string
	stderr  *bytes.Buffer
	done    chan struct{} // closed when the process has exited
	waitErr error         // cmd.Wait's result, once done is closed
}

var listeningLine = regexp.MustCompile(`^listening on (http://127\.0\.0\.1:\d+)$`)

// startBinary runs the emulator and waits for its first stdout line.
func startBinary(t *testing.T, args ...string) *emulatorProcess {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	p := &emulatorProcess{cmd: cmd, stderr: &bytes.Buffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, stdout)
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	select {
	case line, ok := <-lines:
		m := listeningLine.FindStringSubmatch(line)
		if !ok || m == nil {
			t.Fatalf("first stdout line %q; stderr:\n%s", line, p.stderr)
		}
		p.url = m[1]
	case <-time.After(30 * time.Second):
		t.Fatalf("no listening line; stderr:\n%s", p.stderr)
	}
	return p
}

// stop sends SIGTERM and returns the exit code.
func (p *emulatorProcess) stop(t *testing.T) int {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-p.done
	return exitCode(t, p.waitErr)
}

// kill9 kills the process with SIGKILL: no chance to flush or clean up.
func (p *emulatorProcess) kill9(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-p.done
}

func exitCode(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	default:
		t.Fatal(err)
		return -1
	}
}

func TestCommandLine(t *testing.T) {
	run := func(args ...string) (int, string) {
		cmd := exec.Command(binPath, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		return exitCode(t, cmd.Run()), stderr.String()
	}
	if code, out := run("-h"); code != 0 || !strings.Contains(out, "--data DIR") || !strings.Contains(out, "-time-scale") {
		t.Fatalf("-h: exit %d\n%s", code, out)
	}
	if code, out := run("--listen", "0.0.0.0:0", "--data", t.TempDir()); code != 2 || !strings.Contains(out, "loopback") {
		t.Fatalf("non-loopback: exit %d\n%s", code, out)
	}
	if code, out := run(); code != 2 || !strings.Contains(out, "--data is required") {
		t.Fatalf("no --data: exit %d\n%s", code, out)
	}
	if code, _ := run("--data", t.TempDir(), "--time-scale", "-1"); code != 2 {
		t.Fatalf("negative time scale: exit %d", code)
	}

	dir := filepath.Join(t.TempDir(), "created", "on", "demand")
	p := startBinary(t, "--data", dir)
	if code := p.stop(t); code != 0 {
		t.Fatalf("SIGTERM: exit %d\n%s", code, p.stderr)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("data directory not created: %v", err)
	}
}

// armClient is a bare HTTP client for the durability test: many small
// writes from several goroutines, nothing the SDK would add.
type armClient struct {
	base string
	http *http.Client
}

const (
	sub = "00000000-0000-0000-0000-00000000d0d0"
	api = "api-version=2021-04-01"
)

func (c armClient) groupURL(name string) string {
	return c.base + "/subscriptions/" + sub + "/resourcegroups/" + name + "?" + api
}

// do sends one request; err is non-nil when no response came back (the
// write is then unacknowledged, whatever happened to it).
func (c armClient) do(method, url string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer test")
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

type group struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Tags       map[string]string `json:"tags"`
	Properties struct {
		ProvisioningState string `json:"provisioningState"`
	} `json:"properties"`
}

func (c armClient) get(t *testing.T, name string) (group, int) {
	t.Helper()
	status, raw, err := c.do(http.MethodGet, c.groupURL(name), nil)
	if err != nil {
		t.Fatal(err)
	}
	var g group
	if status == http.StatusOK {
		if err := json.Unmarshal(raw, &g); err != nil {
			t.Fatal(err)
		}
	}
	return g, status
}

func (c armClient) operations(t *testing.T, status admin.OperationStatus) []admin.Operation {
	t.Helper()
	ops, err := admin.New(c.base, admin.WithHTTPClient(c.http)).Operations(context.Background(), status)
	if err != nil {
		t.Fatalf("listing operations: %v", err)
	}
	return ops
}
