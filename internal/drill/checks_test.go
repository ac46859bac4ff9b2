package drill

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	mdns "github.com/miekg/dns"
)

func TestTargetExpand(t *testing.T) {
	tg := Target{Address: "20.1.2.3", PrivateIP: "10.0.1.4", VMName: "vm-web-1-test", SourceVMName: "vm-web-1", Item: "item-1"}
	got := tg.Expand("http://{address}:80/{vm_name}?src={source_vm_name}&ip={private_ip}&i={item}&keep={other}")
	want := "http://20.1.2.3:80/vm-web-1-test?src=vm-web-1&ip=10.0.1.4&i=item-1&keep={other}"
	if got != want {
		t.Fatalf("expand = %q, want %q", got, want)
	}
	if !UsesItem("http://x/{source_vm_name}") || UsesItem("http://x/canary") {
		t.Fatal("usesItem")
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
	tg := Target{Address: addr, VMName: "vm1"}
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
		if _, err := runCheck(ctx, Check{Type: CheckDNS, DNSName: "app.example", DNSServer: server, ExpectTarget: want}, Target{}, time.Second); err != nil {
			t.Errorf("expect %s: %v", want, err)
		}
	}
	_, err = runCheck(ctx, Check{Type: CheckDNS, DNSName: "app.example", DNSServer: server, ExpectTarget: "10.1.1.4"}, Target{}, time.Second)
	if err == nil || !strings.Contains(err.Error(), "not 10.1.1.4") {
		t.Errorf("wrong target: %v", err)
	}
	_, err = runCheck(ctx, Check{Type: CheckDNS, DNSName: "gone.example", DNSServer: server, ExpectTarget: "10.1.1.4"}, Target{}, time.Second)
	if err == nil || !strings.Contains(err.Error(), "NXDOMAIN") {
		t.Errorf("nxdomain: %v", err)
	}
}

// A host:port goes into scripts run on the VMs: only a number is a port,
// and a host holds nothing a shell would act on.
func TestHostPortProblem(t *testing.T) {
	for a, ok := range map[string]bool{
		"10.0.1.4:443": true, "{address}:1433": true, "app.contoso.internal:53": true, "[fd00::4]:80": true,
		"10.0.1.4": false, "h:80;reboot": false, "h:0": false, "h:65536": false, "h:080": false, "h: 80": false,
		"$(reboot):53": false, "a'b:53": false, ":53": false, "a b:53": false,
	} {
		if got := HostPortProblem(a) == ""; got != ok {
			t.Errorf("HostPortProblem(%q) = %q, want ok=%v", a, HostPortProblem(a), ok)
		}
	}
}
