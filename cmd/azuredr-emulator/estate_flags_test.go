package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

// freePort is a port free on 127.0.0.1 for TCP and UDP when asked.
func freePort(t *testing.T) int {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		pc, err := net.ListenPacket("udp", "127.0.0.1:"+strconv.Itoa(port))
		_ = l.Close()
		if err == nil {
			_ = pc.Close()
			return port
		}
	}
	t.Fatal("no free port")
	return 0
}

func TestWebPortAndDNSListenFlags(t *testing.T) {
	bad := func(args ...string) (int, string) {
		cmd := exec.Command(binPath, args...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		return exitCode(t, cmd.Run()), stderr.String()
	}
	if code, out := bad("--data", t.TempDir(), "--web-port", "-1"); code != 2 || !strings.Contains(out, "--web-port") {
		t.Fatalf("--web-port -1: exit %d\n%s", code, out)
	}
	if code, out := bad("--data", t.TempDir(), "--dns-listen", "0.0.0.0:0"); code != 2 || !strings.Contains(out, "loopback") {
		t.Fatalf("non-loopback --dns-listen: exit %d\n%s", code, out)
	}

	seed := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seed, []byte(`{"subscriptions":[{"id":"`+sub+`","resourceGroups":[
		{"name":"rg-web","location":"centralus","virtualMachines":[{"name":"vm-web"}]}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	webPort, dnsPort := freePort(t), freePort(t)
	p := startBinary(t, "--data", t.TempDir(), "--seed", seed, "--web-port", strconv.Itoa(webPort), "--dns-listen", "127.0.0.1:"+strconv.Itoa(dnsPort))
	api := admin.New(p.url)
	health, err := api.Health(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if health.DNS != "127.0.0.1:"+strconv.Itoa(dnsPort) {
		t.Fatalf("healthz dns = %q, want port %d", health.DNS, dnsPort)
	}
	vms, err := api.VMs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(vms) != 1 || vms[0].Port != webPort {
		t.Fatalf("vms = %+v, want port %d", vms, webPort)
	}
	resp, err := http.Get(vms[0].URL)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the VM's site: %v %v", resp, err)
	}
	_ = resp.Body.Close()
	if code := p.stop(t); code != 0 {
		t.Fatalf("SIGTERM: exit %d\n%s", code, p.stderr)
	}
}
