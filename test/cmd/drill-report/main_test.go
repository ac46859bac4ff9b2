package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/test/report"
)

func TestMergesShardsIntoOneReport(t *testing.T) {
	base := t.TempDir()
	at := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	for i, sc := range []string{"a", "b"} {
		r := &report.Record{Scenario: sc, Application: "app", RunID: "night-1", StartedAt: at, Verdict: report.VerdictPassed}
		if _, err := r.Write(filepath.Join(base, "shard", string(rune('1'+i)))); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(base, "merged")
	if err := build(dir, []string{filepath.Join(base, "shard", "1"), filepath.Join(base, "shard", "2")}, "", 2, false); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `tests="2"`) || !strings.Contains(string(raw), `name="a"`) || !strings.Contains(string(raw), `name="b"`) {
		t.Fatalf("junit.xml:\n%s", raw)
	}
	// A failed scenario fails the command (a pipeline's last job goes red).
	r := &report.Record{Scenario: "c", Application: "app", RunID: "night-2", StartedAt: at.Add(time.Hour), Verdict: report.VerdictFailed, Error: "boom"}
	if _, err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	if err := build(dir, nil, "", 2, false); err == nil || !strings.Contains(err.Error(), "1 of 1 scenario(s) failed") {
		t.Fatalf("a failed run: %v", err)
	}
}
