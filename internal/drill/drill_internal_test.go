package drill

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	mdns "github.com/miekg/dns"
)

const testItem = "/subscriptions/s/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/f/replicationProtectionContainers/c/replicationProtectedItems/vm-web-1"
const testNet = "/subscriptions/s/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-test"

func validSpec() Spec {
	return Spec{
		Name:          "d",
		Groups:        []Group{{Items: []Item{{ID: testItem}}}},
		TestNetworkID: testNet,
		Checks:        []Check{{Name: "web", Type: CheckHTTP, URL: "http://{address}:8080/"}},
	}
}

func TestTargetExpand(t *testing.T) {
	tg := target{Address: "20.1.2.3", PrivateIP: "10.0.1.4", VMName: "vm-web-1-test", SourceVMName: "vm-web-1", Item: "item-1"}
	got := tg.expand("http://{address}:80/{vm_name}?src={source_vm_name}&ip={private_ip}&i={item}&keep={other}")
	want := "http://20.1.2.3:80/vm-web-1-test?src=vm-web-1&ip=10.0.1.4&i=item-1&keep={other}"
	if got != want {
		t.Fatalf("expand = %q, want %q", got, want)
	}
	if !usesItem("http://x/{source_vm_name}") || usesItem("http://x/canary") {
		t.Fatal("usesItem")
	}
}

func TestValidate(t *testing.T) {
	if err := func() error { s := validSpec(); return s.Validate() }(); err != nil {
		t.Fatalf("valid spec: %v", err)
	}
	no := false
	cases := map[string]func(*Spec){
		"Name:":                  func(s *Spec) { s.Name = " " },
		"Groups:":                func(s *Spec) { s.Groups = nil },
		"Groups[0].Items[0].ID:": func(s *Spec) { s.Groups[0].Items[0].ID = "/subscriptions/s/vm" },
		"Groups[1].Items[0].ID: item": func(s *Spec) {
			s.Groups = append(s.Groups, Group{Items: []Item{{ID: strings.ToUpper(testItem)}}})
		},
		"TestNetworkID:":          func(s *Spec) { s.TestNetworkID = "vnet" },
		"RecoveryPoint.Before:":   func(s *Spec) { s.RecoveryPoint.Kind = PointBefore },
		"RecoveryPoint.Kind:":     func(s *Spec) { s.RecoveryPoint.Kind = "oldest" },
		"Checks[0].URL: unknown":  func(s *Spec) { s.Checks[0].URL = "http://{addr}/" },
		"Checks[0].URL: place":    func(s *Spec) { s.Checks[0].PerItem = &no },
		"Checks[0].BodyRegex:":    func(s *Spec) { s.Checks[0].BodyRegex = "(" },
		"Checks[0].Type:":         func(s *Spec) { s.Checks[0].Type = "icmp" },
		"Checks[0].ExpectTarget:": func(s *Spec) { s.Checks[0] = Check{Name: "dns", Type: CheckDNS, DNSName: "app.example"} },
		"Checks[1].Name:":         func(s *Spec) { s.Checks = append(s.Checks, s.Checks[0]) },
		"Groups[0].Pre[0].Command:": func(s *Spec) {
			s.Groups[0].Pre = []Action{{Name: "a", Type: ActionScript}}
		},
		"Groups[0].Post[0].Type:": func(s *Spec) { s.Groups[0].Post = []Action{{Name: "a", Type: "email"}} },
		"Canary.URL: placeholder": func(s *Spec) { s.Canary = &Canary{URL: "http://{address}/canary"} },
		"Objectives.RTO:":         func(s *Spec) { s.Objectives.RTO = -time.Second },
	}
	for want, mutate := range cases {
		s := validSpec()
		mutate(&s)
		err := s.Validate()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: Validate() = %v", want, err)
		}
	}
}

func TestChoosePoint(t *testing.T) {
	base := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	points := []point{ // newest first
		{ID: "p3", Time: base.Add(10 * time.Minute), Type: "CrashConsistent"},
		{ID: "p2", Time: base.Add(5 * time.Minute), Type: "AppConsistent"},
		{ID: "p1", Time: base, Type: "CrashConsistent"},
	}
	cases := []struct {
		sel     Selector
		want    string
		use     bool
		wantErr string
	}{
		{Selector{}, "p3", false, ""},
		{Selector{Kind: PointLatest}, "p3", false, ""},
		{Selector{Kind: PointLatestProcessed}, "p3", true, ""},
		{Selector{Kind: PointLatestAppConsistent}, "p2", true, ""},
		{Selector{Kind: PointBefore, Before: base.Add(7 * time.Minute)}, "p2", true, ""},
		{Selector{Kind: PointBefore, Before: base.Add(5 * time.Minute)}, "p1", true, ""}, // a point at the time may hold the damage
		{Selector{Kind: PointBefore, Before: base.Add(-time.Second)}, "", false, "no recovery point before"},
	}
	for _, c := range cases {
		p, use, err := choosePoint(points, c.sel)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%+v: err = %v, want %q", c.sel, err, c.wantErr)
			}
			continue
		}
		if err != nil || p.ID != c.want || use != c.use {
			t.Errorf("%+v: got %s use=%v err=%v, want %s use=%v", c.sel, p.ID, use, err, c.want, c.use)
		}
	}
	if _, _, err := choosePoint(points[:1], Selector{Kind: PointLatestAppConsistent}); err == nil {
		t.Error("no app-consistent point: want an error")
	}
	if _, _, err := choosePoint(nil, Selector{Kind: PointLatestProcessed}); err == nil {
		t.Error("no point: want an error")
	}
}

func TestMeasureBreaches(t *testing.T) {
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	r := &Result{StartedAt: start.Add(-time.Hour), RecoveryStartedAt: start, ChecksPassedAt: start.Add(20 * time.Minute), Items: []ItemResult{
		{ItemID: "a", FailoverStartedAt: start.Add(time.Minute), RecoveryPoint: RecoveryPoint{Time: start.Add(-4 * time.Minute)}},
		{ItemID: "b", FailoverStartedAt: start.Add(time.Minute), RecoveryPoint: RecoveryPoint{Time: start.Add(-14 * time.Minute)}},
		{ItemID: "c"}, // never failed over: no figure
	}}
	r.measure(Objectives{RTO: 15 * time.Minute, RPO: 10 * time.Minute})
	if r.MeasuredRTO != 20*time.Minute || r.MeasuredRPO != 15*time.Minute {
		t.Fatalf("RTO %s RPO %s", r.MeasuredRTO, r.MeasuredRPO)
	}
	want := []Breach{
		{Objective: ObjectiveRTO, Measured: 20 * time.Minute, Target: 15 * time.Minute, By: 5 * time.Minute},
		{Objective: ObjectiveRPO, Item: "b", Measured: 15 * time.Minute, Target: 10 * time.Minute, By: 5 * time.Minute},
	}
	if fmt.Sprint(r.Breaches) != fmt.Sprint(want) {
		t.Fatalf("breaches %+v, want %+v", r.Breaches, want)
	}
	r.measure(Objectives{})
	if len(r.Breaches) != 0 {
		t.Fatalf("no objectives, breaches %+v", r.Breaches)
	}
	// Checks that never passed: no RTO, so no RTO breach.
	r.ChecksPassedAt = time.Time{}
	r.MeasuredRTO = 0
	r.measure(Objectives{RTO: time.Second})
	if r.MeasuredRTO != 0 || len(r.Breaches) != 0 {
		t.Fatalf("no checks passed: RTO %s breaches %+v", r.MeasuredRTO, r.Breaches)
	}
}

func TestCanaryLoss(t *testing.T) {
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	once := []CanaryWrite{{Version: 5, WrittenAt: at}}
	if canaryLoss(nil, []ItemResult{{DataVersion: 5}}) != nil {
		t.Fatal("no canary: want nil")
	}
	if canaryLoss(once, []ItemResult{{}}) != nil {
		t.Fatal("no data observed: want nil")
	}
	if l := canaryLoss(once, []ItemResult{{DataVersion: 5}, {DataVersion: 6}}); l == nil || *l != 0 {
		t.Fatalf("carried: %v", l)
	}
	l := canaryLoss(once, []ItemResult{{DataVersion: 5}, {DataVersion: 4, DataWrittenAt: at.Add(-3 * time.Minute)}})
	if l == nil || *l != 3*time.Minute {
		t.Fatalf("lost: %v", l)
	}
	perItem := []CanaryWrite{{Item: "a", Version: 9, WrittenAt: at}, {Item: "b", Version: 2, WrittenAt: at}}
	l = canaryLoss(perItem, []ItemResult{{ItemID: "a", DataVersion: 9}, {ItemID: "b", DataVersion: 1, DataWrittenAt: at.Add(-time.Minute)}})
	if l == nil || *l != time.Minute {
		t.Fatalf("per item: %v", l)
	}
}

func TestObserve(t *testing.T) {
	h := http.Header{}
	h.Set(headerDataVersion, "7")
	body := []byte(`<p>Data version <strong id="data-version">7</strong>, written <time id="data-written" datetime="2026-01-01T12:00:00.5Z">x</time>.</p>`)
	o := observe(h, body)
	if o == nil || o.DataVersion != 7 || !o.WrittenAt.Equal(time.Date(2026, 1, 1, 12, 0, 0, 5e8, time.UTC)) {
		t.Fatalf("observe = %+v", o)
	}
	if observe(http.Header{}, body) != nil {
		t.Fatal("no header: want nil")
	}
}

func TestRunCheckHTTPAndTCP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(headerDataVersion, "3")
		if r.URL.Path == "/down" {
			http.Error(w, "no", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintf(w, "hello from %s", r.URL.Path)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	addr, _, _ := net.SplitHostPort(host)
	tg := target{Address: addr, VMName: "vm1"}
	port := host[len(addr)+1:]
	ctx := t.Context()
	o, err := runCheck(ctx, Check{Type: CheckHTTP, URL: "http://{address}:" + port + "/{vm_name}", BodyRegex: `hello from /vm1$`}, tg, time.Second)
	if err != nil || o == nil || o.DataVersion != 3 {
		t.Fatalf("http check: %+v %v", o, err)
	}
	if _, err := runCheck(ctx, Check{Type: CheckHTTP, URL: srv.URL + "/down"}, tg, time.Second); err == nil || !strings.Contains(err.Error(), "status 503, want 200") {
		t.Fatalf("503: %v", err)
	}
	if _, err := runCheck(ctx, Check{Type: CheckHTTP, URL: srv.URL + "/down", ExpectStatus: 503}, tg, time.Second); err != nil {
		t.Fatalf("expected 503: %v", err)
	}
	if _, err := runCheck(ctx, Check{Type: CheckHTTP, URL: srv.URL, BodyRegex: "bye"}, tg, time.Second); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("regex: %v", err)
	}
	if _, err := runCheck(ctx, Check{Type: CheckTCP, Address: "{address}:" + port}, tg, time.Second); err != nil {
		t.Fatalf("tcp: %v", err)
	}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := l.Addr().String()
	l.Close()
	if _, err := runCheck(ctx, Check{Type: CheckTCP, Address: closed}, tg, time.Second); err == nil {
		t.Fatal("tcp to a closed port: want an error")
	}
}

func TestRunCheckDNS(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &mdns.Server{PacketConn: pc, Handler: mdns.HandlerFunc(func(w mdns.ResponseWriter, q *mdns.Msg) {
		m := new(mdns.Msg)
		m.SetReply(q)
		if q.Question[0].Name == "app.example." {
			rr, _ := mdns.NewRR("app.example. 30 IN CNAME app-dr.example.")
			a, _ := mdns.NewRR("app-dr.example. 30 IN A 10.20.1.4")
			m.Answer = append(m.Answer, rr, a)
		} else {
			m.Rcode = mdns.RcodeNameError
		}
		_ = w.WriteMsg(m)
	})}
	go func() { _ = srv.ActivateAndServe() }()
	defer srv.Shutdown()
	server := pc.LocalAddr().String()
	ctx := t.Context()
	for _, want := range []string{"10.20.1.4", "app-dr.example", "APP-DR.example."} {
		if _, err := runCheck(ctx, Check{Type: CheckDNS, DNSName: "app.example", DNSServer: server, ExpectTarget: want}, target{}, time.Second); err != nil {
			t.Errorf("expect %s: %v", want, err)
		}
	}
	_, err = runCheck(ctx, Check{Type: CheckDNS, DNSName: "app.example", DNSServer: server, ExpectTarget: "10.1.1.4"}, target{}, time.Second)
	if err == nil || !strings.Contains(err.Error(), "not 10.1.1.4") {
		t.Errorf("wrong target: %v", err)
	}
	_, err = runCheck(ctx, Check{Type: CheckDNS, DNSName: "gone.example", DNSServer: server, ExpectTarget: "10.1.1.4"}, target{}, time.Second)
	if err == nil || !strings.Contains(err.Error(), "NXDOMAIN") {
		t.Errorf("nxdomain: %v", err)
	}
}

func TestRunScriptEnvAndOutput(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	env := actionEnv{Drill: "nightly", Phase: "pre", Group: 2, Items: []string{"i1", "i2"}, TestVMs: []string{"vm-test"}, Addresses: []string{"10.0.0.4"}, TestNetwork: testNet}
	out, err := runScript(t.Context(), Action{Name: "env", Type: ActionScript, Command: []string{"sh", "-c",
		`echo "$AZUREDR_DRILL_NAME|$AZUREDR_DRILL_PHASE|$AZUREDR_GROUP|$AZUREDR_ITEMS|$AZUREDR_TEST_VM_NAMES|$AZUREDR_TEST_VM_ADDRESSES|$AZUREDR_ACTION_NAME"; echo err >&2`}}, env)
	if err != nil {
		t.Fatal(err)
	}
	if want := "nightly|pre|2|i1 i2|vm-test|10.0.0.4|env\nerr"; out != want {
		t.Fatalf("output %q, want %q", out, want)
	}
	out, err = runScript(t.Context(), Action{Name: "fail", Type: ActionScript, Command: []string{"sh", "-c", "echo broken; exit 3"}}, env)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 || out != "broken" {
		t.Fatalf("failing script: %q %v", out, err)
	}
	_, err = runScript(t.Context(), Action{Name: "slow", Type: ActionScript, Command: []string{"sleep", "10"}, Timeout: 50 * time.Millisecond}, env)
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("timeout: %v", err)
	}
	out, _ = runScript(t.Context(), Action{Name: "big", Type: ActionScript, Command: []string{"sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x"}}, env)
	if len(out) > maxOutput+100 || !strings.HasSuffix(out, "[output truncated at 16384 bytes]") {
		t.Fatalf("bounded output: %d bytes, ends %q", len(out), out[max(0, len(out)-40):])
	}
}

// testRunner is a runner without Azure, for actions and events.
func testRunner(spec Spec) *runner {
	r := &runner{spec: spec, res: &Result{Name: spec.Name}, clock: clock{now: time.Now, scale: 1}}
	r.res.StartedAt = r.clock.now()
	return r
}

func TestActionsAndEventOrder(t *testing.T) {
	var seen []Event
	spec := validSpec()
	spec.Events = func(e Event) { seen = append(seen, e) }
	r := testRunner(spec)
	ctx := t.Context()
	if err := r.runAction(ctx, 1, "pre", Action{Name: "hello", Type: ActionScript, Command: []string{"sh", "-c", "echo hi"}}); err != nil {
		t.Fatal(err)
	}
	if err := r.runAction(ctx, 1, "post", Action{Name: "look", Type: ActionManual, Description: "look at the dashboard"}); err != nil {
		t.Fatalf("optional manual action, nobody attends: %v", err)
	}
	err := r.runAction(ctx, 1, "post", Action{Name: "approve", Type: ActionManual, Required: true})
	if !errors.Is(err, errManualRequired) || !strings.Contains(err.Error(), "group 1, post action approve") {
		t.Fatalf("required manual action, unattended: %v", err)
	}
	err = r.runAction(ctx, 2, "pre", Action{Name: "boom", Type: ActionScript, Command: []string{"false"}})
	if err == nil || !strings.Contains(err.Error(), "group 2, pre action boom") {
		t.Fatalf("failing script: %v", err)
	}
	var got []string
	for i, e := range r.res.Events {
		got = append(got, e.Phase+" "+e.Message)
		if i > 0 && e.Time.Before(r.res.Events[i-1].Time) || e.Elapsed < 0 {
			t.Fatalf("event %d out of order: %+v", i, e)
		}
	}
	want := []string{
		"pre-action hello: running sh -c echo hi", "pre-action hello: output:\nhi", "pre-action hello: done",
		"post-action look: manual, skipped (unattended): look at the dashboard",
		"post-action approve: manual, required, and nobody attends: ",
		"pre-action boom: running false", "pre-action boom: failed: exit status 1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(seen) != len(r.res.Events) {
		t.Fatalf("Events callback saw %d events, result has %d", len(seen), len(r.res.Events))
	}

	// Attended: the Manual function performs the step.
	spec.Manual = func(_ context.Context, g int, a Action) error {
		if a.Name == "deny" {
			return errors.New("denied by the approver")
		}
		return nil
	}
	r = testRunner(spec)
	if err := r.runAction(ctx, 1, "pre", Action{Name: "approve", Type: ActionManual, Required: true}); err != nil {
		t.Fatal(err)
	}
	if err := r.runAction(ctx, 1, "pre", Action{Name: "deny", Type: ActionManual}); err == nil || !strings.Contains(err.Error(), "denied") {
		t.Fatalf("denied: %v", err)
	}
	spec.Unattended = true
	r = testRunner(spec)
	if err := r.runAction(ctx, 1, "pre", Action{Name: "approve", Type: ActionManual, Required: true}); !errors.Is(err, errManualRequired) {
		t.Fatalf("unattended beats Manual: %v", err)
	}
}

func TestRunInvalidSpec(t *testing.T) {
	var phases []string
	spec := validSpec()
	spec.TestNetworkID = ""
	spec.Events = func(e Event) { phases = append(phases, e.Phase) }
	res, err := Run(t.Context(), nil, spec)
	if err == nil || !strings.Contains(err.Error(), "TestNetworkID") {
		t.Fatalf("Run = %v", err)
	}
	if res == nil || res.Passed || strings.Join(phases, ",") != "validate,verdict" {
		t.Fatalf("result %+v, phases %v", res, phases)
	}
}

func TestClockWaitScales(t *testing.T) {
	c := clock{now: time.Now, scale: 1e6}
	start := time.Now()
	if err := c.wait(t.Context(), time.Hour); err != nil {
		t.Fatal(err)
	}
	// An hour at a million times real speed is 3.6 ms: it must not take an hour.
	if time.Since(start) > time.Minute {
		t.Fatal("the wait was not scaled")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := (clock{now: time.Now, scale: 1}).wait(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
}

func TestIDs(t *testing.T) {
	id, err := parseItemID(strings.Replace(testItem, "/resourceGroups/", "/RESOURCEGROUPS/", 1))
	if err != nil || id.Name != "vm-web-1" || id.Vault != "v" || id.ResourceGroup != "rg-dr" {
		t.Fatalf("parseItemID: %+v %v", id, err)
	}
	if n := networkOf(testNet + "/subnets/web"); n != strings.ToLower(testNet) {
		t.Fatalf("networkOf(subnet) = %q", n)
	}
	if groupOf("/subscriptions/s/resourceGroups/rg-x") != "rg-x" || lastSegment("/a/b/c/") != "c" {
		t.Fatal("groupOf / lastSegment")
	}
}
