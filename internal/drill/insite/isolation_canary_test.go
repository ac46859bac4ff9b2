package insite

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestIsolationScriptAndParse(t *testing.T) {
	probes := append(Probes("db-1", []string{"10.1.0.4"}, []int{22, 1433, 22}), Probe{VM: "the internet", Address: "203.0.113.10:443"})
	if len(probes) != 3 {
		t.Fatalf("probes = %v (a port repeated is tried once)", probes)
	}
	lx := strings.Join(IsolationScript(Linux, probes), "\n")
	want := `echo '##azuredr probe 0 begin'
nc -z -w 3 '10.1.0.4' '22' 2>&1
echo "##azuredr probe 0 exit $?"
echo '##azuredr probe 1 begin'
nc -z -w 3 '10.1.0.4' '1433' 2>&1
echo "##azuredr probe 1 exit $?"
echo '##azuredr probe 2 begin'
nc -z -w 3 '203.0.113.10' '443' 2>&1
echo "##azuredr probe 2 exit $?"
exit 0`
	if lx != want {
		t.Errorf("Linux script:\n%s\nwant:\n%s", lx, want)
	}
	// 22 refused, 1433 answered, the internet cut away (Azure kept only
	// the end of stdout).
	got := ParseIsolation(Linux, "##azuredr probe 0 begin\n##azuredr probe 0 exit 1\n##azuredr probe 1 begin\n##azuredr probe 1 exit 0\n", probes)
	if got[0].Reached || got[0].Unknown || !got[1].Reached || !got[2].Unknown {
		t.Errorf("Linux results = %+v", got)
	}

	win := IsolationScript(Windows, probes[:1])
	if w := strings.Join(win, "\n"); w != "Write-Output '##azuredr probe 0 begin'\nTest-NetConnection -ComputerName '10.1.0.4' -Port '22' -InformationLevel Quiet\nWrite-Output '##azuredr probe 0 exit 0'\nexit 0" {
		t.Errorf("Windows script:\n%s", w)
	}
	got = ParseIsolation(Windows, "##azuredr probe 0 begin\r\nTrue\r\n##azuredr probe 0 exit 0\r\n", probes[:1])
	if !got[0].Reached {
		t.Errorf("Windows True not read as reached: %+v", got)
	}
	got = ParseIsolation(Windows, "##azuredr probe 0 begin\r\nFalse\r\n##azuredr probe 0 exit 0\r\n", probes[:1])
	if got[0].Reached || got[0].Unknown {
		t.Errorf("Windows False: %+v", got)
	}
}

func TestCanaryWriteScripts(t *testing.T) {
	lx := strings.Join(CanaryWriteScript(Linux, "/var/lib/azuredr/canary", "nightly drill"), "\n")
	want := `mkdir -p '/var/lib/azuredr'
echo 'azuredr-canary nightly-drill' > '/var/lib/azuredr/canary'
date -u +%Y-%m-%dT%H:%M:%S.%NZ >> '/var/lib/azuredr/canary'
echo '##azuredr canary 0 begin'
cat '/var/lib/azuredr/canary' 2>&1
echo "##azuredr canary 0 exit $?"
exit 0`
	if lx != want {
		t.Errorf("Linux write:\n%s\nwant:\n%s", lx, want)
	}
	win := strings.Join(CanaryWriteScript(Windows, `C:\ProgramData\azuredr\canary.txt`, "nightly"), "\n")
	want = `New-Item -ItemType Directory -Force -Path 'C:\ProgramData\azuredr'
Set-Content -Path 'C:\ProgramData\azuredr\canary.txt' -Value 'azuredr-canary nightly'
Add-Content -Path 'C:\ProgramData\azuredr\canary.txt' -Value ([DateTime]::UtcNow.ToString('o'))
Write-Output '##azuredr canary 0 begin'
Test-Path 'C:\ProgramData\azuredr\canary.txt'
Get-Content -Path 'C:\ProgramData\azuredr\canary.txt'
Write-Output '##azuredr canary 0 exit 0'
exit 0`
	if win != want {
		t.Errorf("Windows write:\n%s\nwant:\n%s", win, want)
	}
}

func TestParseCanary(t *testing.T) {
	m, err := ParseCanary(Linux, "##azuredr canary 0 begin\nazuredr-canary nightly\n2026-12-04T03:10:11.123456789Z\n##azuredr canary 0 exit 0\n")
	if err != nil || m.Label != "nightly" || !m.WrittenAt.Equal(time.Date(2026, 12, 4, 3, 10, 11, 123456789, time.UTC)) {
		t.Errorf("Linux marker = %+v, %v", m, err)
	}
	// New-Item's listing comes before the section and is ignored.
	win := "\r\n    Directory: C:\\ProgramData\r\n\r\nMode                 LastWriteTime         Length Name\r\n----                 -------------         ------ ----\r\nd-----         12/4/2026   3:10 AM                azuredr\r\n" +
		"##azuredr canary 0 begin\r\nTrue\r\nazuredr-canary nightly\r\n2026-12-04T03:10:11.1234567Z\r\n##azuredr canary 0 exit 0\r\n"
	m, err = ParseCanary(Windows, win)
	if err != nil || !m.WrittenAt.Equal(time.Date(2026, 12, 4, 3, 10, 11, 123456700, time.UTC)) {
		t.Errorf("Windows marker = %+v, %v", m, err)
	}
	if _, err := ParseCanary(Linux, "##azuredr canary 0 begin\ncat: /var/lib/azuredr/canary: No such file or directory\n##azuredr canary 0 exit 1\n"); !errors.Is(err, ErrNoMarker) {
		t.Errorf("missing Linux marker: %v", err)
	}
	if _, err := ParseCanary(Windows, "##azuredr canary 0 begin\r\nFalse\r\n##azuredr canary 0 exit 0\r\n"); !errors.Is(err, ErrNoMarker) {
		t.Errorf("missing Windows marker: %v", err)
	}
	if _, err := ParseCanary(Linux, "##azuredr canary 0 begin\ngarbage\n##azuredr canary 0 exit 0\n"); err == nil || errors.Is(err, ErrNoMarker) {
		t.Errorf("garbage marker: %v", err)
	}
}
