package drill

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"
	"time"
)

// Spec describes one parallel drill.
type Spec struct {
	// Name identifies the drill in events and in the actions' environment.
	Name string
	// Groups fail over in order; the items of a group fail over in parallel.
	Groups []Group
	// TestNetworkID is the isolated virtual network the test VMs join.
	TestNetworkID string
	// RecoveryPoint chooses each item's recovery point.
	RecoveryPoint Selector
	// Checks run against the test VMs until they pass.
	Checks []Check
	// Objectives are the targets the measured figures are held to.
	Objectives Objectives
	// Canary, when set, writes a new data version on the primary before the
	// failover, so the drill can measure real data loss.
	Canary *Canary
	// CheckInterval is the pause between two attempts of a failing check
	// (real time; default 5s).
	CheckInterval time.Duration
	// CheckTimeout bounds one attempt of one check (real time; default 10s).
	CheckTimeout time.Duration
	// CleanupTimeout bounds cleanup (default CleanupTimeout, 30 minutes),
	// which runs even when ctx is cancelled: a caller with a deadline of
	// its own (go test -timeout) keeps room for it.
	CleanupTimeout time.Duration
	// Unattended means nobody is there for manual actions: one that is not
	// Required is skipped (and logged), a Required one fails the drill.
	Unattended bool
	// Manual performs a manual action when the drill is attended (for
	// example an approval gate); it returns nil once the step is done. With
	// no Manual function every drill is unattended.
	Manual func(ctx context.Context, group int, a Action) error
	// Events receives every event as it happens, synchronously: it must
	// not block for long. Events are also in Result.Events.
	Events func(Event)
	// Clock is the time the drill measures with, and TimeScale its seconds
	// per real second. Both unset: the client's clock (azure.Client.Clock:
	// the wall clock for Azure, the emulator's simulated clock for the
	// emulator). Clock set and TimeScale 0: TimeScale 1. See doc.go.
	Clock     func() time.Time
	TimeScale float64
}

// Group is one step of a recovery plan: its items fail over together,
// between its Pre and Post actions.
type Group struct {
	Items []Item
	Pre   []Action
	Post  []Action
}

// Item is one replicated VM to fail over.
type Item struct {
	// ID is the Site Recovery replication protected item id.
	ID string
}

// Action types.
const (
	ActionScript = "script"
	ActionManual = "manual"
)

// Action runs before or after a group's failover.
type Action struct {
	Name string
	// Type is ActionScript (run Command locally) or ActionManual.
	Type string
	// Command is the program and its arguments (script actions).
	Command []string
	// Timeout bounds a script (real time; default 10 minutes).
	Timeout time.Duration
	// Description says what a person does (manual actions).
	Description string
	// Required manual actions fail an unattended drill instead of being
	// skipped.
	Required bool
}

// Recovery point selector kinds.
const (
	PointLatest              = "latest"
	PointLatestProcessed     = "latest_processed"
	PointLatestAppConsistent = "latest_app_consistent"
	PointBefore              = "before"
)

// Selector chooses a recovery point.
type Selector struct {
	// Kind is one of PointLatest (default), PointLatestProcessed,
	// PointLatestAppConsistent and PointBefore.
	Kind string
	// Before: the newest point strictly before this time (PointBefore).
	Before time.Time
}

// Check types.
const (
	CheckHTTP = "http"
	CheckTCP  = "tcp"
	CheckDNS  = "dns"
)

// Check is a test run against the failed-over application, retried every
// CheckInterval until it passes or the drill's context ends.
//
// URL and Address are templates: {address} (the test VM's reachable
// address: its NIC's public IP when it has one, else its private IP),
// {private_ip}, {vm_name} (the test VM), {source_vm_name} and {item} (the
// protected item's name).
type Check struct {
	Name string
	// Type is CheckHTTP, CheckTCP or CheckDNS.
	Type string
	// URL is fetched with GET (http).
	URL string
	// ExpectStatus is the status to get (http; default 200).
	ExpectStatus int
	// BodyRegex must match the body (http; optional, RE2 syntax). The
	// placeholders stand for their values, quoted.
	BodyRegex string
	// Address is "host:port" to connect to (tcp).
	Address string
	// DNSName is asked for A records (dns).
	DNSName string
	// DNSServer is "host:port"; "" means the system's resolver (dns).
	DNSServer string
	// ExpectTarget must be among the answer's addresses or its CNAME (dns).
	ExpectTarget string
	// PerItem runs the check against every failed-over item. Nil means true
	// for http and tcp; dns checks run once, after the last group. A check
	// that runs once cannot use item placeholders.
	PerItem *bool
}

func (c Check) perItem() bool {
	if c.PerItem != nil {
		return *c.PerItem
	}
	return c.Type != CheckDNS
}

// Objectives are the drill's targets; 0 means none.
type Objectives struct {
	RTO time.Duration
	RPO time.Duration
}

// Canary is a data write on the primary before the failover.
type Canary struct {
	// URL is POSTed to (the emulator's sites answer POST /canary with
	// {"vm","version","writtenAt"}). With {source_vm_name} or {item} it is
	// written once per item, else once.
	URL string
	// Wait is how long to wait after the write before failing over, so
	// replication can carry it (on the drill's clock; default 0).
	Wait time.Duration
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

var itemPlaceholders = map[string]bool{"{address}": true, "{private_ip}": true, "{vm_name}": true, "{source_vm_name}": true, "{item}": true}

// usesItem reports whether a template names an item.
func usesItem(tmpl string) bool {
	for _, p := range placeholder.FindAllString(tmpl, -1) {
		if itemPlaceholders[p] {
			return true
		}
	}
	return false
}

// Validate reports every problem of the spec, each naming its field.
func (s Spec) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if strings.TrimSpace(s.Name) == "" {
		add("Name: a drill needs a name")
	}
	if len(s.Groups) == 0 {
		add("Groups: a drill needs at least one group with one item")
	}
	seen := map[string]string{}
	for g, grp := range s.Groups {
		if len(grp.Items) == 0 {
			add("Groups[%d].Items: empty group", g)
		}
		for i, it := range grp.Items {
			field := fmt.Sprintf("Groups[%d].Items[%d].ID", g, i)
			if _, err := parseItemID(it.ID); err != nil {
				add("%s: %v", field, err)
				continue
			}
			key := strings.ToLower(it.ID)
			if prev, ok := seen[key]; ok {
				add("%s: item %s is already in %s", field, it.ID, prev)
			}
			seen[key] = field
		}
		for i, a := range grp.Pre {
			validateAction(fmt.Sprintf("Groups[%d].Pre[%d]", g, i), a, add)
		}
		for i, a := range grp.Post {
			validateAction(fmt.Sprintf("Groups[%d].Post[%d]", g, i), a, add)
		}
	}
	if _, err := parseNetworkID(s.TestNetworkID); err != nil {
		add("TestNetworkID: %v", err)
	}
	switch s.RecoveryPoint.Kind {
	case "", PointLatest, PointLatestProcessed, PointLatestAppConsistent:
		if !s.RecoveryPoint.Before.IsZero() {
			add("RecoveryPoint.Before: only for Kind %q (Kind is %q)", PointBefore, s.RecoveryPoint.Kind)
		}
	case PointBefore:
		if s.RecoveryPoint.Before.IsZero() {
			add("RecoveryPoint.Before: Kind %q needs the time the point must precede", PointBefore)
		}
	default:
		add("RecoveryPoint.Kind: %q is not one of %s, %s, %s, %s", s.RecoveryPoint.Kind, PointLatest, PointLatestProcessed, PointLatestAppConsistent, PointBefore)
	}
	names := map[string]bool{}
	for i, c := range s.Checks {
		validateCheck(fmt.Sprintf("Checks[%d]", i), c, add)
		if c.Name != "" && names[c.Name] {
			add("Checks[%d].Name: %q is used twice", i, c.Name)
		}
		names[c.Name] = true
	}
	if s.Objectives.RTO < 0 {
		add("Objectives.RTO: negative")
	}
	if s.Objectives.RPO < 0 {
		add("Objectives.RPO: negative")
	}
	if s.Canary != nil {
		if !strings.HasPrefix(s.Canary.URL, "http://") && !strings.HasPrefix(s.Canary.URL, "https://") {
			add("Canary.URL: %q is not an http(s) URL", s.Canary.URL)
		}
		for _, p := range placeholder.FindAllString(s.Canary.URL, -1) {
			if p != "{source_vm_name}" && p != "{item}" {
				add("Canary.URL: placeholder %s is not known before the failover (use {source_vm_name} or {item})", p)
			}
		}
		if s.Canary.Wait < 0 {
			add("Canary.Wait: negative")
		}
	}
	if s.CheckInterval < 0 {
		add("CheckInterval: negative")
	}
	if s.CheckTimeout < 0 {
		add("CheckTimeout: negative")
	}
	if s.CleanupTimeout < 0 {
		add("CleanupTimeout: negative")
	}
	if s.TimeScale < 0 {
		add("TimeScale: negative")
	}
	return errors.Join(errs...)
}

func validateAction(field string, a Action, add func(string, ...any)) {
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

func validateCheck(field string, c Check, add func(string, ...any)) {
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
