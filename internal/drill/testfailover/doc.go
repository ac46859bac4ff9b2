// Package testfailover is the parallel drill, a kind built on package
// drill: test failover of replicated VMs into an isolated network, checks
// from the DR side, measured RTO and RPO, and cleanup that always runs. It
// knows nothing of Terraform: the azuredr_test_failover resource (package
// internal/failover), the bench and the terratest harness under test/ call
// Run.
//
// # Using it
//
//	res, err := testfailover.Run(ctx, client, testfailover.Spec{
//		Name:          "nightly-cms",
//		Groups:        []drill.Group{{Items: []drill.Item{{ID: dbItemID}}}, {Items: []drill.Item{{ID: web1}, {ID: web2}}}},
//		TestNetworkID: testVNetID,
//		RecoveryPoint: drill.Selector{Kind: drill.PointLatestProcessed},
//		Checks:        []drill.Check{{Name: "home", Type: drill.CheckHTTP, URL: "http://{address}/", BodyRegex: `{vm_name}`}},
//		Objectives:    drill.Objectives{RTO: 30 * time.Minute, RPO: 15 * time.Minute},
//	})
//
// Run returns a non-nil *Result even with an error, so callers record what
// was measured. A breached objective is not an error (Result.Passed is
// false, Result.Breaches says by how much): whether it fails a pipeline is
// the caller's choice.
//
// Cleanup(ctx, client, itemIDs) undoes what a crashed or killed drill left
// (a pending test failover and its VM, a drill's public IP the item still
// names) and reports what remains: for a
// resource's Delete or a sweeper.
//
// # What Run does, in order (the events' phases)
//
//  1. validate: Spec.Validate (every problem, each naming its field), then
//     each item is read: it must exist, replicate with A2A and have no test
//     failover pending (a drill starts from a clean state and never touches
//     another drill's test failover).
//  2. isolation: the test network must not be the production network (read
//     from the source VM's NICs and Site Recovery's view) or the recovery
//     network of any item. Its peerings are refused only with
//     Isolation.Skip; otherwise they are reported (isolation) and the
//     isolation proof decides (step 4).
//  3. canary (optional): Canary.URL: POST it on the primary, record the
//     version and writtenAt it answers, then wait Canary.Wait so
//     replication carries it. Canary.File: a Run Command on each primary VM
//     writes the marker ("azuredr-canary <drill>" and the VM's UTC time),
//     then the drill waits (up to Canary.Wait, drill time) until each item
//     has a recovery point newer than its write.
//  4. For each group in order (group-start): its Pre actions (pre-action),
//     then every item in parallel: choose the recovery point
//     (recovery-point), give the test VM a public IP only when a check runs
//     From the runner (test-public-ip: Site
//     Recovery gives one only when the item's test failover NIC settings
//     name one, and such checks run from outside the isolated network; when
//     the item names none, a Standard Static public IP tagged as the
//     drill's is created in the site's test resource group and named there
//     with ReplicationProtectedItems_Update; a public IP the item already
//     names is the user's, used and left alone), start the test failover
//     (test-failover) and wait for
//     it (test-failover-done), find the test VM (test-vm: TfoAzureVMName in
//     the item's recovery resource group; its address is its NIC's public IP,
//     else its private IP), run the isolation proof once per test subnet
//     (isolation: a Run Command on the subnet's first test VM tries every
//     production VM's private IP on Isolation.Ports, default
//     drill.DefaultIsolationPorts plus the checks' ports, and
//     Isolation.InternetAddress; any connection fails the drill with "test
//     network is not isolated: <test vm> reached <prod vm> <ip>:<port>"
//     and cleans up), run the per-item checks until each passed once
//     (check-failed is logged when a failure's message changes,
//     check-passed once per check, item-ready when all passed); then the
//     group's Post actions (post-action). The first failing item cancels
//     the rest of its group.
//  5. Checks that run once (dns by default) after the last group; then
//     checks-passed.
//  6. cleanup, always (deferred, on a context detached from ctx's
//     cancellation and bounded by Spec.CleanupTimeout): for every item a
//     test failover was asked for and not refused (a 409
//     TestFailoverAlreadyInProgress right after validation found none is
//     the drill's own POST retried after its answer was lost: the drill
//     follows that test failover and counts it as its own), an interrupted
//     failover is waited for, then TestFailoverCleanup runs (retried while Site
//     Recovery answers 409 because an operation is in progress) and the
//     drill verifies the test VM is gone (GET 404) and testFailoverState is
//     None; then the drill's public IP is reset from the item's settings and
//     deleted (test-public-ip). What is not is listed in Result.Leftovers
//     and makes Run return an error. cleanup-done, then verdict.
//
// # Recovery points
//
// Selector.Kind "latest" (the default) asks Site Recovery for its latest
// data (no point id) and records the newest listed point as a conservative
// bound; "latest_processed" passes the newest point, "latest_app_consistent"
// the newest application-consistent one, "before" the newest point at or
// before Selector.Before (an error naming the item when there is none).
//
// # Checks and templates
//
// A check's URL, Address, BodyRegex, DNSName and ExpectTarget may use
// {address}, {private_ip}, {vm_name} (the test VM), {source_vm_name} and
// {item} (the protected item's name); in BodyRegex the values are quoted.
// Each attempt is bounded by CheckTimeout; failing checks are retried every
// CheckInterval until they pass or ctx ends: the caller's deadline is the
// drill's timeout.
//
// A check runs From the DR site by default: each round of an item's
// pending checks is one Run Command on its test VM (or Spec.ProbeVMID), a
// script of curl/nc/dig (Linux) or curl.exe/Test-NetConnection/
// Resolve-DnsName (Windows) whose output the drill judges as it judges a
// direct attempt (package insite); the file canary's marker is read in the
// test VM's first round. Checks that run once at an address of their own
// run on their group's first test VM. A check From the runner is tried
// from the machine running the drill, at the test VM's public IP.
//
// # Actions
//
// Script actions run Command locally (no shell unless the command is one)
// with the drill's environment: AZUREDR_DRILL_NAME, AZUREDR_DRILL_PHASE
// (pre|post), AZUREDR_GROUP (1-based), AZUREDR_ITEMS (the group's item ids,
// space-separated), AZUREDR_TEST_VM_NAMES and AZUREDR_TEST_VM_ADDRESSES (the
// test VMs so far, in the same order), AZUREDR_TEST_NETWORK_ID and
// AZUREDR_ACTION_NAME. Output (stdout and stderr, at most 16 KiB) goes into
// the event log; a non-zero exit or a timeout fails the drill. Manual
// actions call Spec.Manual when the drill is attended; unattended (or with
// no Manual function) an optional one is logged as skipped and a required
// one fails the drill.
//
// # Time
//
// A drill measures on one clock, Spec.Clock, and every timestamp and
// measured duration of the Result and the events is read from it. Against
// Azure that is the wall clock. The emulator runs simulated time (a
// --time-scale of 300 makes a 4-minute test failover take 0.8 real
// seconds), and its recovery point times, operation times and canary
// writes all live on that clock; measuring RPO as "failover start (real)
// minus point time (simulated)" would be meaningless. So by default
// (Spec.Clock nil) Run uses the client's clock, azure.Client.Clock: the wall
// clock for Azure, the emulator's simulated clock for the emulator; RTO and
// RPO then come out in the same simulated minutes as the objectives.
// Spec.TimeScale is that clock's seconds per real second (default: the
// client clock's scale, or 1 with a Spec.Clock of the caller's); it is used
// in one place, drill.Clock.Wait, to turn durations the spec gives on the
// drill's clock (Canary.Wait, which waits for simulated replication) into
// real sleeps. Durations that govern local work are real time: CheckInterval,
// CheckTimeout, Action.Timeout, CleanupTimeout.
//
// MeasuredRTO runs from RecoveryStartedAt (the first group's start, after
// validation, the isolation check and the canary's wait) to ChecksPassedAt.
// MeasuredRPO is the largest, over items, of the failover's start minus the
// recovery point's time. CanaryDataLoss compares the canary with the data
// version each test VM serves (header X-Azuredr-Data-Version and the page's
// <time id="data-written" datetime="...">, from an http check's response or
// GET / on the first per-item http check's host): 0 when every compared
// test VM serves the canary's version or newer, else the canary's writtenAt
// minus the served data's.
package testfailover
