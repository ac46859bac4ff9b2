package trafficmanager

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// userAgent is what Traffic Manager's probes send.
const userAgent = "Azure Traffic Manager Endpoint Monitor"

// maxProbeBody is how much of a probe's response body is read.
const maxProbeBody = 8 << 10

// ProbeResult is the outcome of one probe of an endpoint (the admin API
// shows it as admin.Probe: view, runtime.go).
type ProbeResult struct {
	// Time is the simulated time the probe finished.
	Time time.Time
	OK   bool
	// Detail says what happened: "HTTP 200", "HTTP 503", a connection error,
	// "region centralus is down".
	Detail string
}

// newProbeClient is the HTTP client of every probe: a fresh connection per
// probe as Traffic Manager makes, no proxy (the targets are on loopback or
// wherever the endpoint says, never behind the environment's proxy), no
// redirects followed (a 301 is a status like any other) and no certificate
// checks (HTTPS probes check reachability, as Traffic Manager's do).
func newProbeClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:             nil,
			DialContext:       (&net.Dialer{}).DialContext,
			DisableKeepAlives: true,
			TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // probes check reachability, like Traffic Manager's
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// probe checks one endpoint once, within ctx (which carries the timeout).
// An endpoint in a region that is down fails without being asked, unless
// it is a site of the estate, which answers 503 by itself.
func (m *Monitor) probe(ctx context.Context, ms MonitorSettings, ep EndpointSpec) (ok bool, detail string) {
	if !ep.Site && m.opts.RegionDown(ep.Location) {
		return false, fmt.Sprintf("region %s is down", ep.Location)
	}
	addr := net.JoinHostPort(ep.Target, strconv.Itoa(ms.Port))
	if ms.Protocol == ProtocolTCP {
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if err != nil {
			return false, describeProbeError(ctx, err)
		}
		_ = conn.Close()
		return true, "TCP connection established"
	}
	url := strings.ToLower(ms.Protocol) + "://" + addr + ms.Path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false, err.Error()
	}
	req.Header.Set("User-Agent", userAgent)
	// Endpoint headers override the profile's of the same name.
	for _, hs := range [][]HeaderValue{ms.Headers, ep.Headers} {
		for _, h := range hs {
			if strings.EqualFold(h.Name, "Host") {
				req.Host = h.Value
				continue
			}
			req.Header.Set(h.Name, h.Value)
		}
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return false, describeProbeError(ctx, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxProbeBody))
	_ = resp.Body.Close()
	detail = "HTTP " + strconv.Itoa(resp.StatusCode)
	for _, r := range ms.Ranges {
		if resp.StatusCode >= r[0] && resp.StatusCode <= r[1] {
			return true, detail
		}
	}
	return false, detail + " (not an expected status)"
}

func describeProbeError(ctx context.Context, err error) string {
	if ctx.Err() == context.DeadlineExceeded {
		return "timed out"
	}
	return err.Error()
}
