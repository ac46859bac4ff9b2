package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/faults"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

const (
	// adminPrefix is the admin API's namespace, outside ARM's.
	adminPrefix = "/_emulator/"
	// maxBodyBytes bounds request bodies (ARM's own limit is 4 MiB for most
	// resource types).
	maxBodyBytes = 8 << 20
	// unknownOperation is the stats key of requests no route matched.
	unknownOperation = "UnknownRoute"
)

// ServeHTTP is the pipeline every request goes through; handlers see only
// requests that passed ARM's checks and the active faults.
func (s *Server) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	started := time.Now()
	setRequestIDs(w.Header(), hr.Header)
	admin := strings.HasPrefix(strings.ToLower(hr.URL.Path), adminPrefix)
	x, resp, err := s.handle(hr, admin)
	var status int
	if x.drop != faults.DropNone {
		status = dropConnection(w)
	} else {
		status = s.write(w, hr, resp, err)
	}
	operation := "admin"
	if !admin {
		operation = unknownOperation
		if x.route != nil {
			operation = x.route.Operation
		}
		s.stats.Request(operation, hr.Method, status)
	}
	if s.opts.LogRequests {
		s.log.Info("request", "method", hr.Method, "path", hr.URL.Path, "operation", operation,
			"status", status, "duration", time.Since(started).Round(time.Microsecond))
	}
}

// setRequestIDs gives every response a fresh x-ms-request-id and carries the
// caller's correlation id (or a new one), as ARM does.
func setRequestIDs(out, in http.Header) {
	out.Set("x-ms-request-id", arm.NewGUID())
	corr := in.Get("x-ms-correlation-request-id")
	if corr == "" {
		corr = arm.NewGUID()
	}
	out.Set("x-ms-correlation-request-id", corr)
	if id := in.Get("x-ms-client-request-id"); id != "" {
		out.Set("x-ms-client-request-id", id)
	}
}

// exchange is one request on its way through the pipeline: what its
// handler sees, the route it matched and a drop fault's verdict.
type exchange struct {
	req   *service.Request
	route *route
	// drop is set by a drop fault: close the connection without answering.
	drop faults.DropWhen
}

// handle runs the checks in ARM's order (authentication, api-version,
// route, subscription id), then the faults, then the handler.
func (s *Server) handle(hr *http.Request, admin bool) (*exchange, arm.Response, error) {
	req := &service.Request{HTTP: hr, APIVersion: hr.URL.Query().Get(arm.APIVersionParam), Base: baseURL(hr)}
	rt, params, routeErr := s.router.match(hr.Method, hr.URL.EscapedPath(), req.APIVersion)
	req.Params = params
	x := &exchange{req: req, route: rt}
	if !admin {
		if err := checkAuthorization(hr); err != nil {
			return x, arm.Response{}, err
		}
		if err := checkAPIVersion(req.APIVersion); err != nil {
			return x, arm.Response{}, err
		}
	}
	if routeErr != nil {
		return x, arm.Response{}, routeErr
	}
	if sub, ok := params["subscriptionId"]; ok && !arm.IsGUID(sub) {
		return x, arm.Response{}, arm.InvalidSubscriptionID(sub)
	}
	body, err := io.ReadAll(io.LimitReader(hr.Body, maxBodyBytes+1))
	if err != nil {
		return x, arm.Response{}, arm.InvalidRequestContent(fmt.Sprintf("reading the body: %v", err))
	}
	if len(body) > maxBodyBytes {
		return x, arm.Response{}, arm.InvalidRequestContent(fmt.Sprintf("the body exceeds %d bytes", maxBodyBytes))
	}
	req.Body = body
	if !admin {
		if err := s.applyFaults(x); err != nil {
			return x, arm.Response{}, err
		}
		if x.drop == faults.DropBeforeHandling {
			return x, arm.Response{}, nil
		}
	}
	// Settle operations that fell due, so this request sees their outcome
	// even if the scheduler has not got to them yet.
	s.ops.SettleDue()
	resp, err := rt.Handle(req)
	return x, resp, err
}

func checkAuthorization(hr *http.Request) error {
	h := hr.Header.Get("Authorization")
	if h == "" {
		return arm.AuthenticationFailed("The 'Authorization' header is missing.")
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return arm.AuthenticationFailed("The 'Authorization' header is provided in an invalid format.")
	}
	return nil
}

func checkAPIVersion(v string) error {
	if v == "" {
		return arm.MissingAPIVersion()
	}
	if !arm.ValidAPIVersion(v) {
		return arm.InvalidAPIVersion(v)
	}
	return nil
}

// applyFaults delays or refuses the request as the active fault rules say.
func (s *Server) applyFaults(x *exchange) error {
	req := x.req
	t := faults.Target{Path: req.HTTP.URL.Path}
	if s.faults.NeedsRegion() {
		t.Region = s.requestRegion(req, x.route)
	}
	d := s.faults.Decide(t)
	s.stats.Fault(d.Applied...)
	if d.Latency > 0 {
		timer := time.NewTimer(d.Latency)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-req.HTTP.Context().Done():
			// The client left (or the server is closing): nobody reads this.
			return arm.Internal(req.HTTP.Context().Err())
		}
	}
	if d.Refusal != nil {
		return d.Refusal
	}
	x.drop = d.Drop
	return nil
}

// droppedStatus is the stats' status of a request whose connection a drop
// fault closed: no HTTP status was ever sent.
const droppedStatus = 0

// dropConnection closes the client's connection without a response, as a
// network failure would: the client sees the connection reset or an EOF.
func dropConnection(w http.ResponseWriter) int {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 cannot be hijacked: abort the stream instead.
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(interface{ SetLinger(int) error }); ok {
		_ = tcp.SetLinger(0) // a reset, not a polite close
	}
	_ = conn.Close()
	return droppedStatus
}

// write is the one place that turns a handler's outcome into HTTP. It
// returns the status sent.
func (s *Server) write(w http.ResponseWriter, hr *http.Request, resp arm.Response, err error) int {
	if err != nil {
		var ae *arm.Error
		if !errors.As(err, &ae) {
			// Not a deliberate ARM error: a bug or a failing disk.
			s.log.Error("request failed", "method", hr.Method, "path", hr.URL.Path, "err", err)
			ae = arm.Internal(err)
		}
		resp = ae.Response()
	}
	var body []byte
	if resp.Body != nil {
		b, merr := json.Marshal(resp.Body)
		if merr != nil {
			s.log.Error("encoding response", "path", hr.URL.Path, "err", merr)
			resp = arm.Internal(merr).Response()
			b, _ = json.Marshal(resp.Body)
		}
		body = b
	}
	h := w.Header()
	for k, v := range resp.Header {
		h[k] = v
	}
	if body != nil {
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	if body != nil && hr.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
	return status
}

// baseURL is the scheme and host the client used to reach us.
func baseURL(hr *http.Request) string {
	scheme := "http"
	if hr.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + hr.Host
}
