package azure

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// Long-running operations polled at their Location only.
//
// ARM answers a long-running POST with 202 and two URLs: Azure-AsyncOperation
// (a status document) and Location (202 while the operation runs, then the
// operation's result, or its error). The SDK's pollers prefer the first, so
// an operation whose result matters costs a status poll and then a GET of
// the Location for the result: two requests where one does. PollLocation
// polls the Location alone, as azcore's own Location poller does, at the
// Retry-After pace (Wait), through the client's pipeline (the same retry,
// conflict and Site Recovery job policies). The drill uses it for what it
// runs per VM (Run Command, test failover and its cleanup), whose results it
// reads.
//
// A Location answering a retryable 5xx after the pipeline's retries is
// ambiguous (a failed operation or a sick gateway): the status URL, when the
// operation named one, settles it.

// PollLocation calls begin (an SDK Begin* method, given the context to pass
// it) and returns a poller of the operation's Location, and the operation's
// first answer. When that answer is not a 202 with a Location (a refusal, an
// operation done at once) the SDK's poller is returned as it is.
func PollLocation[T any](ctx context.Context, c *Client, begin func(context.Context) (*runtime.Poller[T], error)) (*runtime.Poller[T], *http.Response, error) {
	var resp *http.Response
	p, err := begin(runtime.WithCaptureResponse(ctx, &resp))
	if err != nil || resp == nil || resp.StatusCode != http.StatusAccepted {
		return p, resp, err
	}
	loc, ok := absoluteURL(resp.Header.Get("Location"))
	if !ok {
		return p, resp, nil
	}
	status, _ := absoluteURL(resp.Header.Get("Azure-AsyncOperation"))
	lp, err := runtime.NewPoller(resp, rawFactory.of(c).Pipeline(), &runtime.NewPollerOptions[T]{
		Handler: &locationPoll[T]{pl: rawFactory.of(c).Pipeline(), url: loc, status: status}})
	if err != nil {
		return p, resp, nil
	}
	return lp, resp, nil
}

// rawFactory is a client of no resource provider in particular: its
// pipeline (the one every SDK client of this Client has) serves the polls
// PollLocation makes.
var rawFactory = factory(func(_ string, cred azcore.TokenCredential, o *arm.ClientOptions) (*arm.Client, error) {
	return arm.NewClient("azuredr/internal/azure", "v0.1.0", cred, o)
})

func absoluteURL(s string) (string, bool) {
	u, err := url.Parse(s)
	if s == "" || err != nil || !u.IsAbs() {
		return "", false
	}
	return s, true
}

// The states of a Location poll.
const (
	locRunning = iota
	locSucceeded
	locFailed
)

// locationPoll is a runtime.PollingHandler of an operation's Location.
type locationPoll[T any] struct {
	pl     runtime.Pipeline
	url    string
	status string // the Azure-AsyncOperation URL, "" if none
	state  int
	resp   *http.Response
}

func (p *locationPoll[T]) Done() bool { return p.state != locRunning }

func (p *locationPoll[T]) Poll(ctx context.Context) (*http.Response, error) {
	resp, err := p.get(ctx, p.url)
	if err != nil {
		return nil, err
	}
	if h, ok := absoluteURL(resp.Header.Get("Location")); ok {
		p.url = h
	}
	p.resp = resp
	switch c := resp.StatusCode; {
	case c == http.StatusAccepted:
	case c >= 200 && c < 300:
		p.state = locSucceeded
	case c == http.StatusRequestTimeout || c == http.StatusTooManyRequests:
		// Not an answer about the operation: poll again.
	case c >= 500:
		p.settle(ctx)
	default:
		p.state = locFailed
	}
	return p.resp, nil
}

// settle asks the status URL whether the operation failed when its
// Location answered a server error; if it did, the status document is the
// error. Otherwise the operation is taken to be running (azcore's Location
// poller does the same with no status URL to ask).
func (p *locationPoll[T]) settle(ctx context.Context) {
	if p.status == "" {
		return
	}
	resp, err := p.get(ctx, p.status)
	if err != nil || resp.StatusCode != http.StatusOK {
		return
	}
	body, err := runtime.Payload(resp)
	if err != nil {
		return
	}
	var doc struct {
		Status string `json:"status"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return
	}
	switch strings.ToLower(doc.Status) {
	case "failed", "canceled", "cancelled":
		p.state, p.resp = locFailed, resp
	}
}

func (p *locationPoll[T]) get(ctx context.Context, u string) (*http.Response, error) {
	req, err := runtime.NewRequest(ctx, http.MethodGet, u)
	if err != nil {
		return nil, err
	}
	return p.pl.Do(req)
}

func (p *locationPoll[T]) Result(_ context.Context, out *T) error {
	if p.resp == nil {
		return errors.New("long-running operation: no answer polled yet")
	}
	defer p.resp.Body.Close()
	if p.state == locFailed {
		return runtime.NewResponseError(p.resp)
	}
	if p.resp.StatusCode == http.StatusNoContent {
		return nil
	}
	body, err := runtime.Payload(p.resp)
	if err != nil {
		return err
	}
	if len(body) == 0 {
		return nil
	}
	return json.Unmarshal(body, out)
}
