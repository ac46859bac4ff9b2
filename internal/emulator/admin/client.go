package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// prefix is where the admin API lives on the emulator's one listener.
const prefix = "/_emulator/"

// Client calls one emulator's admin API. The zero value is not usable: use
// New. A Client is safe for concurrent use.
type Client struct {
	base string
	http *http.Client
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sends the requests through c instead of
// http.DefaultClient: callers that tune timeouts, proxies or connection
// pools for the emulator (the bench, the acceptance tests) keep doing so.
func WithHTTPClient(c *http.Client) Option { return func(cl *Client) { cl.http = c } }

// New returns a client of the emulator listening at baseURL (its ARM
// endpoint, e.g. "http://127.0.0.1:8443"; a trailing slash is ignored).
func New(baseURL string, opts ...Option) *Client {
	c := &Client{base: strings.TrimSuffix(baseURL, "/"), http: http.DefaultClient}
	for _, o := range opts {
		o(c)
	}
	return c
}

// URL is the emulator's base URL the client calls.
func (c *Client) URL() string { return c.base }

// do sends method on the admin path (relative to /_emulator/) with query
// and in as a JSON body (nil: none), and decodes a 2xx answer into out (nil:
// the body is discarded). Any other status is an *Error.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in, out any) error {
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s %s%s: encoding the request: %w", method, prefix, path, err)
		}
		body = bytes.NewReader(raw)
	}
	u := c.base + prefix + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s%s: reading the answer: %w", method, prefix, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newError(method, prefix+path, resp.StatusCode, raw)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s%s: decoding the answer: %w", method, prefix, path, err)
	}
	return nil
}

// list is the shape of the admin API's listings, like ARM's.
type list[T any] struct {
	Value []T `json:"value"`
}
