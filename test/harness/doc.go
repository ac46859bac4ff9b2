// Package harness runs disaster-recovery drills written in Terraform as Go
// tests, in the style of terratest: an Options struct, Run and RunE,
// t.Parallel(), and a destroy that runs whatever happened.
//
// A drill is a Terraform directory that declares a DR topology with the
// azuredr provider and one or more drills (azuredr_test_failover,
// azuredr_failover). RunE copies the directory to a temporary folder, gives
// it an estate of its own, applies it in two steps (the infrastructure, then
// the drill once replication has recovery points), reads the drills' results
// from state, holds them to the objectives, destroys everything and returns
// a Record: the JSON the reports (package report) are built from.
//
// Against the emulator by default: the test binary starts one in-process
// emulator and every drill adds its production estate to it under a
// subscription of its own, so drills running in parallel cannot collide.
// With AZUREDR_TARGET=azure and ARM_SUBSCRIPTION_ID (plus the usual ARM_*
// credentials) the same drills run against Azure, on estates that exist
// there; scenarios that need the emulator's fault injection are skipped.
//
// Environment:
//
//	AZUREDR_TARGET       emulator (default) or azure
//	AZUREDR_REPORT_DIR   where records and reports go (default: a folder under
//	                     the system's temp dir, printed at the end)
//	AZUREDR_SHARD        i/n: run only this shard's scenarios (also -azuredr.shard)
//	AZUREDR_TIME_SCALE   the emulator's simulated seconds per real second (30)
//	AZUREDR_RUN_ID       names this run in the records (default: the start time)
package harness
