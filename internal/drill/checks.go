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
	// PerItem runs the check against every failed-over item. Nil means true
	// for http and tcp; dns checks run once, after the last group. A check
	// that runs once cannot use item placeholders.
	PerItem *bool
}

// perItem reports whether the check runs against every item (else once,
// after the last group).
func (c Check) perItem() bool {
	if c.PerItem != nil {
		return *c.PerItem
	}
	return c.Type != CheckDNS
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
