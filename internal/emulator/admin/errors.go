package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Error is a non-2xx answer of the admin API. The emulator answers errors
// in ARM's envelope, {"error":{"code","message"}}; Code and Message come
// from it, so callers can tell a missing fault rule (404 FaultNotFound)
// from a rejected one (400 InvalidFaultRule) without parsing text.
type Error struct {
	Method string
	// Path is the request's path, e.g. "/_emulator/faults/f-1".
	Path       string
	StatusCode int
	// Code and Message are the envelope's; both are empty when the body is
	// not an envelope (a proxy's page, a crash), which Body then holds.
	Code    string
	Message string
	Body    string
}

func (e *Error) Error() string {
	if e.Code != "" || e.Message != "" {
		return fmt.Sprintf("%s %s: HTTP %d %s: %s", e.Method, e.Path, e.StatusCode, e.Code, e.Message)
	}
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.StatusCode, e.Body)
}

func newError(method, path string, status int, body []byte) *Error {
	e := &Error{Method: method, Path: path, StatusCode: status}
	var env struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &env) == nil && (env.Error.Code != "" || env.Error.Message != "") {
		e.Code, e.Message = env.Error.Code, env.Error.Message
	} else {
		e.Body = strings.TrimSpace(string(body))
	}
	return e
}

// StatusCode is the HTTP status of an *Error in err's chain, 0 when err is
// not an admin API answer (nil, or a connection failure).
func StatusCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}
