package drill

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	mdns "github.com/miekg/dns"
)

// Where a check runs (Check.From).
const (
	FromDRSite = "dr_site"
	FromRunner = "runner"
)

// Check types.
const (
	CheckHTTP = "http"
	CheckTCP  = "tcp"
	CheckDNS  = "dns"
)

// Check is a test run against the failed-over application, retried every
// interval until it passes or the drill's context ends.
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
	// Group scopes the check to one recovery plan group, 1-based in the
	// plan's order (as events and AZUREDR_GROUP count groups); 0 means
	// every group. A drill of replicated VMs without a plan has one group.
	Group int
	// VMNames scopes the check to the items whose source (production) VM
	// has one of these names (compared ignoring case, as Azure does); empty
	// means every item. Not with Group, Once or a dns check.
	VMNames []string
	// From is where the check runs: FromDRSite (the default, also "") runs
	// it inside the test network, through VM Run Command on a test VM (or
	// the drill's probe VM), so the runner needs no route into the isolated
	// network; FromRunner runs it from the machine running the drill,
	// straight to the test VM's address (the drill then gives test VMs
	// public IPs, as before).
	From string
	// Once runs the check once rather than against every VM of its scope.
	// A check that uses item placeholders then runs against the scope's
	// first VM (its group's first item; the drill's first without a Group),
	// as part of that VM's checks; one without runs after its group (its
	// post actions done; after the last group without a Group), against the
	// address or URL it gives. dns checks always run once.
	Once bool
}

// runsOnce reports whether the check runs once (else against every VM of
// its scope).
func (c Check) runsOnce() bool { return c.Once || c.Type == CheckDNS }

// templates are the check's fields that placeholders are filled in.
func (c Check) templates() map[string]string {
	switch c.Type {
	case CheckHTTP:
		return map[string]string{"URL": c.URL, "BodyRegex": c.BodyRegex}
	case CheckTCP:
		return map[string]string{"Address": c.Address}
	case CheckDNS:
		return map[string]string{"DNSName": c.DNSName, "ExpectTarget": c.ExpectTarget}
	}
	return nil
}

// bindsItem reports whether the check names an item in a template: a
// check that runs once then runs against its scope's first VM.
func (c Check) bindsItem() bool {
	for _, t := range c.templates() {
		if UsesItem(t) {
			return true
		}
	}
	return false
}

// ItemRef is an item as the checks' scopes see it.
type ItemRef struct {
	// Group is the item's group (1-based); Index its place in the group and
	// DrillIndex in the drill (0-based, in group order).
	Group, Index, DrillIndex int
	// SourceVMName is the production VM's name.
	SourceVMName string
}

// RunsOn reports whether the check runs against the item's test VM.
func (c Check) RunsOn(it ItemRef) bool {
	if c.runsOnce() {
		if !c.bindsItem() {
			return false
		}
		if c.Group != 0 {
			return c.Group == it.Group && it.Index == 0
		}
		return it.DrillIndex == 0
	}
	if c.Group != 0 && c.Group != it.Group {
		return false
	}
	if len(c.VMNames) == 0 {
		return true
	}
	for _, n := range c.VMNames {
		if strings.EqualFold(n, it.SourceVMName) {
			return true
		}
	}
	return false
}

// RunsAfter reports whether the check runs once after group g (last: the
// drill's last group), against the address it gives.
func (c Check) RunsAfter(g int, last bool) bool {
	if !c.runsOnce() || c.bindsItem() {
		return false
	}
	if c.Group != 0 {
		return c.Group == g
	}
	return last
}

// Defaults of a check's pacing (real time).
const (
	DefaultCheckInterval = 5 * time.Second
	DefaultCheckTimeout  = 10 * time.Second
)

// Observation is what an http check saw of the application's data.
type Observation struct {
	DataVersion int
	WrittenAt   time.Time
}

// maxBody bounds what a check reads of a response.
const maxBody = 1 << 20

// Headers and markup of the emulator's sites (and of any application that
// wants its data version measured).
const headerDataVersion = "X-Azuredr-Data-Version"

var dataWritten = regexp.MustCompile(`<time[^>]*\bid="data-written"[^>]*\bdatetime="([^"]+)"`)

// httpClient reaches the test VMs: no proxy (they are in the test network),
// no redirects followed (a redirect is an answer to check).
var httpClient = &http.Client{
	Transport:     &http.Transport{Proxy: nil, DisableKeepAlives: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// runCheck runs one attempt of a check against t (zero for a check that
// runs once), within timeout.
func runCheck(ctx context.Context, c Check, t Target, timeout time.Duration) (*Observation, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	switch c.Type {
	case CheckHTTP:
		return checkHTTP(ctx, c, t)
	case CheckTCP:
		addr := t.Expand(c.Address)
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if err != nil {
			return nil, err
		}
		conn.Close()
		return nil, nil
	case CheckDNS:
		return nil, checkDNS(ctx, c, t)
	}
	return nil, fmt.Errorf("unknown check type %q", c.Type)
}

func checkHTTP(ctx context.Context, c Check, t Target) (*Observation, error) {
	url := t.Expand(c.URL)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("GET %s: reading the body: %w", url, err)
	}
	want := c.ExpectStatus
	if want == 0 {
		want = http.StatusOK
	}
	if resp.StatusCode != want {
		return nil, fmt.Errorf("GET %s: status %d, want %d", url, resp.StatusCode, want)
	}
	if c.BodyRegex != "" {
		expr := t.expandRegex(c.BodyRegex)
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, err
		}
		if !re.Match(body) {
			return nil, fmt.Errorf("GET %s: the body does not match %q", url, expr)
		}
	}
	return observe(resp.Header, body), nil
}

// observe reads the data version a page serves: the header, and the write
// time from the page's <time id="data-written" datetime="...">.
func observe(h http.Header, body []byte) *Observation {
	v, err := strconv.Atoi(h.Get(headerDataVersion))
	if err != nil || v <= 0 {
		return nil
	}
	o := &Observation{DataVersion: v}
	if m := dataWritten.FindSubmatch(body); m != nil {
		if t, err := time.Parse(time.RFC3339Nano, string(m[1])); err == nil {
			o.WrittenAt = t
		}
	}
	return o
}

// fetchObservation GETs a page only to read its data version.
func fetchObservation(ctx context.Context, url string, timeout time.Duration) *Observation {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	o, _ := checkHTTP(ctx, Check{URL: url, ExpectStatus: http.StatusOK}, Target{})
	return o
}

func checkDNS(ctx context.Context, c Check, t Target) error {
	name, want := t.Expand(c.DNSName), strings.TrimSuffix(strings.ToLower(t.Expand(c.ExpectTarget)), ".")
	server := c.DNSServer
	if server == "" {
		conf, err := mdns.ClientConfigFromFile("/etc/resolv.conf")
		if err != nil || len(conf.Servers) == 0 {
			return fmt.Errorf("no system resolver (/etc/resolv.conf): set DNSServer")
		}
		server = net.JoinHostPort(conf.Servers[0], conf.Port)
	}
	q := new(mdns.Msg)
	q.SetQuestion(mdns.Fqdn(name), mdns.TypeA)
	q.RecursionDesired = true
	cl := &mdns.Client{}
	r, _, err := cl.ExchangeContext(ctx, q, server)
	if err == nil && r.Truncated {
		cl.Net = "tcp"
		r, _, err = cl.ExchangeContext(ctx, q, server)
	}
	if err != nil {
		return fmt.Errorf("asking %s for %s: %w", server, name, err)
	}
	var got []string
	for _, rr := range r.Answer {
		var v string
		switch a := rr.(type) {
		case *mdns.A:
			v = a.A.String()
		case *mdns.AAAA:
			v = a.AAAA.String()
		case *mdns.CNAME:
			v = strings.TrimSuffix(strings.ToLower(a.Target), ".")
		default:
			continue
		}
		if v == want {
			return nil
		}
		got = append(got, v)
	}
	return fmt.Errorf("%s answers %s %v from %s, not %s", name, mdns.RcodeToString[r.Rcode], got, server, want)
}
