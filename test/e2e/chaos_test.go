package e2e

// The fault suite: the quickstart (examples/quickstart) applied, drilled and
// destroyed by the real terraform CLI against the emulator binary while the
// emulator injects faults (its admin API's fault rules) or is killed. Every step must
// either succeed or fail with a clear error; a failed step is recovered the
// way the README's "Failure behaviour" section tells users to (faults over,
// run the same command again). Afterwards nothing may be left: no test VM,
// no item pending test failover cleanup, no duplicate resource, no
// operation stuck, and the estate exactly as seeded.
//
// Run alone: TF_ACC=1 go test ./test/e2e -run TestFaultSuite -v (or make chaos).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
	"github.com/azuredr/terraform-provider-azuredr/internal/sweep"
)

// chaosTimeScale keeps simulated minutes short: a test failover takes a
// few simulated minutes, recovery points come every 5 simulated minutes.
const chaosTimeScale = "60"

// chaosTally is the suite's figures, printed at the end.
type chaosTally struct {
	mu             sync.Mutex
	scenarios      int
	drills         int // drill applies run (run_drill = true)
	drillsPassed   int
	faults         int // fault rule hits reported by the emulator, plus kills and interrupts
	failedSteps    int // steps that failed with a clear error and were recovered
	leftovers      int
	leftoverDetail []string
}

func (c *chaosTally) add(f func(*chaosTally)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(c)
}

// TestFaultSuite runs each fault scenario in parallel, then prints the
// figures. Any leftover fails the suite.
func TestFaultSuite(t *testing.T) {
	cliConfig, emulatorBin := binaries(t)
	tally := &chaosTally{}
	t.Run("scenarios", func(t *testing.T) {
		for _, sc := range chaosScenarios() {
			t.Run(sc.name, func(t *testing.T) {
				t.Parallel()
				runChaosScenario(t, cliConfig, emulatorBin, sc, tally)
			})
		}
	})
	summary := fmt.Sprintf("fault suite: scenarios %d, drills run %d (passed %d), faults injected %d, steps failed and recovered %d, leftovers %d",
		tally.scenarios, tally.drills, tally.drillsPassed, tally.faults, tally.failedSteps, tally.leftovers)
	t.Log(summary)
	// make test prints this file: go test shows nothing of passing packages.
	if path := os.Getenv("AZUREDR_FAULT_SUITE_REPORT"); path != "" {
		must(t, os.WriteFile(path, []byte(summary+"\n"), 0o644))
	}
	if tally.leftovers != 0 {
		t.Errorf("leftovers:\n%s", strings.Join(tally.leftoverDetail, "\n"))
	}
	if tally.drills == 0 || tally.faults == 0 {
		t.Errorf("the suite ran %d drills and injected %d faults: it proved nothing", tally.drills, tally.faults)
	}
}

// chaosScenario is one fault: rules posted before every step, and/or a
// disruption (kill, interrupt) during the drill.
type chaosScenario struct {
	name  string
	rules []admin.FaultRule
	// during, if set, disrupts the drill apply once a test failover is in
	// progress; it returns how many faults it injected.
	during func(t *testing.T, q *quickstart, drill *runningCommand) int
	// hardKill: the drill's terraform is killed, so it prints no error.
	hardKill bool
}

func chaosScenarios() []chaosScenario {
	return []chaosScenario{
		{name: "429 storm with Retry-After", rules: []admin.FaultRule{
			{Kind: admin.FaultThrottle, RetryAfterSeconds: 1, Count: 8}, // a storm: every request at first
			{Kind: admin.FaultThrottle, RetryAfterSeconds: 2, Rate: 0.1, Count: 30},
		}},
		{name: "500 and 503 bursts", rules: []admin.FaultRule{
			{Kind: admin.FaultError, Status: 500, Rate: 0.1, Count: 20},
			{Kind: admin.FaultError, Status: 503, RetryAfterSeconds: 1, Count: 6},
		}},
		{name: "added latency", rules: []admin.FaultRule{
			{Kind: admin.FaultLatency, LatencyMs: 150, Rate: 0.5},
			{Kind: admin.FaultLatency, LatencyMs: 1500, Rate: 0.02},
		}},
		{name: "dropped connections", rules: []admin.FaultRule{
			{Kind: admin.FaultDrop, Rate: 0.08, Count: 20},
			{Kind: admin.FaultDrop, AfterHandling: true, Rate: 0.03, Count: 6},
		}},
		{name: "emulator killed mid test failover", during: killEmulatorDuringDrill},
		{name: "SIGINT to terraform mid drill", during: interruptTerraformDuringDrill},
		{name: "terraform SIGKILLed mid drill then swept", during: killTerraformDuringDrill, hardKill: true},
	}
}

// quickstart is the quickstart's working copy and its emulator.
type quickstart struct {
	t                    *testing.T
	emulatorBin, dir     string
	cliConfig, dataDir   string
	seed, listen, dns    string
	emu                  *emulatorProcess
	vars                 []string
	estateGroups         []string
	estateVMs            []string
	faultsBeforeRestarts int
}

const quickstartSubscription = "6f1c7a52-3b9e-4d1a-9c3e-2a5b7d9e0f11"

func newQuickstart(t *testing.T, cliConfig, emulatorBin string) *quickstart {
	dir := t.TempDir()
	q := &quickstart{t: t, emulatorBin: emulatorBin, dir: filepath.Join(dir, "work"), cliConfig: cliConfig,
		dataDir: filepath.Join(dir, "emulator-data"), seed: "../../examples/quickstart/estate.json"}
	must(t, os.MkdirAll(q.dir, 0o755))
	src, err := os.ReadFile("../../examples/quickstart/main.tf")
	must(t, err)
	must(t, os.WriteFile(filepath.Join(q.dir, "main.tf"), src, 0o600))
	q.listen, q.dns = "127.0.0.1:0", "127.0.0.1:0"
	q.emu = startEmulator(t, emulatorBin, q.emulatorArgs()...)
	q.listen = strings.TrimPrefix(q.emu.URL, "http://")

	health, err := q.emu.admin().Health(context.Background())
	must(t, err)
	q.dns = health.DNS // a restart keeps both addresses
	vms := q.vms()
	if len(vms) == 0 {
		t.Fatal("the quickstart estate has no VM")
	}
	q.vars = []string{"-var", "dns_server=" + health.DNS, "-var", fmt.Sprintf("web_port=%d", vms[0].Port)}
	for _, vm := range vms {
		q.estateVMs = append(q.estateVMs, vm.ID)
	}
	sort.Strings(q.estateVMs)
	q.estateGroups = groupNamesIn(t, q.emu, quickstartSubscription)
	if out, err := q.tf("init", "-input=false"); err != nil {
		t.Fatalf("terraform init: %v\n%s", err, out)
	}
	return q
}

func (q *quickstart) emulatorArgs() []string {
	return []string{"--listen", q.listen, "--dns-listen", q.dns, "--data", q.dataDir, "--seed", q.seed, "--time-scale", chaosTimeScale}
}

func (q *quickstart) tf(args ...string) (string, error) {
	return runTerraform(q.t, q.dir, q.cliConfig, q.emu.URL, args...)
}

// step runs apply or destroy with the variables, drill on or off.
func (q *quickstart) stepArgs(verb string, drill bool) []string {
	args := []string{verb, "-input=false", "-auto-approve", "-no-color"}
	args = append(args, q.vars...)
	return append(args, "-var", fmt.Sprintf("run_drill=%t", drill))
}

func (q *quickstart) vms() []admin.VM {
	vms, err := q.emu.admin().VMs(context.Background())
	must(q.t, err)
	return vms
}

func (q *quickstart) replication() []admin.ReplicationItem {
	rep, err := q.emu.admin().Replication(context.Background())
	must(q.t, err)
	return rep.Items
}

// addFaults posts the rules.
func (q *quickstart) addFaults(rules []admin.FaultRule) {
	for _, r := range rules {
		if _, err := q.emu.admin().AddFault(context.Background(), r); err != nil {
			q.t.Fatalf("adding fault %+v: %v", r, err)
		}
	}
}

func (q *quickstart) clearFaults() {
	must(q.t, q.emu.admin().ClearFaults(context.Background()))
}

// faultHits is the fault rule hits the running emulator counted.
func (q *quickstart) faultHits() int {
	s, err := q.emu.admin().Stats(context.Background())
	if err != nil {
		return 0
	}
	return s.FaultHits()
}

// waitForRecoveryPoints waits until every protected item has one, so the
// drill has a point to fail over to (as scripts/demo.sh does).
func (q *quickstart) waitForRecoveryPoints() {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		items := q.replication()
		ready := len(items) > 0
		for _, it := range items {
			ready = ready && len(it.RecoveryPoints) > 0
		}
		if ready {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	q.t.Fatal("no recovery point within 2 minutes")
}

// clearError is what a step that fails must print: Terraform's error
// block, and no crash of the provider or its plugin connection.
var (
	errorBlock  = regexp.MustCompile(`(?m)^(│ )?Error: \S`)
	crashTraces = []string{"panic:", "goroutine ", "Plugin did not respond", "The plugin encountered an error, and failed to respond"}
)

func checkClearError(t *testing.T, step, out string) {
	t.Helper()
	if !errorBlock.MatchString(out) {
		t.Errorf("%s failed without an error diagnostic:\n%s", step, tail(out, 30))
	}
	for _, c := range crashTraces {
		if strings.Contains(out, c) {
			t.Errorf("%s failed with a crash (%q):\n%s", step, c, tail(out, 40))
		}
	}
}

// runStep runs a step under the scenario's faults. If it fails, the error
// must be clear; then the faults are cleared and the step run again, which
// must succeed (the documented recovery).
func (q *quickstart) runStep(sc chaosScenario, tally *chaosTally, name string, args []string) {
	t := q.t
	q.clearFaults()
	q.addFaults(sc.rules)
	out, err := q.tf(args...)
	q.clearFaults()
	if err == nil {
		t.Logf("%s: succeeded under the faults", name)
		return
	}
	t.Logf("%s failed under the faults (%v); last lines:\n%s", name, err, tail(out, 15))
	checkClearError(t, name, out)
	tally.add(func(c *chaosTally) { c.failedSteps++ })
	if out, err := q.tf(args...); err != nil {
		t.Fatalf("%s again, faults over: %v\n%s", name, err, tail(out, 40))
	}
}

func runChaosScenario(t *testing.T, cliConfig, emulatorBin string, sc chaosScenario, tally *chaosTally) {
	q := newQuickstart(t, cliConfig, emulatorBin)
	tally.add(func(c *chaosTally) { c.scenarios++ })
	extraFaults := 0
	defer func() {
		// Whatever happened, count what was injected and what is left.
		hits := q.faultsBeforeRestarts + q.faultHits() + extraFaults
		left := q.leftoversAfterDestroy()
		tally.add(func(c *chaosTally) {
			c.faults += hits
			c.leftovers += len(left)
			for _, l := range left {
				c.leftoverDetail = append(c.leftoverDetail, sc.name+": "+l)
			}
		})
		t.Logf("%s: %d fault(s) injected, %d leftover(s)", sc.name, hits, len(left))
	}()

	// 1. Apply the DR configuration (no drill yet).
	q.runStep(sc, tally, "apply", q.stepArgs("apply", false))
	q.checkApplied("after apply")
	q.waitForRecoveryPoints()

	// 2. The drill: a test failover of both web VMs, checks, cleanup.
	tally.add(func(c *chaosTally) { c.drills++ })
	if sc.during == nil {
		q.runStep(sc, tally, "drill", q.stepArgs("apply", true))
	} else {
		cmd := q.start(q.stepArgs("apply", true)...)
		extraFaults += sc.during(t, q, cmd)
		out, err := cmd.wait()
		t.Logf("disrupted drill ended with %v; last lines:\n%s", err, tail(out, 15))
		if err != nil && !sc.hardKill {
			checkClearError(t, "disrupted drill", out)
			tally.add(func(c *chaosTally) { c.failedSteps++ })
		}
		// The next apply converges: it runs the drill again (the
		// interrupted one recorded nothing) or finds nothing to do.
		if out, err := q.tf(q.stepArgs("apply", true)...); err != nil {
			t.Fatalf("apply after the disrupted drill: %v\n%s", err, tail(out, 40))
		}
	}
	q.checkApplied("after the drill")
	if left := q.drillLeftovers(); len(left) > 0 {
		t.Errorf("after the drill: %s", strings.Join(left, "; "))
	}
	out, err := q.tf("output", "-json", "drill")
	if err == nil && strings.Contains(out, `"passed":true`) {
		tally.add(func(c *chaosTally) { c.drillsPassed++ })
	}
	// Converged: a second plan changes no resource.
	if out, err := q.tf(append([]string{"plan", "-input=false", "-detailed-exitcode", "-no-color", "-refresh=true"}, append(q.vars, "-var", "run_drill=true")...)...); err != nil {
		if !strings.Contains(out, "No changes") && !onlyOutputChanges(out) {
			t.Errorf("the plan after the drill is not empty (%v):\n%s", err, tail(out, 40))
		}
	}

	// 3. Destroy under the faults.
	q.runStep(sc, tally, "destroy", q.stepArgs("destroy", true))
	if out, err := q.tf("state", "list"); err != nil || strings.TrimSpace(out) != "" {
		t.Errorf("state after destroy: %q (%v), want empty", out, err)
	}
}

// onlyOutputChanges: -detailed-exitcode exits 2 when only outputs move
// (a new recovery point changes the replication output).
func onlyOutputChanges(plan string) bool {
	return strings.Contains(plan, "Changes to Outputs") && !strings.Contains(plan, "Plan: ")
}

// checkApplied: what the quickstart creates, each exactly once.
func (q *quickstart) checkApplied(when string) {
	t := q.t
	groups := groupNamesIn(t, q.emu, quickstartSubscription)
	want := append(slices.Clone(q.estateGroups), "milestone-cms-dr", "milestone-cms-drill")
	sort.Strings(want)
	if !slices.Equal(groups, want) {
		t.Errorf("%s: resource groups %v, want %v", when, groups, want)
	}
	items := q.replication()
	seen := map[string]int{}
	for _, it := range items {
		seen[strings.ToLower(it.VMName)]++
	}
	if len(items) != 2 || seen["vm-cms-web-1"] != 1 || seen["vm-cms-web-2"] != 1 {
		t.Errorf("%s: protected items %v, want vm-cms-web-1 and vm-cms-web-2 once each", when, seen)
	}
}

// drillLeftovers: test VMs and items pending test failover cleanup.
func (q *quickstart) drillLeftovers() []string {
	var left []string
	for _, vm := range q.vms() {
		if vm.Role == "test" || vm.Tags["azuredr-test-failover-of"] != "" {
			left = append(left, "orphaned test VM "+vm.ID)
		}
	}
	for _, it := range q.replication() {
		if s := it.Failover.TestFailoverState; s != "" && s != "None" {
			left = append(left, fmt.Sprintf("item %s pending test failover cleanup (%s)", it.Name, s))
		}
	}
	return left
}

// leftoversAfterDestroy: anything beyond the seeded estate, and any
// operation that never ends. It waits for operations to settle first.
func (q *quickstart) leftoversAfterDestroy() []string {
	t := q.t
	left := q.drillLeftovers()
	var pending []admin.Operation
	deadline := time.Now().Add(30 * time.Second)
	for {
		var err error
		if pending, err = q.emu.admin().Operations(context.Background(), admin.OperationInProgress); err != nil {
			return append(left, "the emulator does not answer: "+err.Error())
		}
		if len(pending) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, op := range pending {
		left = append(left, "operation stuck in progress: "+op.Kind+" "+op.ResourceID)
	}
	if groups := groupNamesIn(t, q.emu, quickstartSubscription); !slices.Equal(groups, q.estateGroups) {
		left = append(left, fmt.Sprintf("resource groups %v, want the estate's %v", groups, q.estateGroups))
	}
	var vms []string
	for _, vm := range q.vms() {
		vms = append(vms, vm.ID)
	}
	sort.Strings(vms)
	if !slices.Equal(vms, q.estateVMs) {
		left = append(left, fmt.Sprintf("VMs %v, want the estate's %v", vms, q.estateVMs))
	}
	if items := q.replication(); len(items) > 0 {
		left = append(left, fmt.Sprintf("%d protected item(s) left", len(items)))
	}
	return left
}

// runningCommand is a terraform command started in the background.
type runningCommand struct {
	proc *os.Process
	out  *lockedBuffer
	done chan error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (q *quickstart) start(args ...string) *runningCommand {
	cmd := terraform(q.t, q.dir, q.cliConfig, q.emu.URL, args...)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr.Setpgid = true // its own process group, with the provider plugin
	must(q.t, cmd.Start())
	rc := &runningCommand{proc: cmd.Process, out: out, done: make(chan error, 1)}
	go func() { rc.done <- cmd.Wait() }()
	return rc
}

func (rc *runningCommand) wait() (string, error) {
	err := <-rc.done
	rc.done <- err // later waits see it too
	return rc.out.String(), err
}

// waitForTestFailover polls until a test failover is in progress on an
// item, failing the test if the command ends first.
func (q *quickstart) waitForTestFailover(rc *runningCommand) {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-rc.done:
			rc.done <- err
			q.t.Fatalf("the drill ended (%v) before a test failover was seen:\n%s", err, tail(rc.out.String(), 30))
		default:
		}
		for _, it := range q.replication() {
			if it.Failover.TestFailoverState == "InProgress" {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	q.t.Fatal("no test failover started within 2 minutes")
}

// killEmulatorDuringDrill: SIGKILL while the test failover runs, then a
// restart on the same data dir and port. The drill rides through on the
// SDK's retries or fails clearly; either way its cleanup (or the next
// apply) leaves nothing behind.
func killEmulatorDuringDrill(t *testing.T, q *quickstart, drill *runningCommand) int {
	q.waitForTestFailover(drill)
	q.faultsBeforeRestarts += q.faultHits()
	t.Log("killing the emulator (SIGKILL) during the test failover")
	q.emu.kill()
	time.Sleep(time.Second)
	q.emu = startEmulator(t, q.emulatorBin, q.emulatorArgs()...)
	return 1
}

// interruptTerraformDuringDrill: Ctrl-C (SIGINT) to terraform while the
// test failover runs. Terraform asks the provider to stop; the drill's
// cleanup runs on a detached context before the provider exits.
func interruptTerraformDuringDrill(t *testing.T, q *quickstart, drill *runningCommand) int {
	q.waitForTestFailover(drill)
	t.Log("sending SIGINT to terraform during the test failover")
	must(t, drill.proc.Signal(syscall.SIGINT))
	out, err := drill.wait()
	if err == nil {
		t.Logf("the interrupted apply exited 0:\n%s", tail(out, 10))
	}
	// The provider cleaned up before exiting: nothing to wait for.
	if left := q.drillLeftovers(); len(left) > 0 {
		t.Errorf("after SIGINT the provider exited leaving: %s", strings.Join(left, "; "))
	}
	return 1
}

// killTerraformDuringDrill: SIGKILL to terraform and the provider plugin
// (its whole process group, as when a CI runner vanishes) during the test
// failover. Nothing can clean up then: the test failover stays pending and
// the next drill would refuse to start. The sweeper finds it by the
// site's tags and cleans it up, touching nothing else.
func killTerraformDuringDrill(t *testing.T, q *quickstart, drill *runningCommand) int {
	q.waitForTestFailover(drill)
	t.Log("killing terraform and the provider (SIGKILL to the process group) during the test failover")
	must(t, syscall.Kill(-drill.proc.Pid, syscall.SIGKILL))
	_, _ = drill.wait()
	if left := q.drillLeftovers(); len(left) == 0 {
		t.Error("nothing left pending after killing terraform mid drill: the sweeper has nothing to prove")
	} else {
		t.Logf("left by the killed run: %s", strings.Join(left, "; "))
	}
	client, err := azure.NewClient(azure.Config{SubscriptionID: quickstartSubscription, ResourceManagerEndpoint: q.emu.URL})
	must(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rep, err := sweep.Run(ctx, client, sweep.Options{Log: t.Logf})
	if err != nil {
		t.Fatalf("sweep: %v", err)
	}
	t.Logf("sweep: sites %v, found %d, removed %d, leftovers %v, ignored %d group(s)", rep.Sites, len(rep.Found), len(rep.Removed), rep.Leftovers, rep.Ignored)
	// The two pending test failovers. The quickstart drills from the DR
	// site (Run Command on the test VMs), so it gave them no public IP and
	// the sweep must find none: removing drill public IPs is proven in
	// internal/sweep (TestAccSweep_removesEveryType).
	count := func(list []string) (items, pips int) {
		for _, e := range list {
			if strings.Contains(e, "/publicIPAddresses/") {
				pips++
			} else {
				items++
			}
		}
		return items, pips
	}
	foundItems, foundPIPs := count(rep.Found)
	removedItems, removedPIPs := count(rep.Removed)
	if foundItems != 2 || removedItems != 2 || foundPIPs != 0 || removedPIPs != 0 || len(rep.Leftovers) != 0 {
		t.Errorf("the sweep found %d and removed %d pending test failovers (want 2 and 2), found %d and removed %d drill public IPs (want 0 and 0: the checks ran from the DR site), leftovers %v",
			foundItems, removedItems, foundPIPs, removedPIPs, rep.Leftovers)
	}
	if rep.Ignored < len(q.estateGroups) {
		t.Errorf("the sweep ignored %d groups, want at least the estate's %d (untagged)", rep.Ignored, len(q.estateGroups))
	}
	if left := q.drillLeftovers(); len(left) > 0 {
		t.Errorf("after the sweep: %s", strings.Join(left, "; "))
	}
	return 1
}

// groupNamesIn lists a subscription's resource groups.
func groupNamesIn(t *testing.T, emu *emulatorProcess, subscription string) []string {
	t.Helper()
	names := listGroups(t, emu, subscription)
	sort.Strings(names)
	return names
}

func listGroups(t *testing.T, emu *emulatorProcess, subscription string) []string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, emu.URL+"/subscriptions/"+subscription+"/resourcegroups?api-version=2021-04-01", nil)
	req.Header.Set("Authorization", "Bearer e2e")
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	var out struct {
		Value []struct {
			Name string `json:"name"`
		} `json:"value"`
	}
	must(t, json.NewDecoder(resp.Body).Decode(&out))
	names := make([]string, 0, len(out.Value))
	for _, g := range out.Value {
		names = append(names, g.Name)
	}
	return names
}
