package insite

import (
	"strings"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

var web = drill.Target{Address: "10.2.0.4", PrivateIP: "10.2.0.4", VMName: "web-1-test", SourceVMName: "web-1", Item: "web-1"}

var batch = []drill.Check{
	{Name: "home", Type: drill.CheckHTTP, URL: "http://{address}:8080/", BodyRegex: `served by {vm_name}`},
	{Name: "sql", Type: drill.CheckTCP, Address: "{private_ip}:1433"},
	{Name: "dns", Type: drill.CheckDNS, DNSName: "app.contoso.internal", DNSServer: "10.2.0.10:53", ExpectTarget: "{private_ip}"},
}

func TestCheckScriptLinux(t *testing.T) {
	got := strings.Join(CheckScript(Linux, batch, web, 10*time.Second), "\n")
	want := `echo '##azuredr check 0 begin'
curl -sS -D - --max-time 10 'http://10.2.0.4:8080/' 2>&1
echo "##azuredr check 0 exit $?"
echo '##azuredr check 1 begin'
nc -z -w 10 '10.2.0.4' '1433' 2>&1
echo "##azuredr check 1 exit $?"
echo '##azuredr check 2 begin'
dig +short '@10.2.0.10' 'app.contoso.internal' A
echo "##azuredr check 2 exit $?"
exit 0`
	if got != want {
		t.Errorf("script:\n%s\nwant:\n%s", got, want)
	}
}

func TestCheckScriptWindows(t *testing.T) {
	got := strings.Join(CheckScript(Windows, batch, web, 2500*time.Millisecond), "\n")
	want := `Write-Output '##azuredr check 0 begin'
curl.exe -sS -D - --max-time 3 'http://10.2.0.4:8080/'
Write-Output '##azuredr check 0 exit'
$LASTEXITCODE
Write-Output '##azuredr check 1 begin'
Test-NetConnection -ComputerName '10.2.0.4' -Port '1433' -InformationLevel Quiet
Write-Output '##azuredr check 1 exit 0'
Write-Output '##azuredr check 2 begin'
Resolve-DnsName -Name 'app.contoso.internal' -Server '10.2.0.10' -Type A -DnsOnly
Write-Output '##azuredr check 2 exit 0'
exit 0`
	if got != want {
		t.Errorf("script:\n%s\nwant:\n%s", got, want)
	}
}

// A quote in a URL stays inside its quoting.
func TestQuoting(t *testing.T) {
	if got := Linux.quote("it's"); got != `'it'\''s'` {
		t.Errorf("sh quote = %s", got)
	}
	if got := Windows.quote("it's"); got != `'it''s'` {
		t.Errorf("PowerShell quote = %s", got)
	}
}

const page = "<html><body><p>served by web-1-test</p><time id=\"data-written\" datetime=\"2026-12-04T03:01:02.5Z\">x</time></body></html>"

// The Linux batch passing: curl's headers (CRLF) and a body without a
// final newline, so the exit marker follows it on the same line.
func TestParseChecksLinuxPass(t *testing.T) {
	stdout := "##azuredr check 0 begin\n" +
		"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nX-Azuredr-Data-Version: 7\r\nDate: Fri, 04 Dec 2026 03:01:05 GMT\r\n\r\n" +
		page + "##azuredr check 0 exit 0\n" +
		"##azuredr check 1 begin\n##azuredr check 1 exit 0\n" +
		"##azuredr check 2 begin\napp-1.contoso.internal.\n10.2.0.4\n##azuredr check 2 exit 0\n"
	out := ParseChecks(Linux, stdout, batch, web)
	for i, o := range out {
		if o.Err != nil {
			t.Errorf("check %d: %v", i, o.Err)
		}
	}
	obs := out[0].Observation
	if obs == nil || obs.DataVersion != 7 || !obs.WrittenAt.Equal(time.Date(2026, 12, 4, 3, 1, 2, 5e8, time.UTC)) {
		t.Errorf("observation = %+v", obs)
	}
}

func TestParseChecksLinuxFailures(t *testing.T) {
	stdout := "##azuredr check 0 begin\n" +
		"curl: (28) Connection timed out after 10002 milliseconds\n##azuredr check 0 exit 28\n" +
		"##azuredr check 1 begin\n##azuredr check 1 exit 1\n" +
		"##azuredr check 2 begin\n;; connection timed out; no servers could be reached\n##azuredr check 2 exit 9\n"
	out := ParseChecks(Linux, stdout, batch, web)
	wants := []string{
		"GET http://10.2.0.4:8080/ from the DR site: curl: (28) Connection timed out after 10002 milliseconds (curl exit 28)",
		"connecting to 10.2.0.4:1433 from the DR site: no connection (refused or timed out)",
		"asking 10.2.0.10:53 for app.contoso.internal from the DR site: dig exit 9: ;; connection timed out; no servers could be reached",
	}
	for i, want := range wants {
		if out[i].Err == nil || out[i].Err.Error() != want {
			t.Errorf("check %d: %v, want %q", i, out[i].Err, want)
		}
	}
}

func TestParseChecksStatusAndBody(t *testing.T) {
	checks := []drill.Check{
		{Name: "down", Type: drill.CheckHTTP, URL: "http://{address}/down"},
		{Name: "text", Type: drill.CheckHTTP, URL: "http://{address}/", BodyRegex: "never"},
		{Name: "moved", Type: drill.CheckHTTP, URL: "http://{address}/old", ExpectStatus: 301},
	}
	stdout := "##azuredr check 0 begin\nHTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\ndown\n##azuredr check 0 exit 0\n" +
		"##azuredr check 1 begin\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nhello\n##azuredr check 1 exit 0\n" +
		"##azuredr check 2 begin\nHTTP/1.1 301 Moved Permanently\r\nLocation: /new\r\n\r\n##azuredr check 2 exit 0\n"
	out := ParseChecks(Linux, stdout, checks, web)
	if out[0].Err == nil || out[0].Err.Error() != "GET http://10.2.0.4/down: status 503, want 200" {
		t.Errorf("down: %v", out[0].Err)
	}
	if out[1].Err == nil || out[1].Err.Error() != `GET http://10.2.0.4/: the body does not match "never"` {
		t.Errorf("text: %v", out[1].Err)
	}
	if out[2].Err != nil {
		t.Errorf("moved: %v", out[2].Err)
	}
}

// Windows: curl.exe's exit code on the line after the marker, the
// connection as True/False, Resolve-DnsName's table and list.
func TestParseChecksWindows(t *testing.T) {
	stdout := "##azuredr check 0 begin\r\n" +
		"HTTP/1.1 200 OK\r\nX-Azuredr-Data-Version: 3\r\n\r\n" + page + "\r\n##azuredr check 0 exit\r\n0\r\n" +
		"##azuredr check 1 begin\r\nTrue\r\n##azuredr check 1 exit 0\r\n" +
		"##azuredr check 2 begin\r\n\r\n" +
		"Name                           Type   TTL   Section    NameHost\r\n" +
		"----                           ----   ---   -------    --------\r\n" +
		"app.contoso.internal           CNAME  3600  Answer     app-1.contoso.internal\r\n\r\n" +
		"Name       : app-1.contoso.internal\r\nQueryType  : A\r\nTTL        : 300\r\nSection    : Answer\r\nIP4Address : 10.2.0.4\r\n\r\n" +
		"##azuredr check 2 exit 0\r\n"
	out := ParseChecks(Windows, stdout, batch, web)
	for i, o := range out {
		if o.Err != nil {
			t.Errorf("check %d: %v", i, o.Err)
		}
	}
	if out[0].Observation == nil || out[0].Observation.DataVersion != 3 {
		t.Errorf("observation = %+v", out[0].Observation)
	}
	failing := "##azuredr check 0 begin\r\n##azuredr check 0 exit\r\n7\r\n" +
		"##azuredr check 1 begin\r\nFalse\r\n##azuredr check 1 exit 0\r\n" +
		"##azuredr check 2 begin\r\n\r\nName                           Type   TTL   Section    IPAddress\r\n----                           ----   ---   -------    ---------\r\napp.contoso.internal           A      300   Answer     10.9.9.9\r\n##azuredr check 2 exit 0\r\n"
	out = ParseChecks(Windows, failing, batch, web)
	wants := []string{
		"GET http://10.2.0.4:8080/ from the DR site: failed to connect (curl exit 7)",
		"connecting to 10.2.0.4:1433 from the DR site: no connection (refused or timed out): False",
		"app.contoso.internal answers [10.9.9.9] from 10.2.0.10:53 (asked from the DR site), not 10.2.0.4",
	}
	for i, want := range wants {
		if out[i].Err == nil || out[i].Err.Error() != want {
			t.Errorf("check %d: %v, want %q", i, out[i].Err, want)
		}
	}
}

// Azure keeps the last 4096 bytes of stdout: a check whose section was cut
// away, or cut inside, fails (and is retried) rather than passing.
func TestParseChecksCutOutput(t *testing.T) {
	stdout := "ody></html>\n##azuredr check 0 exit 0\n##azuredr check 1 begin\n##azuredr check 1 exit 0\n##azuredr check 2 begin\n10.2"
	out := ParseChecks(Linux, stdout, batch, web)
	if out[0].Err == nil || !strings.Contains(out[0].Err.Error(), "no output for it") {
		t.Errorf("check 0: %v", out[0].Err)
	}
	if out[1].Err != nil {
		t.Errorf("check 1: %v", out[1].Err)
	}
	if out[2].Err == nil || !strings.Contains(out[2].Err.Error(), "ends before its exit code") {
		t.Errorf("check 2: %v", out[2].Err)
	}
}
