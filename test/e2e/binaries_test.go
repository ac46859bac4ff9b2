package e2e

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
	"github.com/azuredr/terraform-provider-azuredr/test/harness"
)

var (
	workDir      string // removed after the tests
	buildOnce    sync.Once
	buildErr     error
	e2eCLIConfig string // the CLI config installing the provider built for the tests
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "azuredr-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	workDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binaries builds the provider into a filesystem mirror (harness.BuildProvider,
// with a Terraform CLI config that uses it) and the emulator, once per test
// binary.
func binaries(t *testing.T) (cliConfig, emulatorBin string) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("end-to-end tests run with TF_ACC=1 (make test)")
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatal("the terraform CLI is not on PATH")
	}
	emulatorBin = filepath.Join(workDir, "azuredr-emulator")
	buildOnce.Do(func() {
		if e2eCLIConfig, buildErr = harness.BuildProvider(workDir); buildErr != nil {
			return
		}
		if out, err := exec.Command("go", "build", "-o", emulatorBin, "../../cmd/azuredr-emulator").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building the emulator: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return e2eCLIConfig, emulatorBin
}

// emulatorProcess is an emulator binary running on a data dir.
type emulatorProcess struct {
	cmd *exec.Cmd
	URL string
}

// startEmulator starts the binary and waits for its "listening on" line. The
// process dies with the test binary (Pdeathsig) and is killed at cleanup.
func startEmulator(t *testing.T, bin string, args ...string) *emulatorProcess {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Stderr = &testLogWriter{t: t, prefix: "emulator: "}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &emulatorProcess{cmd: cmd}
	t.Cleanup(p.kill)
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
	}()
	select {
	case first := <-lines:
		if !strings.HasPrefix(first, "listening on http://127.0.0.1:") {
			t.Fatalf("emulator's first line is %q", first)
		}
		p.URL = strings.TrimPrefix(first, "listening on ")
	case <-time.After(30 * time.Second):
		t.Fatal("the emulator did not print its address within 30s")
	}
	return p
}

// kill is SIGKILL: no chance to flush or close anything.
func (p *emulatorProcess) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	}
}

// admin is a client of the emulator's admin API (the process's URL can
// change over a restart, so it is made per use).
func (p *emulatorProcess) admin() *admin.Client { return admin.New(p.URL) }

// terraform runs the CLI in dir with the e2e CLI config and the endpoint.
func terraform(t *testing.T, dir, cliConfig, endpoint string, args ...string) *exec.Cmd {
	cmd := exec.Command("terraform", args...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"ARM_RESOURCE_MANAGER_ENDPOINT="+endpoint)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return cmd
}

func runTerraform(t *testing.T, dir, cliConfig, endpoint string, args ...string) (string, error) {
	t.Helper()
	out, err := terraform(t, dir, cliConfig, endpoint, args...).CombinedOutput()
	return string(out), err
}

// cleanEnv drops the caller's ARM_* and TF_* settings: the tests use only the emulator.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ARM_") && !strings.HasPrefix(kv, "TF_") {
			env = append(env, kv)
		}
	}
	return env
}

type testLogWriter struct {
	t      *testing.T
	prefix string
}

func (w *testLogWriter) Write(b []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		w.t.Log(w.prefix + line)
	}
	return len(b), nil
}
