package drill

import (
	"net"
	"regexp"
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

// ValidateCheck reports the problems of a check.
func ValidateCheck(field string, c Check, add func(format string, args ...any)) {
	if c.Name == "" {
		add("%s.Name: a check needs a name", field)
	}
	known := func(attr, tmpl string) {
		for _, p := range placeholder.FindAllString(tmpl, -1) {
			if !itemPlaceholders[p] {
				add("%s.%s: unknown placeholder %s (known: {address}, {private_ip}, {vm_name}, {source_vm_name}, {item})", field, attr, p)
			} else if !c.perItem() {
				add("%s.%s: placeholder %s needs PerItem (the check runs once)", field, attr, p)
			}
		}
	}
	switch c.Type {
	case CheckHTTP:
		if !strings.HasPrefix(c.URL, "http://") && !strings.HasPrefix(c.URL, "https://") {
			add("%s.URL: %q is not an http(s) URL", field, c.URL)
		}
		known("URL", c.URL)
		if c.ExpectStatus != 0 && (c.ExpectStatus < 100 || c.ExpectStatus > 599) {
			add("%s.ExpectStatus: %d is not an HTTP status", field, c.ExpectStatus)
		}
		if c.BodyRegex != "" {
			known("BodyRegex", c.BodyRegex)
			if _, err := regexp.Compile(c.BodyRegex); err != nil {
				add("%s.BodyRegex: %v", field, err)
			}
		}
	case CheckTCP:
		if _, _, err := net.SplitHostPort(c.Address); err != nil {
			add("%s.Address: %q is not host:port", field, c.Address)
		}
		known("Address", c.Address)
	case CheckDNS:
		if c.DNSName == "" {
			add("%s.DNSName: a dns check needs a name to ask for", field)
		}
		if c.DNSServer != "" {
			if _, _, err := net.SplitHostPort(c.DNSServer); err != nil {
				add("%s.DNSServer: %q is not host:port", field, c.DNSServer)
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
}

// ValidateCanary reports the problems of a canary: it is written before
// the failover, so only the source's placeholders are known.
func ValidateCanary(field string, c Canary, add func(format string, args ...any)) {
	if !strings.HasPrefix(c.URL, "http://") && !strings.HasPrefix(c.URL, "https://") {
		add("%s.URL: %q is not an http(s) URL", field, c.URL)
	}
	for _, p := range placeholder.FindAllString(c.URL, -1) {
		if p != "{source_vm_name}" && p != "{item}" {
			add("%s.URL: placeholder %s is not known before the failover (use {source_vm_name} or {item})", field, p)
		}
	}
	if c.Wait < 0 {
		add("%s.Wait: negative", field)
	}
}
