package harness

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

// A drill that fails still destroys everything, leaves no test VM, and
// writes a failed record naming why.
func TestRunEFailedDrillIsRecordedAndDestroyed(t *testing.T) {
	rec, err := RunE(t, Options{
		Scenario:     "failing-check",
		TerraformDir: "testdata/failing-check",
		Estate:       "testdata/failing-check/estate.json",
		Vars:         map[string]any{"run_drill": false},
		DrillVars:    map[string]any{"run_drill": true},
	})
	if err == nil {
		t.Fatal("a drill whose check never passes passed")
	}
	if rec == nil || rec.Verdict != report.VerdictFailed || !strings.Contains(rec.Error, "failed") {
		t.Fatalf("record: %+v", rec)
	}
	stages := map[string]report.Stage{}
	for _, s := range rec.Stages {
		stages[s.Name] = s
	}
	if stages["drill"].Error == "" {
		t.Errorf("the drill stage did not fail: %+v", rec.Stages)
	}
	if d, ok := stages["destroy"]; !ok || d.Error != "" {
		t.Errorf("destroy did not run cleanly: %+v", rec.Stages)
	}
	found := false
	for _, g := range rec.Gaps {
		found = found || g.Key == "drill failed"
	}
	if !found {
		t.Errorf("no gap for the failure: %+v", rec.Gaps)
	}
	if files, _ := filepath.Glob(filepath.Join(ReportDir(), "records", "failing-check", "*.json")); len(files) != 1 {
		t.Errorf("records written: %v", files)
	}
}

func TestRunEValidatesOptions(t *testing.T) {
	_, err := RunE(t, Options{})
	if err == nil || !strings.Contains(err.Error(), "Options.Scenario") || !strings.Contains(err.Error(), "Options.TerraformDir") {
		t.Fatalf("empty options: %v", err)
	}
}
