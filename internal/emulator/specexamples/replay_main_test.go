package specexamples_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"text/tabwriter"
)

// notReplayed: served operations with no example to replay, and why.
var notReplayed = map[string]string{
	"OperationStatuses_Get": "the polling URL of every long-running operation: the spec has no operation for it; every Begin* example polls it",
	"OperationResults_Get":  "the Location URL of every long-running operation: the spec has no operation for it; every Begin* example polls it",
}

// TestSpecExamplesReplay replays every x-ms-example of every operation the
// emulator serves and fails on a mismatch or on a served operation without
// a replayed example or a stated reason.
func TestSpecExamplesReplay(t *testing.T) {
	r := newReplayer(t, nil)
	c := loadCatalog(t, r.est.srv.ServedOperations())
	r.c = c
	var rows []outcome
	type job struct {
		op string
		ex *example
	}
	var reads, writes, polls, actions, removals []job
	seen := map[string]bool{} // an operation id may have several rows (polling URL shapes)
	for _, s := range c.served {
		if seen[s.Operation] {
			continue
		}
		seen[s.Operation] = true
		exs := c.examples[s.Operation]
		if len(exs) == 0 {
			reason, ok := notReplayed[s.Operation]
			if !ok && isPollingRoute(s.Pattern) {
				reason, ok = "a polling URL of long-running operations: no spec operation or example; every Begin* example polls one", true
			}
			if !ok && len(c.sdk[s.Operation]) > 0 {
				reason, ok = "the SDK module ships no example for it ("+c.sdk[s.Operation][0].key()+")", true
			}
			res := resNoExample
			if !ok {
				res, reason = resMismatch, "served, but no example and no stated reason"
			}
			api := ""
			if ops := c.sdk[s.Operation]; len(ops) > 0 {
				api = ops[0].apiVersion
			}
			rows = append(rows, outcome{operation: s.Operation, apiVersion: api, file: "-", result: res, reason: reason})
			continue
		}
		for _, ex := range exs {
			j := job{s.Operation, ex}
			switch sdk := c.operationOf(ex); {
			case isPollingRoute(sdk.path): // after the writes, which start operations to poll
				polls = append(polls, j)
			case sdk.httpMethod == http.MethodDelete || strings.HasSuffix(sdk.path, "/remove"):
				removals = append(removals, j)
			case sdk.httpMethod == http.MethodGet || sdk.httpMethod == http.MethodHead:
				reads = append(reads, j)
			case sdk.httpMethod == http.MethodPost:
				actions = append(actions, j)
			default:
				writes = append(writes, j)
			}
		}
	}
	for _, j := range append(append(reads, writes...), polls...) {
		rows = append(rows, r.replay(j.op, j.ex))
	}
	// Actions go in the order an A2A drill takes them; each client's
	// actions after the first client's start from a fresh estate (a plan's
	// failover must not find its item failed over by the item examples).
	sort.SliceStable(actions, func(i, j int) bool {
		a, b := actions[i].ex, actions[j].ex
		if a.client != b.client {
			return a.client < b.client
		}
		return actionRank(a.method) < actionRank(b.method)
	})
	for i, j := range actions {
		if i > 0 && j.ex.client != actions[i-1].ex.client {
			r = newReplayer(t, c)
		}
		rows = append(rows, r.replay(j.op, j.ex))
	}
	// Removals go in the order Azure needs (a recovery plan before the
	// items it holds, items before their mapping and container, ...), each
	// object once per estate: the second example removing the same object
	// (Purge after Delete) runs in a fresh estate, after the removals it
	// depends on were made there too (replayed again, not counted).
	sort.SliceStable(removals, func(i, j int) bool { return removalRank(c, removals[i].ex) < removalRank(c, removals[j].ex) })
	for pass, left := 0, removals; len(left) > 0; pass++ {
		if pass > 0 {
			r = newReplayer(t, c)
		}
		taken := map[string]bool{}
		var next []job
		for _, j := range left {
			target := removalTarget(c, j.ex)
			if taken[target] {
				next = append(next, j)
				continue
			}
			taken[target] = true
			rows = append(rows, r.replay(j.op, j.ex))
		}
		left = next
		if pass > 0 {
			continue
		}
		_ = left
	}
	report(t, c, rows)
	providerReport(t, c, rows)
	served := map[string]bool{}
	for _, s := range c.served {
		served[s.Operation] = true
	}
	expectedDifferences.checkStale(t, served)
}

// actionOrder is the A2A drill's order of the failover actions.
var actionOrder = []string{"TestFailover", "TestFailoverCleanup", "UnplannedFailover", "PlannedFailover", "FailoverCommit", "Reprotect"}

func actionRank(method string) int {
	for i, a := range actionOrder {
		if strings.TrimPrefix(method, "Begin") == a {
			return i
		}
	}
	return len(actionOrder)
}

// isPollingRoute: an operation status or result URL (…/operationStatuses/{id},
// Site Recovery's …/replicationOperationStatus/{id}, Network's
// …/locations/{region}/operations/{id}): what a long-running operation's
// Azure-AsyncOperation or Location header points at.
func isPollingRoute(pattern string) bool {
	segs := strings.Split(strings.Trim(pattern, "/"), "/")
	if len(segs) < 2 || !strings.HasPrefix(segs[len(segs)-1], "{") {
		return false
	}
	coll := strings.ToLower(segs[len(segs)-2])
	return strings.HasPrefix(coll, "operation") || strings.HasSuffix(coll, "operationstatus") || strings.HasSuffix(coll, "operationresults") || coll == "operations"
}

// removalOrder: what holds what, first removed first.
var removalOrder = []string{"replicationrecoveryplans", "replicationprotecteditems", "replicationprotectioncontainermappings",
	"replicationnetworkmappings", "replicationprotectioncontainers", "replicationpolicies", "replicationfabrics", "vaults",
	"securityrules", "subnets", "virtualnetworkpeerings", "networkinterfaces", "publicipaddresses", "networksecuritygroups",
	"virtualnetworks", "trafficmanagerprofiles", "resourcegroups"}

// removalTarget is the collection an example removes from.
func removalTarget(c *catalog, ex *example) string {
	segs := strings.Split(strings.TrimSuffix(strings.ToLower(c.operationOf(ex).path), "/remove"), "/")
	if len(segs) < 2 {
		return ""
	}
	if strings.HasPrefix(segs[len(segs)-2], "{") { // Traffic Manager's {endpointType}/{endpointName}
		return "endpoints"
	}
	return segs[len(segs)-2]
}

func removalRank(c *catalog, ex *example) int {
	target := removalTarget(c, ex)
	for i, coll := range removalOrder {
		if coll == target {
			return i
		}
	}
	return 8 // endpoints and the like: with the other children
}

// report prints the table (with -v), writes it to .build/, and fails on
// mismatches.
func report(t *testing.T, c *catalog, rows []outcome) {
	counts := map[string]int{}
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "OPERATION\tAPI-VERSION\tEXAMPLE\tOUTCOME\tREASON")
	examples := 0
	for _, row := range rows {
		counts[row.result]++
		if row.file != "-" {
			examples++
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", row.operation, row.apiVersion, row.file, row.result, row.reason)
		if row.result == resMismatch {
			t.Errorf("%s %s: %s", row.operation, row.file, row.reason)
		}
	}
	w.Flush()
	ids := map[string]bool{}
	for _, s := range c.served {
		ids[s.Operation] = true
	}
	summary := fmt.Sprintf("spec examples: %d operations served, %d examples found, %d replayed: %d accepted and matching, %d refused as non-A2A, %d expected differences, %d mismatches; %d operations without an example (reason stated)",
		len(ids), examples, examples, counts[resAccepted], counts[resRefused], counts[resExpected], counts[resMismatch], counts[resNoExample])
	t.Log("\n" + b.String())
	t.Log(summary)
	if dir := buildDir(); dir != "" {
		path := filepath.Join(dir, "spec-examples.txt")
		if err := os.WriteFile(path, []byte(b.String()+summary+"\n"), 0o644); err == nil {
			t.Logf("outcome table written to %s", path)
		}
	}
}

// buildDir is the repository's .build directory (git-ignored), created if
// missing; "" when the repository root is not found.
func buildDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			b := filepath.Join(dir, ".build")
			if os.MkdirAll(b, 0o755) != nil {
				return ""
			}
			return b
		}
	}
	return ""
}
