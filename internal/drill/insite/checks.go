package insite

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

// The checks, as a script: one section per check, in order, each its
// tool's output and exit code; the drill judges the output as the runner
// judges a direct attempt (status, body, header, answers), so a check
// means the same wherever it runs.

// CheckScript is one attempt of each check against t, each bounded by
// timeout (the tools' own timeouts: curl --max-time, nc -w).
func CheckScript(o OS, checks []drill.Check, t drill.Target, timeout time.Duration) []string {
	secs := seconds(timeout)
	var lines []string
	for i, c := range checks {
		lines = append(lines, o.echo(marker(kindCheck, i, "begin")))
		switch c.Type {
		case drill.CheckHTTP:
			// -D - prints the status line and headers before the body; no
			// -f, so an error status still shows its answer.
			u := o.quote(t.Expand(c.URL))
			if o == Windows {
				lines = append(lines, fmt.Sprintf("curl.exe -sS -D - --max-time %d %s", secs, u))
			} else {
				lines = append(lines, fmt.Sprintf("curl -sS -D - --max-time %d %s 2>&1", secs, u))
			}
			lines = append(lines, o.exitLines(kindCheck, i)...)
		case drill.CheckTCP:
			host, port, _ := net.SplitHostPort(t.Expand(c.Address))
			lines = append(lines, connectLine(o, host, port, secs))
			lines = append(lines, connectEnd(o, kindCheck, i)...)
		case drill.CheckDNS:
			lines = append(lines, dnsLine(o, c, t))
			if o == Windows {
				lines = append(lines, o.doneLines(kindCheck, i)...)
			} else {
				lines = append(lines, o.exitLines(kindCheck, i)...)
			}
		default:
			lines = append(lines, o.doneLines(kindCheck, i)...)
		}
	}
	return append(lines, "exit 0")
}

// connectLine tries a TCP connection: nc -z on Linux (exit 0 connected),
// Test-NetConnection on Windows (prints True or False).
func connectLine(o OS, host, port string, secs int) string {
	if o == Windows {
		return fmt.Sprintf("Test-NetConnection -ComputerName %s -Port %s -InformationLevel Quiet", o.quote(host), o.quote(port))
	}
	// Every value from the configuration is quoted: validation keeps ports
	// numeric, and quoting keeps a script what the check says either way.
	return fmt.Sprintf("nc -z -w %d %s %s 2>&1", secs, o.quote(host), o.quote(port))
}

func connectEnd(o OS, kind string, i int) []string {
	if o == Windows {
		return o.doneLines(kind, i)
	}
	return o.exitLines(kind, i)
}

// connected reads a connect section: Linux by nc's exit code, Windows by
// Test-NetConnection's True.
func connected(o OS, s Section) bool {
	if o == Windows {
		for _, f := range strings.Fields(s.Output) {
			if strings.EqualFold(f, "True") {
				return true
			}
		}
		return false
	}
	return s.Exit == 0
}

// dnsLine asks for the name's A records: dig +short, or Resolve-DnsName
// (which takes no port: a DNSServer's port is dig's only).
func dnsLine(o OS, c drill.Check, t drill.Target) string {
	name := o.quote(t.Expand(c.DNSName))
	host, port := "", ""
	if c.DNSServer != "" {
		host, port, _ = net.SplitHostPort(c.DNSServer)
	}
	if o == Windows {
		s := "Resolve-DnsName -Name " + name
		if host != "" {
			s += " -Server " + o.quote(host)
		}
		return s + " -Type A -DnsOnly"
	}
	s := "dig +short"
	if host != "" {
		s += " " + o.quote("@"+host)
		if port != "" && port != "53" {
			s += " -p " + o.quote(port)
		}
	}
	return s + " " + name + " A"
}

func seconds(d time.Duration) int {
	if d <= 0 {
		d = drill.DefaultCheckTimeout
	}
	return int(math.Ceil(d.Seconds()))
}

// ParseChecks judges each check's section of a CheckScript's stdout.
func ParseChecks(o OS, stdout string, checks []drill.Check, t drill.Target) []drill.CheckOutcome {
	secs := parseSections(stdout)
	out := make([]drill.CheckOutcome, len(checks))
	for i, c := range checks {
		s, err := section(secs, kindCheck, i)
		if err != nil {
			out[i].Err = err
			continue
		}
		switch c.Type {
		case drill.CheckHTTP:
			out[i].Observation, out[i].Err = judgeHTTP(c, t, s)
		case drill.CheckTCP:
			if !connected(o, s) {
				addr := t.Expand(c.Address)
				out[i].Err = fmt.Errorf("connecting to %s from the DR site: no connection (refused or timed out)%s", addr, detail(s.Output))
			}
		case drill.CheckDNS:
			out[i].Err = judgeDNS(o, c, t, s)
		default:
			out[i].Err = fmt.Errorf("unknown check type %q", c.Type)
		}
	}
	return out
}

// detail quotes a tool's last line of output for a message, if any.
func detail(s string) string {
	if l := tail(s); l != "" && !strings.HasPrefix(l, markerPrefix) {
		return ": " + l
	}
	return ""
}

// curlErrors name curl's exit codes that Windows reports without the
// message (stderr is a stream of its own there).
var curlErrors = map[int]string{
	6:  "could not resolve host",
	7:  "failed to connect",
	28: "timed out",
	35: "TLS handshake failed",
	52: "empty reply from server",
	56: "failure receiving data",
}

// judgeHTTP reads curl -D -'s output: status line, headers, blank line,
// body (after any 1xx interim answer).
func judgeHTTP(c drill.Check, t drill.Target, s Section) (*drill.Observation, error) {
	url := t.Expand(c.URL)
	if s.Exit != 0 {
		msg := ""
		for _, l := range strings.Split(s.Output, "\n") {
			if strings.HasPrefix(l, "curl: ") {
				msg = strings.TrimSpace(l)
			}
		}
		if msg == "" {
			msg = curlErrors[s.Exit]
		}
		return nil, fmt.Errorf("GET %s from the DR site: %s (curl exit %d)", url, msg, s.Exit)
	}
	status, h, body, err := parseResponse(s.Output)
	if err != nil {
		return nil, fmt.Errorf("GET %s from the DR site: %w", url, err)
	}
	want := c.ExpectStatus
	if want == 0 {
		want = http.StatusOK
	}
	if status != want {
		return nil, fmt.Errorf("GET %s: status %d, want %d", url, status, want)
	}
	if c.BodyRegex != "" {
		expr := t.ExpandRegex(c.BodyRegex)
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, err
		}
		if !re.MatchString(body) {
			return nil, fmt.Errorf("GET %s: the body does not match %q", url, expr)
		}
	}
	return drill.ObserveResponse(h, []byte(body)), nil
}

// parseResponse splits curl -D -'s output.
func parseResponse(out string) (status int, h http.Header, body string, err error) {
	rest := strings.TrimLeft(out, "\r\n")
	for {
		line, after, _ := strings.Cut(rest, "\n")
		f := strings.Fields(line)
		if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/") {
			return 0, nil, "", fmt.Errorf("no HTTP status line in curl's output: %q", tail(out))
		}
		status, err = strconv.Atoi(f[1])
		if err != nil {
			return 0, nil, "", fmt.Errorf("status line %q", strings.TrimSpace(line))
		}
		h = http.Header{}
		rest = after
		for {
			line, after, found := strings.Cut(rest, "\n")
			rest = after
			line = strings.TrimRight(line, "\r")
			if line == "" || !found {
				if line != "" {
					addHeader(h, line)
				}
				break
			}
			addHeader(h, line)
		}
		if status >= 200 || !strings.HasPrefix(strings.TrimLeft(rest, "\r\n"), "HTTP/") {
			return status, h, rest, nil
		}
		rest = strings.TrimLeft(rest, "\r\n")
	}
}

func addHeader(h http.Header, line string) {
	k, v, ok := strings.Cut(line, ":")
	if ok {
		h.Add(textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(k)), strings.TrimSpace(v))
	}
}

// judgeDNS finds ExpectTarget among the answers (addresses or CNAME
// targets, compared without the trailing dot, ignoring case).
func judgeDNS(o OS, c drill.Check, t drill.Target, s Section) error {
	name := t.Expand(c.DNSName)
	want := strings.TrimSuffix(strings.ToLower(t.Expand(c.ExpectTarget)), ".")
	server := c.DNSServer
	if server == "" {
		server = "the VM's resolver"
	}
	if o != Windows && s.Exit != 0 {
		return fmt.Errorf("asking %s for %s from the DR site: dig exit %d%s", server, name, s.Exit, detail(s.Output))
	}
	got := dnsAnswers(o, s.Output)
	for _, a := range got {
		if a == want {
			return nil
		}
	}
	return fmt.Errorf("%s answers %v from %s (asked from the DR site), not %s", name, got, server, want)
}

// dnsAnswers reads the answers: dig +short prints one per line (a CNAME
// target with its trailing dot); Resolve-DnsName prints a table (Name Type
// TTL Section IPAddress|NameHost) or, for a record after a CNAME, a list
// (IP4Address : x).
func dnsAnswers(o OS, out string) []string {
	var got []string
	add := func(v string) {
		got = append(got, strings.TrimSuffix(strings.ToLower(v), "."))
	}
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, ";") {
			continue
		}
		f := strings.Fields(l)
		if o != Windows {
			if len(f) == 1 {
				add(f[0])
			}
			continue
		}
		if k, v, ok := strings.Cut(l, ":"); ok && len(f) >= 3 {
			switch strings.TrimSpace(k) {
			case "IP4Address", "IP6Address", "IPAddress", "NameHost":
				add(strings.TrimSpace(v))
			}
			continue
		}
		if len(f) >= 5 {
			switch f[1] {
			case "A", "AAAA", "CNAME":
				add(f[len(f)-1])
			}
		}
	}
	return got
}
