package arm

import "net/http"

// Response is what a handler returns; the server's adapter is the only code
// that turns it into HTTP.
type Response struct {
	Status int
	Header http.Header
	// Body is marshalled as JSON; nil sends no body.
	Body any
}

// JSON is a response with a JSON body.
func JSON(status int, body any) Response {
	return Response{Status: status, Body: body}
}

// Empty is a response without a body.
func Empty(status int) Response {
	return Response{Status: status}
}

// WithHeader returns r with one more header value set.
func (r Response) WithHeader(key, value string) Response {
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set(key, value)
	r.Header = h
	return r
}
