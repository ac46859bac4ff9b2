// Command drill-report builds one drill report from records: the shards of
// a nightly run each leave their records (AZUREDR_REPORT_DIR/records); a
// last pipeline job gathers them, with the history kept from earlier runs,
// and runs
//
//	go run ./test/cmd/drill-report -dir reports -in shard-1 -in shard-2 -run $RUN_ID
//
// to write reports/junit.xml, report.json and report.html.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

type dirs []string

func (d *dirs) String() string     { return strings.Join(*d, ",") }
func (d *dirs) Set(v string) error { *d = append(*d, v); return nil }

func main() {
	var in dirs
	dir := flag.String("dir", "drill-reports", "the report folder: records under <dir>/records (history included), reports written here")
	flag.Var(&in, "in", "a shard's report folder whose records to merge into -dir (repeatable)")
	run := flag.String("run", "", "the run to report (default: the newest run among the records)")
	cadence := flag.Int("cadence", 2, "successful drills per application per quarter to meet")
	verify := flag.Bool("verify-html", false, "open the HTML report in headless Chromium and check it shows every scenario")
	flag.Parse()
	if err := build(*dir, in, *run, *cadence, *verify); err != nil {
		fmt.Fprintln(os.Stderr, "drill-report:", err)
		os.Exit(1)
	}
}

func build(dir string, in []string, run string, cadence int, verify bool) error {
	for _, src := range in {
		n, err := merge(src, dir)
		if err != nil {
			return err
		}
		fmt.Printf("merged %d record(s) from %s\n", n, src)
	}
	if run == "" {
		all, err := report.LoadRecords(dir)
		if err != nil {
			return err
		}
		if len(all) == 0 {
			return fmt.Errorf("no record under %s", filepath.Join(dir, "records"))
		}
		runs := map[string]bool{}
		for _, r := range all {
			runs[r.RunID] = true
		}
		ids := make([]string, 0, len(runs))
		for id := range runs {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		run = ids[len(ids)-1]
	}
	out, err := report.Build(report.Options{Dir: dir, RunID: run, CadenceTarget: cadence})
	if err != nil {
		return err
	}
	fmt.Printf("run %s: %d scenario(s), %d passed\n  %s\n  %s\n  %s\n", run, out.Scenarios, out.Passed, out.JUnit, out.JSON, out.HTML)
	if verify {
		if err := report.VerifyInChromium(out.HTML, out.Expect); err != nil {
			return err
		}
		fmt.Println("  headless Chromium shows every scenario's timeline and verdict")
	}
	if out.Passed < out.Scenarios {
		return fmt.Errorf("%d of %d scenario(s) failed", out.Scenarios-out.Passed, out.Scenarios)
	}
	return nil
}

// merge copies src's records into dir's, keeping their layout.
func merge(src, dir string) (int, error) {
	paths, err := filepath.Glob(filepath.Join(src, "records", "*", "*.json"))
	if err != nil {
		return 0, err
	}
	for _, p := range paths {
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(dir, rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return 0, err
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return 0, err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return 0, err
		}
	}
	return len(paths), nil
}
