package drill

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// A drill of two groups: a database (group 1: db-1, db-2) and a web tier
// (group 2: web-1).
var (
	db1  = ItemRef{Group: 1, Index: 0, DrillIndex: 0, SourceVMName: "db-1"}
	db2  = ItemRef{Group: 1, Index: 1, DrillIndex: 1, SourceVMName: "db-2"}
	web1 = ItemRef{Group: 2, Index: 0, DrillIndex: 2, SourceVMName: "web-1"}
)

func TestCheckScopes(t *testing.T) {
	all := []ItemRef{db1, db2, web1}
	cases := []struct {
		name  string
		c     Check
		on    []ItemRef // the items it runs against
		after int       // the group it runs after, once (0: none)
	}{
		{"every VM", Check{Type: CheckHTTP, URL: "http://{address}/"}, all, 0},
		{"group 2", Check{Type: CheckHTTP, URL: "http://{address}/", Group: 2}, []ItemRef{web1}, 0},
		{"vm names, any case", Check{Type: CheckTCP, Address: "{address}:1433", VMNames: []string{"DB-2", "db-1"}}, []ItemRef{db1, db2}, 0},
		{"once on group 1's first VM", Check{Type: CheckHTTP, URL: "http://{address}/", Group: 1, Once: true}, []ItemRef{db1}, 0},
		{"once on the drill's first VM", Check{Type: CheckTCP, Address: "{address}:22", Once: true}, []ItemRef{db1}, 0},
		{"once at an address, after group 1", Check{Type: CheckHTTP, URL: "http://lb.example/", Group: 1, Once: true}, nil, 1},
		{"once at an address, after the last group", Check{Type: CheckHTTP, URL: "http://lb.example/", Once: true}, nil, 2},
		{"dns after the last group", Check{Type: CheckDNS, DNSName: "app.example", ExpectTarget: "x"}, nil, 2},
		{"dns with a placeholder, group 2's first VM", Check{Type: CheckDNS, DNSName: "{vm_name}.example", ExpectTarget: "x", Group: 2}, []ItemRef{web1}, 0},
	}
	for _, tc := range cases {
		var on []ItemRef
		for _, it := range all {
			if tc.c.RunsOn(it) {
				on = append(on, it)
			}
		}
		if fmt.Sprint(on) != fmt.Sprint(tc.on) {
			t.Errorf("%s: runs on %v, want %v", tc.name, on, tc.on)
		}
		after := 0
		for g := 1; g <= 2; g++ {
			if tc.c.RunsAfter(g, g == 2) {
				if after != 0 {
					t.Errorf("%s: runs after groups %d and %d", tc.name, after, g)
				}
				after = g
			}
		}
		if after != tc.after {
			t.Errorf("%s: runs after group %d, want %d", tc.name, after, tc.after)
		}
	}
}

func TestValidateCheckTargets(t *testing.T) {
	cases := map[string]Check{
		"C.Group: -1":                             {Name: "a", Type: CheckHTTP, URL: "http://x/", Group: -1},
		"C.VMNames: name the VMs or the group":    {Name: "a", Type: CheckHTTP, URL: "http://x/", Group: 1, VMNames: []string{"a"}},
		"C.VMNames: a dns check":                  {Name: "a", Type: CheckDNS, DNSName: "n", ExpectTarget: "t", VMNames: []string{"a"}},
		"C.VMNames: a check that runs once":       {Name: "a", Type: CheckTCP, Address: "{address}:1", Once: true, VMNames: []string{"a"}},
		"C.VMNames[0]: empty":                     {Name: "a", Type: CheckTCP, Address: "{address}:1", VMNames: []string{" "}},
		`C.URL: "ftp://x/" is not an http(s) URL`: {Name: "a", Type: CheckHTTP, URL: "ftp://x/"},
		"C.ExpectStatus: 700":                     {Name: "a", Type: CheckHTTP, URL: "http://x/", ExpectStatus: 700},
	}
	for want, c := range cases {
		var got []string
		ValidateCheck("C", c, func(f string, a ...any) { got = append(got, fmt.Sprintf(f, a...)) })
		if !strings.Contains(strings.Join(got, "\n"), want) {
			t.Errorf("%s: got %q", want, got)
		}
	}
	for _, ok := range []Check{
		{Name: "a", Type: CheckHTTP, URL: "HTTPS://{address}/", Group: 2, Once: true},
		{Name: "a", Type: CheckTCP, Address: "{address}:1433", VMNames: []string{"db-1", "db-2"}},
		{Name: "a", Type: CheckDNS, DNSName: "app", ExpectTarget: "t", Group: 1},
	} {
		ValidateCheck("C", ok, func(f string, a ...any) { t.Errorf("%+v: %s", ok, fmt.Sprintf(f, a...)) })
	}
}

// fakeClock is a drill clock the test moves: each read advances it by
// step, as simulated time runs while the checks are retried.
type fakeClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(f.step)
	return f.now
}

// Checks that cannot pass stop at the RTO objective plus its grace, on the
// drill's clock, with each check's last error; the ones that pass are not
// in the error; progress events name the checks still failing.
func TestCheckerFailsFastAfterRTOAndGrace(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/down" {
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	clk := &fakeClock{now: start, step: time.Minute} // a simulated minute per read
	var mu sync.Mutex
	var events []string
	k := Checker{
		Checks: []Check{
			{Name: "home", Type: CheckHTTP, URL: srv.URL + "/", From: FromRunner},
			{Name: "shop", Type: CheckHTTP, URL: srv.URL + "/down", From: FromRunner},
			{Name: "orders", Type: CheckHTTP, URL: srv.URL + "/", BodyRegex: "never", From: FromRunner},
		},
		Interval: time.Hour, // real time: only the deadline can end the wait
		Timeout:  time.Second,
		Emit: func(phase string, g int, item, msg string) {
			mu.Lock()
			events = append(events, phase+": "+msg)
			mu.Unlock()
		},
		Clock:         Clock{Now: clk.Now, Scale: 1e9}, // a simulated minute is a real 60ns
		FailFast:      &FailFast{From: start, RTO: 10 * time.Minute, Grace: time.Minute},
		ProgressEvery: 1,
	}
	began := time.Now()
	_, err := k.RunItem(t.Context(), web1, "web-1", Target{})
	if !errors.Is(err, ErrChecksGaveUp) {
		t.Fatalf("RunItem = %v, want ErrChecksGaveUp", err)
	}
	if time.Since(began) > 30*time.Second {
		t.Fatal("the checker waited out its interval instead of the drill's deadline")
	}
	msg := err.Error()
	for _, want := range []string{"RTO objective 10m plus a grace of 1m", "shop (last attempt: GET " + srv.URL + "/down: status 503, want 200)", `orders (last attempt: GET ` + srv.URL + `/: the body does not match "never")`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "home") {
		t.Errorf("a passing check is in the error: %q", msg)
	}
	if now := clk.Now(); now.Before(start.Add(11 * time.Minute)) {
		t.Errorf("gave up at %s, before the RTO objective plus grace", now.Sub(start))
	}
	mu.Lock()
	defer mu.Unlock()
	still := 0
	for _, e := range events {
		if strings.HasPrefix(e, PhaseCheckFailed+": still failing: shop") && strings.Contains(e, "orders") && strings.Contains(e, "giving up in") {
			still++
		}
	}
	if still == 0 {
		t.Errorf("no progress event names the checks still failing: %q", events)
	}
}

// Without an RTO objective the checks are retried until the context ends.
func TestCheckerWithoutObjectiveRetriesUntilTheDrillEnds(t *testing.T) {
	k := Checker{Checks: []Check{{Name: "tcp", Type: CheckTCP, Address: "127.0.0.1:1", From: FromRunner}}, Interval: 10 * time.Millisecond, Timeout: time.Second,
		Emit: func(string, int, string, string) {}}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err := k.RunItem(ctx, db1, "db-1", Target{})
	if err == nil || errors.Is(err, ErrChecksGaveUp) || !strings.Contains(err.Error(), "not passed when the drill ended: tcp (last attempt:") {
		t.Fatalf("RunItem = %v", err)
	}
}
