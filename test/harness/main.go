package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

// The run's records, for the reports Main writes after the tests.
var run struct {
	once    sync.Once
	id      string
	dir     string
	mu      sync.Mutex
	records []*report.Record
}

// RunID names this run of the suites: $AZUREDR_RUN_ID, else the time the
// first drill started (UTC, to the second). Shards of one nightly run share
// it by setting AZUREDR_RUN_ID.
func RunID() string {
	run.once.Do(initRun)
	return run.id
}

// ReportDir is where records and reports go: $AZUREDR_REPORT_DIR, else a
// folder in the system's temp dir.
func ReportDir() string {
	run.once.Do(initRun)
	return run.dir
}

func initRun() {
	run.id = os.Getenv("AZUREDR_RUN_ID")
	if run.id == "" {
		run.id = time.Now().UTC().Format("20060102T150405Z")
	}
	run.dir = os.Getenv("AZUREDR_REPORT_DIR")
	if run.dir == "" {
		run.dir = filepath.Join(os.TempDir(), "azuredr-drill-reports")
	}
	if abs, err := filepath.Abs(run.dir); err == nil {
		run.dir = abs
	}
}

func collect(r *report.Record) {
	run.mu.Lock()
	defer run.mu.Unlock()
	run.records = append(run.records, r)
}

// Main is a drill suite's TestMain: it runs the tests, then stops the
// emulator and, when drills ran, writes the reports (JUnit XML, JSON and
// HTML, with history from earlier runs in the same folder) and prints
// where they are. With AZUREDR_VERIFY_HTML=1 it then opens the HTML in
// headless Chromium and fails unless it shows every scenario's timeline and
// verdict; with "auto" (make drill) it does so when Chromium is installed,
// and says so when it is not (CI=true makes a missing Chromium an error).
func Main(m *testing.M) {
	if _, err := ParseShard(os.Getenv("AZUREDR_SHARD")); err != nil {
		fmt.Fprintln(os.Stderr, "AZUREDR_SHARD:", err)
		os.Exit(2)
	}
	code := m.Run()
	stopEmulator()
	removeProvider()
	run.mu.Lock()
	n := len(run.records)
	run.mu.Unlock()
	if n > 0 {
		if err := writeReports(); err != nil {
			fmt.Fprintln(os.Stderr, "drill reports:", err)
			code = 1
		}
	}
	os.Exit(code)
}

func writeReports() error {
	out, err := report.Build(report.Options{Dir: ReportDir(), RunID: RunID(), CadenceTarget: cadenceTarget()})
	if err != nil {
		return err
	}
	fmt.Printf("\ndrill reports (%d scenario(s), %d passed) in %s\n  %s\n  %s\n  %s\n",
		out.Scenarios, out.Passed, ReportDir(), out.JUnit, out.JSON, out.HTML)
	switch os.Getenv("AZUREDR_VERIFY_HTML") {
	case "auto":
		if _, err := report.Chromium(); err != nil && os.Getenv("CI") == "" {
			fmt.Printf("  not checked in headless Chromium: %v\n", err)
			return nil
		}
		fallthrough
	case "1":
		if err := report.VerifyInChromium(out.HTML, out.Expect); err != nil {
			return fmt.Errorf("the HTML report in headless Chromium: %w", err)
		}
		fmt.Println("  headless Chromium shows every scenario's timeline and verdict")
	}
	return nil
}

// cadenceTarget is $AZUREDR_CADENCE (drills a quarter), default 2: SayPro's
// target of two drills per application per quarter.
func cadenceTarget() int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("AZUREDR_CADENCE"), &n); err == nil && n > 0 {
		return n
	}
	return 2
}
