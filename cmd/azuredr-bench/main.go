// Command azuredr-bench is `make bench`: it measures, side by side in one
// run and against in-process emulators with a fixed simulated latency model,
// how a drill scales with the number of VMs, what it costs in ARM requests,
// how soon it notices a test VM is serving, what the provider adds to
// `terraform plan`, and what the emulator itself can answer on this machine.
// Every figure is a ratio or a count taken in this one run, so it holds on a
// noisy machine; it prints a table (figure, value, goal, met) and writes the
// same figures as JSON.
//
// It needs terraform on PATH and TF_CLI_CONFIG_FILE naming a CLI config that
// installs the provider from a local mirror (make bench builds both).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// The fixed latency model every figure is measured under: simulated
// operations run timeScale times faster than in Azure (a 4-minute test
// failover takes one real second) and every ARM request first waits
// armLatency, about what Resource Manager adds to a read.
const (
	timeScale  = 240
	armLatency = 20 * time.Millisecond
	// checkInterval is the drills' pause between two attempts of a failing
	// check (real time); detection latency is held to it.
	checkInterval = 250 * time.Millisecond
)

// Figure is one line of the table.
type Figure struct {
	ID     string         `json:"id"`
	Name   string         `json:"name"`
	Value  string         `json:"value"`
	Goal   string         `json:"goal"`
	Met    bool           `json:"met"`
	Detail map[string]any `json:"detail,omitempty"`
}

// Report is the JSON document.
type Report struct {
	StartedAt time.Time `json:"startedAt"`
	Duration  string    `json:"duration"`
	Machine   struct {
		CPUs      int    `json:"cpus"`
		GoVersion string `json:"goVersion"`
	} `json:"machine"`
	Model struct {
		TimeScale       float64 `json:"timeScale"`
		ARMLatencyMs    int64   `json:"armLatencyMs"`
		CheckIntervalMs int64   `json:"checkIntervalMs"`
	} `json:"model"`
	Figures []Figure `json:"figures"`
}

func main() {
	out := flag.String("out", ".build/bench/bench.json", "where to write the figures as JSON")
	work := flag.String("work", ".build/bench/work", "scratch directory (emulator data, Terraform working directories); emptied first")
	vms := flag.Int("plan-vms", 200, "replicated VMs (and terraform_data resources) in the plan benchmark")
	seq := flag.Int("sequential", 50, "VMs failed over one at a time for the speed-up (the largest drill's first ones)")
	profile := flag.String("cpuprofile", "", "write a CPU profile of this process (the emulator and the drill engine) to this file")
	only := flag.String("only", "", "measure only these figures, comma-separated: drills (1-3), plan (4), capacity (5); all when empty")
	flag.Parse()
	groups := []string{"drills", "plan", "capacity"}
	chosen := groups
	if *only != "" {
		chosen = strings.Split(*only, ",")
	}
	for _, g := range chosen {
		if !slices.Contains(groups, g) {
			fatal(fmt.Errorf("-only %q: %q is not one of %s", *only, g, strings.Join(groups, ", ")))
		}
	}
	want := func(group string) bool { return slices.Contains(chosen, group) }
	if want("capacity") && !want("drills") {
		fatal(fmt.Errorf("-only %q: capacity is held to the largest drill's request rate, so it needs the drills: -only drills,capacity", *only))
	}

	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	b, err := newBench(ctx, *work, log)
	if err != nil {
		fatal(err)
	}
	defer b.close()

	var rep Report
	rep.StartedAt = start.UTC()
	rep.Machine.CPUs = cpus()
	rep.Machine.GoVersion = goVersion()
	rep.Model.TimeScale = timeScale
	rep.Model.ARMLatencyMs = armLatency.Milliseconds()
	rep.Model.CheckIntervalMs = checkInterval.Milliseconds()

	if err := b.setup(ctx, *vms); err != nil {
		fatal(fmt.Errorf("setting up the estate: %w", err))
	}
	if want("drills") {
		drills, err := b.drills(ctx, []int{1, 10, 50}, *seq)
		if err != nil {
			fatal(fmt.Errorf("drills: %w", err))
		}
		rep.Figures = append(rep.Figures, drills...)
	}
	if want("plan") {
		plan, err := b.plan(ctx)
		if err != nil {
			fatal(fmt.Errorf("plan overhead: %w", err))
		}
		rep.Figures = append(rep.Figures, plan)
	}
	if want("capacity") {
		capf, err := b.capacity(ctx)
		if err != nil {
			fatal(fmt.Errorf("emulator capacity: %w", err))
		}
		rep.Figures = append(rep.Figures, capf)
	}
	rep.Duration = time.Since(start).Round(time.Second).String()

	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		fatal(err)
	}
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false) // goals read "<= 12", not "\u003c= 12"
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		fatal(err)
	}
	if err := os.WriteFile(*out, raw.Bytes(), 0o644); err != nil {
		fatal(err)
	}
	printTable(os.Stdout, rep)
	fmt.Printf("\nfigures written to %s (bench took %s)\n", *out, rep.Duration)
}

func printTable(w io.Writer, rep Report) {
	fmt.Fprintf(w, "\nazuredr bench: %d CPUs, time scale %g, ARM latency %s per request, check interval %s\n\n",
		rep.Machine.CPUs, rep.Model.TimeScale, time.Duration(rep.Model.ARMLatencyMs)*time.Millisecond, time.Duration(rep.Model.CheckIntervalMs)*time.Millisecond)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tFIGURE\tVALUE\tGOAL\tMET")
	for _, f := range rep.Figures {
		met := "yes"
		if !f.Met {
			met = "NO"
		}
		lines := strings.Split(f.Value, "\n")
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.ID, f.Name, lines[0], f.Goal, met)
		for _, l := range lines[1:] {
			fmt.Fprintf(tw, "\t\t%s\t\t\n", l)
		}
	}
	tw.Flush()
}

func log(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "azuredr-bench:", err)
	os.Exit(1)
}
