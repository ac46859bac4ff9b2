package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

// writerLog is what one writer had sent and had acknowledged when the
// emulator was killed.
type writerLog struct {
	tagged         string // the group whose "v" tag the writer keeps bumping
	taggedCreated  bool
	lastAcked      int // highest "v" acknowledged
	lastSent       int // highest "v" sent (one more than acked if in flight)
	created        []string
	deleted        []string // acknowledged deletions (202)
	deleteInFlight string   // a deletion sent but not acknowledged
	unexpected     string
}

// write runs until the emulator stops answering, alternating tag updates,
// creations and deletions (each deletion is a multi-record transaction: the
// group turns Deleting and an operation record appears).
func (l *writerLog) write(c armClient, w int, acks *atomic.Int64) {
	l.tagged = fmt.Sprintf("rg-w%d", w)
	body := map[string]any{"location": "westeurope", "tags": map[string]string{"v": "0"}}
	if status, raw, err := c.do(http.MethodPut, c.groupURL(l.tagged), body); err != nil {
		return
	} else if status != http.StatusCreated {
		l.unexpected = fmt.Sprintf("creating %s: %d %s", l.tagged, status, raw)
		return
	}
	l.taggedCreated = true
	for i := 1; ; i++ {
		var status, want int
		var err error
		switch {
		case i%7 == 0 && len(l.created) > len(l.deleted):
			name := l.created[len(l.deleted)]
			l.deleteInFlight = name
			status, _, err = c.do(http.MethodDelete, c.groupURL(name), nil)
			if want = http.StatusAccepted; err == nil && status == want {
				l.deleted, l.deleteInFlight = append(l.deleted, name), ""
			}
		case i%3 == 0:
			name := fmt.Sprintf("rg-w%d-%d", w, i)
			status, _, err = c.do(http.MethodPut, c.groupURL(name), map[string]any{"location": "northeurope"})
			if want = http.StatusCreated; err == nil && status == want {
				l.created = append(l.created, name)
			}
		default:
			l.lastSent = i
			patch := map[string]any{"tags": map[string]string{"v": strconv.Itoa(i)}}
			status, _, err = c.do(http.MethodPatch, c.groupURL(l.tagged), patch)
			if want = http.StatusOK; err == nil && status == want {
				l.lastAcked = i
			}
		}
		if err != nil {
			return // the emulator is gone: this write was never acknowledged
		}
		if status != want {
			l.unexpected = fmt.Sprintf("write %d: status %d, want %d", i, status, want)
			return
		}
		acks.Add(1)
	}
}

// TestKillNineLosesNoAcknowledgedWrite kills the emulator with SIGKILL in
// the middle of a stream of concurrent writes, with deletions in flight, and
// checks on restart that every acknowledged write is there, that no
// transaction is half-applied, and that the deletions still complete.
func TestKillNineLosesNoAcknowledgedWrite(t *testing.T) {
	dir := t.TempDir()
	client := &http.Client{Timeout: 10 * time.Second}

	// A slow clock keeps every deletion in flight until the last phase,
	// however slow the machine is: 30 simulated seconds take 50 real minutes.
	first := startBinary(t, "--data", dir, "--time-scale", "0.01")
	c := armClient{base: first.url, http: client}
	if status, raw, err := c.do(http.MethodPut, c.groupURL("rg-doomed"), map[string]any{"location": "eastus"}); err != nil || status != http.StatusCreated {
		t.Fatalf("creating rg-doomed: %d %s %v", status, raw, err)
	}
	if status, _, err := c.do(http.MethodDelete, c.groupURL("rg-doomed"), nil); err != nil || status != http.StatusAccepted {
		t.Fatalf("deleting rg-doomed: %d %v", status, err)
	}

	const writers, ackTarget = 4, 300
	logs := make([]writerLog, writers)
	var acks atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			logs[w].write(c, w, &acks)
		}()
	}
	deadline := time.Now().Add(60 * time.Second)
	for acks.Load() < ackTarget && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	first.kill9(t) // mid-stream: the writers are still sending
	wg.Wait()
	if n := acks.Load(); n < ackTarget {
		t.Fatalf("only %d writes acknowledged before the deadline", n)
	}
	for w, l := range logs {
		if l.unexpected != "" {
			t.Fatalf("writer %d: %s", w, l.unexpected)
		}
	}

	// Phase 2: a still picture of what survived.
	second := startBinary(t, "--data", dir, "--time-scale", "0.01")
	c = armClient{base: second.url, http: client}
	checkAcknowledgedWrites(t, c, logs)
	checkNoHalfAppliedDeletion(t, c)
	if g, status := c.get(t, "rg-doomed"); status != http.StatusOK || g.Properties.ProvisioningState != "Deleting" {
		t.Fatalf("rg-doomed after the crash: %d %+v", status, g)
	}
	if code := second.stop(t); code != 0 {
		t.Fatalf("SIGTERM: exit %d\n%s", code, second.stderr)
	}

	// Phase 3: with a fast clock the deletions left in flight complete.
	third := startBinary(t, "--data", dir, "--time-scale", "1000000")
	c = armClient{base: third.url, http: client}
	deadline = time.Now().Add(30 * time.Second)
	for len(c.operations(t, admin.OperationInProgress)) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("operations still in progress: %+v", c.operations(t, admin.OperationInProgress))
		}
		time.Sleep(10 * time.Millisecond)
	}
	gone := []string{"rg-doomed"}
	for _, l := range logs {
		gone = append(gone, l.deleted...)
	}
	for _, name := range gone {
		if _, status := c.get(t, name); status != http.StatusNotFound {
			t.Errorf("%s: %d after its deletion completed, want 404", name, status)
		}
	}
	if _, status := c.get(t, logs[0].tagged); status != http.StatusOK {
		t.Errorf("%s lost after the deletions completed", logs[0].tagged)
	}
}

func checkAcknowledgedWrites(t *testing.T, c armClient, logs []writerLog) {
	t.Helper()
	checked := 0
	for _, l := range logs {
		if l.taggedCreated {
			g, status := c.get(t, l.tagged)
			v, _ := strconv.Atoi(g.Tags["v"])
			if status != http.StatusOK || (v != l.lastAcked && v != l.lastSent) {
				t.Errorf("%s: status %d, v=%q; acknowledged v=%d (v=%d in flight)", l.tagged, status, g.Tags["v"], l.lastAcked, l.lastSent)
			}
			checked++
		}
		deleted := map[string]bool{}
		for _, name := range l.deleted {
			deleted[name] = true
		}
		for _, name := range l.created {
			g, status := c.get(t, name)
			want := "Succeeded"
			if deleted[name] || (name == l.deleteInFlight && g.Properties.ProvisioningState == "Deleting") {
				want = "Deleting"
			}
			if status != http.StatusOK || g.Properties.ProvisioningState != want {
				t.Errorf("%s: status %d, state %q, want 200 %s", name, status, g.Properties.ProvisioningState, want)
			}
			checked++
		}
	}
	t.Logf("checked %d acknowledged groups", checked)
}

// checkNoHalfAppliedDeletion: a deletion's start is one transaction (group
// marked Deleting + operation record); each half must imply the other.
func checkNoHalfAppliedDeletion(t *testing.T, c armClient) {
	t.Helper()
	inFlight := map[string]bool{}
	for _, op := range c.operations(t, admin.OperationInProgress) {
		inFlight[strings.ToLower(op.ResourceID)] = true
		name := op.ResourceID[strings.LastIndex(op.ResourceID, "/")+1:]
		if g, status := c.get(t, name); status != http.StatusOK || g.Properties.ProvisioningState != "Deleting" {
			t.Errorf("operation on %s in progress but the group is %d %q", name, status, g.Properties.ProvisioningState)
		}
	}
	status, raw, err := c.do(http.MethodGet, c.base+"/subscriptions/"+sub+"/resourcegroups?"+api, nil)
	if err != nil || status != http.StatusOK {
		t.Fatalf("listing groups: %d %v", status, err)
	}
	var page struct {
		Value    []group `json:"value"`
		NextLink string  `json:"nextLink"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		t.Fatal(err)
	}
	if page.NextLink != "" {
		t.Fatal("more groups than one page; raise the page size in the test")
	}
	for _, g := range page.Value {
		if g.Properties.ProvisioningState == "Deleting" && !inFlight[strings.ToLower(g.ID)] {
			t.Errorf("%s is Deleting without an operation in progress", g.Name)
		}
	}
}
