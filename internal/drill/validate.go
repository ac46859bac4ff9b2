package drill

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
)

// The parts of a spec every kind validates alike. add records one problem,
// naming its field (field is the part's own path, "Groups[0].Pre[1]").

// ValidateAction reports the problems of an action.
func ValidateAction(field string, a Action, add func(format string, args ...any)) {
	if a.Name == "" {
		add("%s.Name: an action needs a name", field)
	}
	switch a.Type {
	case ActionScript:
		if len(a.Command) == 0 || a.Command[0] == "" {
			add("%s.Command: a script action needs a command", field)
		}
	case ActionManual:
		if len(a.Command) > 0 {
			add("%s.Command: a manual action runs no command (use Type %q)", field, ActionScript)
		}
	default:
		add("%s.Type: %q is not %q or %q", field, a.Type, ActionScript, ActionManual)
	}
	if a.Timeout < 0 {
		add("%s.Timeout: negative", field)
	}
}

// ValidateCheck reports the problems of a check. The spec's own
// validation adds what needs the drill (Group among its groups, VMNames
// among its items).
func ValidateCheck(field string, c Check, add func(format string, args ...any)) {
	if c.Name == "" {
		add("%s.Name: a check needs a name", field)
	}
	known := func(attr, tmpl string) {
		if p := PlaceholderProblem(tmpl); p != "" {
			add("%s.%s: %s", field, attr, p)
		}
	}
	switch c.Type {
	case CheckHTTP:
		if p := URLProblem(c.URL); p != "" {
			add("%s.URL: %s", field, p)
		}
		known("URL", c.URL)
		if p := StatusProblem(c.ExpectStatus); c.ExpectStatus != 0 && p != "" {
			add("%s.ExpectStatus: %s", field, p)
		}
		if c.BodyRegex != "" {
			known("BodyRegex", c.BodyRegex)
			if _, err := regexp.Compile(c.BodyRegex); err != nil {
				add("%s.BodyRegex: %v", field, err)
			}
		}
	case CheckTCP:
		if p := HostPortProblem(c.Address); p != "" {
			add("%s.Address: %s", field, p)
		}
		known("Address", c.Address)
	case CheckDNS:
		if c.DNSName == "" {
			add("%s.DNSName: a dns check needs a name to ask for", field)
		}
		if c.DNSServer != "" {
			if p := HostPortProblem(c.DNSServer); p != "" {
				add("%s.DNSServer: %s", field, p)
			}
			if placeholder.MatchString(c.DNSServer) {
				add("%s.DNSServer: %s", field, NotTemplated)
			}
		}
		if c.ExpectTarget == "" {
			add("%s.ExpectTarget: a dns check needs the address or name the answer must contain", field)
		}
		known("DNSName", c.DNSName)
		known("ExpectTarget", c.ExpectTarget)
	default:
		add("%s.Type: %q is not %q, %q or %q", field, c.Type, CheckHTTP, CheckTCP, CheckDNS)
	}
	ValidateFrom(field, c, add)
	ValidateTarget(field, c, add)
}

// ValidateTarget reports the problems of a check's scope that need no
// drill: Group, VMNames and Once together.
func ValidateTarget(field string, c Check, add func(format string, args ...any)) {
	if c.Group < 0 {
		add("%s.Group: %d: groups count from 1 (0: every group)", field, c.Group)
	}
	if len(c.VMNames) > 0 {
		switch {
		case c.Group != 0:
			add("%s.VMNames: %s", field, VMNamesWithGroup)
		case c.Type == CheckDNS:
			add("%s.VMNames: %s", field, VMNamesWithDNS)
		case c.Once:
			add("%s.VMNames: %s", field, VMNamesWithOnce)
		}
	}
	seen := map[string]bool{}
	for i, n := range c.VMNames {
		switch k := strings.ToLower(n); {
		case strings.TrimSpace(n) == "":
			add("%s.VMNames[%d]: empty", field, i)
		case seen[k]:
			add("%s.VMNames[%d]: %q is named twice", field, i, n)
		default:
			seen[k] = true
		}
	}
}

// The wording of the rules between a check's scope settings, shared with
// the provider's plan-time validation.
const (
	VMNamesWithGroup = "name the VMs or the group, not both: vm_names already says which VMs the check runs against"
	VMNamesWithDNS   = "a dns check asks a DNS server, not a VM: it runs once; scope it with a group instead"
	VMNamesWithOnce  = "a check that runs once runs against one VM: name just that VM in vm_names, without once"
	NotTemplated     = "placeholders are not filled in here: give the server's host:port"
)

// URLProblem is what is wrong with a check's URL ("" when nothing): it
// must be http or https (the scheme compared ignoring case, as URLs are).
func URLProblem(u string) string {
	l := strings.ToLower(u)
	if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
		return fmt.Sprintf("%q is not an http(s) URL: it must start with http:// or https://", u)
	}
	return ""
}

// StatusProblem is what is wrong with an expected HTTP status.
func StatusProblem(s int) string {
	if s < 100 || s > 599 {
		return fmt.Sprintf("%d is not an HTTP status: use 100 to 599, e.g. 200", s)
	}
	return ""
}

// HostPortProblem is what is wrong with a "host:port".
func HostPortProblem(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return fmt.Sprintf("%q is not host:port, e.g. {address}:1433 or 10.0.1.4:443", a)
	}
	// The port goes into scripts run on the VMs: a number, nothing else.
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
		return fmt.Sprintf("%q: the port %q is not a TCP port (1 to 65535), e.g. {address}:1433 or 10.0.1.4:443", a, port)
	}
	if host == "" || strings.ContainsAny(host, " '\"`$;|&<>\r\n") {
		return fmt.Sprintf("%q: the host %q is not a name or an address, e.g. {address}:1433 or 10.0.1.4:443", a, host)
	}
	return ""
}

// PlaceholderProblem names the first unknown placeholder of a template.
func PlaceholderProblem(tmpl string) string {
	for _, p := range placeholder.FindAllString(tmpl, -1) {
		if !itemPlaceholders[p] {
			return fmt.Sprintf("unknown placeholder %s (known: {address}, {private_ip}, {vm_name}, {source_vm_name}, {item})", p)
		}
	}
	return ""
}

// ValidateCanary reports the problems of a canary: it is written before
// the failover, so only the source's placeholders are known. It is either
// a URL or a file, not both.
func ValidateCanary(field string, c Canary, add func(format string, args ...any)) {
	switch {
	case c.File != nil && c.URL != "":
		add("%s.File: a canary is a URL or a file, not both (URL is %q)", field, c.URL)
	case c.File != nil:
		ValidateCanaryFile(field+".File", *c.File, add)
	default:
		if p := URLProblem(c.URL); p != "" {
			add("%s.URL: %s", field, p)
		}
		for _, p := range placeholder.FindAllString(c.URL, -1) {
			if p != "{source_vm_name}" && p != "{item}" {
				add("%s.URL: placeholder %s is not known before the failover (use {source_vm_name} or {item})", field, p)
			}
		}
	}
	if c.Wait < 0 {
		add("%s.Wait: negative", field)
	}
}

// windowsAbs is an absolute Windows path: a drive, a backslash.
var windowsAbs = regexp.MustCompile(`^[A-Za-z]:\\[^'"\r\n]*[^\\'"\r\n]$`)

// ValidateCanaryFile reports the problems of the file canary's paths
// (empty: the defaults). A path holds no quote: it goes into a script.
func ValidateCanaryFile(field string, f CanaryFile, add func(format string, args ...any)) {
	if p := f.LinuxPath; p != "" && (!strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.ContainsAny(p, "'\"\r\n")) {
		add("%s.LinuxPath: %q is not an absolute file path without quotes, e.g. %s", field, p, DefaultCanaryLinuxPath)
	}
	if p := f.WindowsPath; p != "" && !windowsAbs.MatchString(p) {
		add("%s.WindowsPath: %q is not an absolute file path without quotes, e.g. %s", field, p, DefaultCanaryWindowsPath)
	}
}

// ValidateIsolation reports the problems of an isolation proof.
func ValidateIsolation(field string, p IsolationProof, add func(format string, args ...any)) {
	for i, port := range p.Ports {
		if port < 1 || port > 65535 {
			add("%s.Ports[%d]: %d is not a TCP port (1 to 65535)", field, i, port)
		}
	}
	if a := p.InternetAddress; a != "" {
		if pr := HostPortProblem(a); pr != "" {
			add("%s.InternetAddress: %s", field, pr)
		} else if placeholder.MatchString(a) {
			add("%s.InternetAddress: %s", field, NotTemplated)
		}
	}
	if p.Skip && (len(p.Ports) > 0 || p.InternetAddress != "") {
		add("%s.Skip: the proof is skipped, so its Ports and InternetAddress would not be tried", field)
	}
}

// ValidateFrom reports a check's From that is neither place.
func ValidateFrom(field string, c Check, add func(format string, args ...any)) {
	switch c.From {
	case "", FromDRSite, FromRunner:
	default:
		add("%s.From: %q is not %q or %q", field, c.From, FromDRSite, FromRunner)
	}
}
