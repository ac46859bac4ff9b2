package vmshell

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// fakeEnv is a VM whose neighbour 10.0.0.5 serves HTTP on 8080 and SSH,
// whose 10.0.0.6 is behind a denying NSG, and whose resolver knows one
// name.
type fakeEnv struct {
	now   time.Time
	files map[string]string
	dirs  map[string]bool
	gets  []string
}

func newEnv() *fakeEnv {
	return &fakeEnv{now: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC), files: map[string]string{}, dirs: map[string]bool{}}
}

func (e *fakeEnv) Now() time.Time { return e.now }

func (e *fakeEnv) Connect(host string, port int) (Outcome, string) {
	switch {
	case host == "10.0.0.5" && (port == 8080 || port == 22):
		return Connected, ""
	case host == "10.0.0.5":
		return Refused, ""
	case host == "nowhere.invalid":
		return Unresolved, ""
	}
	return TimedOut, "denied by nsg-x rule deny-all"
}

func (e *fakeEnv) Get(url string, _ time.Duration) (*http.Response, []byte, Outcome, string) {
	e.gets = append(e.gets, url)
	if !strings.HasPrefix(url, "http://10.0.0.5:8080/") {
		host := strings.FieldsFunc(strings.TrimPrefix(url, "http://"), func(r rune) bool { return r == ':' || r == '/' })[0]
		o, why := e.Connect(host, 80)
		return nil, nil, o, why
	}
	h := http.Header{"X-Azuredr-Data-Version": {"7"}, "Content-Type": {"text/html"}}
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: h, Body: io.NopCloser(nil)}, []byte("<h1>Milestone CMS</h1>"), Connected, ""
}

func (e *fakeEnv) Resolve(name, server string, _ int) ([]string, Outcome) {
	if server == "10.9.9.9" {
		return nil, TimedOut
	}
	if name == "cms.example" {
		return []string{"10.0.0.5"}, Connected
	}
	return nil, Connected
}

func (e *fakeEnv) Files() Disk { return e }
func (e *fakeEnv) Read(p string) (string, bool) {
	s, ok := e.files[p]
	return s, ok
}
func (e *fakeEnv) Write(p, content string, appendTo bool, _ time.Time) error {
	if p == "/full" {
		return errors.New("No space left on device")
	}
	if appendTo {
		content = e.files[p] + content
	}
	e.files[p] = content
	return nil
}
func (e *fakeEnv) Mkdir(p string) error { e.dirs[p] = true; return nil }
func (e *fakeEnv) IsDir(p string) bool  { return e.dirs[p] }

func TestLinuxChecksAndExitCodes(t *testing.T) {
	env := newEnv()
	r := Run(Linux, []string{
		"echo '##azuredr check 0 begin'",
		"curl -sS -D - --max-time 10 'http://10.0.0.5:8080/' 2>&1",
		`echo "##azuredr check 0 exit $?"`,
		"nc -z -w 3 '10.0.0.6' 443 2>&1",
		`echo "nc exit $?"`,
		"curl -sS --max-time 4 http://10.0.0.5:9999/ 2>&1",
		`echo "refused $?"`,
		"dig +short 'cms.example' A",
		"exit 0",
		"echo never",
	}, env)
	want := []string{
		"##azuredr check 0 begin\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Azuredr-Data-Version: 7\r\n\r\n<h1>Milestone CMS</h1>##azuredr check 0 exit 0\n",
		"nc exit 1\n",
		"curl: (7) Failed to connect to 10.0.0.5 port 9999 after 1 ms: Couldn't connect to server\nrefused 7\n",
		"10.0.0.5\n",
	}
	if r.Stdout != strings.Join(want, "") {
		t.Fatalf("stdout:\n%q\nwant\n%q", r.Stdout, strings.Join(want, ""))
	}
	if r.Exit != 0 || r.Stderr != "" || strings.Contains(r.Stdout, "never") {
		t.Fatalf("exit %d stderr %q", r.Exit, r.Stderr)
	}
	// The NSG's drop costs nc its whole -w 3; the script's VM time shows it.
	if r.Elapsed < 3*time.Second || r.Elapsed > 4*time.Second {
		t.Fatalf("elapsed %s, want the 3 s timeout and a little", r.Elapsed)
	}
}

func TestLinuxCurlTimeoutAndResolve(t *testing.T) {
	r := Run(Linux, []string{"curl -sS --max-time 5 http://10.0.0.6/ 2>&1; echo x"}, newEnv())
	if r.Exit != 127 || !strings.Contains(r.Stderr, "outside the Run Command subset") {
		t.Fatalf("a list is outside the subset: exit %d, %q", r.Exit, r.Stderr)
	}
	r = Run(Linux, []string{"curl -sS --max-time 5 http://10.0.0.6/"}, newEnv())
	if r.Exit != 28 || !strings.Contains(r.Stderr, "curl: (28) Failed to connect to 10.0.0.6 port 80 after 5000 ms") || strings.Contains(r.Stderr, "nsg-x") ||
		len(r.Notes) != 1 || r.Notes[0] != "denied by nsg-x rule deny-all" {
		t.Fatalf("timeout (the NSG shows in the notes, never in the output): exit %d, %q, notes %q", r.Exit, r.Stderr, r.Notes)
	}
	r = Run(Linux, []string{"curl -s http://nowhere.invalid/"}, newEnv())
	if r.Exit != 6 || r.Stderr != "" {
		t.Fatalf("-s hides the error: exit %d, %q", r.Exit, r.Stderr)
	}
	r = Run(Linux, []string{"curl -sS https://10.0.0.5:8080/"}, newEnv())
	if r.Exit != 35 {
		t.Fatalf("https to an HTTP server: exit %d", r.Exit)
	}
}

func TestLinuxFiles(t *testing.T) {
	env := newEnv()
	r := Run(Linux, []string{
		"echo 'azuredr-canary x' > '/var/lib/azuredr/canary'",
		`echo "no dir $?"`,
		"mkdir -p '/var/lib/azuredr'",
		"echo 'azuredr-canary it'\\''s' > '/var/lib/azuredr/canary'",
		"date -u +%Y-%m-%dT%H:%M:%S.%NZ >> '/var/lib/azuredr/canary'",
		"cat '/var/lib/azuredr/canary' 2>&1",
		"cat /missing 2>&1",
		`echo "cat $?"`,
		"test -f /var/lib/azuredr/canary",
		`echo "test $?"`,
		"[ -d /var/lib/azuredr ]",
		`echo "dir $?"`,
	}, env)
	if !strings.HasPrefix(r.Stderr, "bash: /var/lib/azuredr/canary: No such file or directory\n") {
		t.Fatalf("stderr %q", r.Stderr)
	}
	want := "no dir 1\nazuredr-canary it's\n2026-12-04T10:00:00.0" // the clock moved a few ms
	if !strings.HasPrefix(r.Stdout, want) {
		t.Fatalf("stdout %q, want prefix %q", r.Stdout, want)
	}
	if !strings.Contains(r.Stdout, "cat: /missing: No such file or directory\ncat 1\ntest 0\ndir 0\n") {
		t.Fatalf("stdout %q", r.Stdout)
	}
}

func TestUnknownCommandsNeverRun(t *testing.T) {
	for _, line := range []string{"rm -rf /", "bash -c 'id'", "echo $HOME", "echo `id`", "ls | wc -l", "sudo reboot"} {
		r := Run(Linux, []string{line}, newEnv())
		if r.Exit != 127 || !strings.Contains(r.Stderr, "azuredr emulator:") {
			t.Errorf("%q: exit %d, stderr %q", line, r.Exit, r.Stderr)
		}
	}
	r := Run(Windows, []string{"Remove-Item -Recurse C:\\"}, newEnv())
	if r.Exit != 127 || !strings.Contains(r.Stderr, "'Remove-Item'") {
		t.Errorf("powershell: exit %d, stderr %q", r.Exit, r.Stderr)
	}
}

func TestWindows(t *testing.T) {
	env := newEnv()
	r := Run(Windows, []string{
		"Write-Output '##azuredr check 0 begin'",
		"curl.exe -sS -D - --max-time 10 'http://10.0.0.5:8080/'",
		"Write-Output '##azuredr check 0 exit'",
		"$LASTEXITCODE",
		"Test-NetConnection -ComputerName '10.0.0.6' -Port 443 -InformationLevel Quiet",
		"Test-NetConnection -ComputerName '10.0.0.5' -Port 22 -InformationLevel Quiet",
		"Resolve-DnsName -Name 'cms.example' -Type A -DnsOnly",
		"New-Item -ItemType Directory -Force -Path 'C:\\ProgramData\\azuredr'",
		"Set-Content -Path 'C:\\ProgramData\\azuredr\\canary.txt' -Value 'azuredr-canary it''s'",
		"Add-Content -Path 'C:\\ProgramData\\azuredr\\canary.txt' -Value ([DateTime]::UtcNow.ToString('o'))",
		"Test-Path 'c:\\programdata\\AZUREDR\\canary.txt'",
		"Get-Content -Path 'C:\\ProgramData\\azuredr\\canary.txt'",
		"Test-Path 'C:\\nope'",
		"exit 0",
	}, env)
	for _, want := range []string{
		"##azuredr check 0 begin\nHTTP/1.1 200 OK\r\n",
		"<h1>Milestone CMS</h1>##azuredr check 0 exit\n0\nFalse\nTrue\n",
		"cms.example                                    A      30    Answer     10.0.0.5\n",
		"True\nazuredr-canary it's\n2026-12-04T10:00:21.", // the failed Test-NetConnection waited 21 s
		"Z\nFalse\n",
	} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.Stdout)
		}
	}
	if !strings.Contains(r.Stderr, "WARNING: TCP connect to (10.0.0.6 : 443) failed") {
		t.Errorf("stderr %q", r.Stderr)
	}
}
