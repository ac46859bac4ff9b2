// Package report turns drill records (JSON, one per scenario run, written
// by package harness) into the reports people and pipelines read: JUnit
// XML, one JSON document and a self-contained HTML page with each drill's
// timeline, its figures against the objectives, its history (the previous
// run of the same scenario and which gaps appeared or closed) and cadence
// compliance per application.
//
// Records accumulate under <dir>/records/<scenario>/<run id>.json; keep the
// folder between runs (a pipeline cache or artifact) and every report shows
// history. Shards of one run write records with the same run id; Build over
// the merged folder makes the run's one report (cmd/drill-report).
package report
