package drill

import (
	"fmt"
	"strings"
	"testing"
)

func TestValidateSiteFields(t *testing.T) {
	var got []string
	add := func(format string, args ...any) {
		got = append(got, strings.SplitN(fmt.Sprintf(format, args...), ":", 2)[0])
	}
	ValidateCanary("Canary", Canary{URL: "http://x/", File: &CanaryFile{}}, add)
	ValidateCanary("Canary", Canary{File: &CanaryFile{LinuxPath: "var/x", WindowsPath: `canary.txt`}}, add)
	ValidateIsolation("Isolation", IsolationProof{Ports: []int{0, 22}, InternetAddress: "example.com"}, add)
	ValidateIsolation("Isolation", IsolationProof{Skip: true, Ports: []int{22}}, add)
	ValidateCheck("Checks[0]", Check{Name: "x", Type: CheckTCP, Address: "h:1", From: "laptop"}, add)
	want := []string{"Canary.File", "Canary.File.LinuxPath", "Canary.File.WindowsPath", "Isolation.Ports[0]", "Isolation.InternetAddress", "Isolation.Skip", "Checks[0].From"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("fields = %q, want %q", got, want)
	}
	got = nil
	ValidateCanary("Canary", Canary{File: &CanaryFile{LinuxPath: "/data/canary", WindowsPath: `D:\data\canary.txt`}}, add)
	ValidateCanary("Canary", Canary{File: &CanaryFile{}}, add)
	ValidateIsolation("Isolation", IsolationProof{Ports: []int{1433}, InternetAddress: "203.0.113.1:443"}, add)
	if len(got) > 0 {
		t.Errorf("valid settings refused: %q", got)
	}
}
