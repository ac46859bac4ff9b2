package azure

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// Error is an ARM error reduced to what a person needs to act on it and to
// quote it to Azure support: the ARM code, the message and the request id.
type Error struct {
	StatusCode    int
	Code          string
	Message       string
	Target        string
	RequestID     string
	CorrelationID string
	Method        string
	URL           string
	// Job, for a failed Site Recovery operation, is what its job says
	// (jobs.go): the failed task, possible causes, recommended action.
	Job *JobError
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (HTTP %d)", e.Code, e.StatusCode)
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Target != "" {
		fmt.Fprintf(&b, " [target: %s]", e.Target)
	}
	if e.Job != nil {
		b.WriteString("\n" + e.Job.describe(e.Job.Code == e.Code && e.Job.Message == e.Message))
	}
	if e.Method != "" {
		fmt.Fprintf(&b, "\n%s %s", e.Method, e.URL)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, "\nRequest ID: %s", e.RequestID)
	}
	if e.CorrelationID != "" {
		fmt.Fprintf(&b, "\nCorrelation ID: %s", e.CorrelationID)
	}
	return b.String()
}

// ParseError is the one error mapper: it turns an SDK error (a
// *azcore.ResponseError, possibly wrapped, also from a poller) into an *Error.
// It returns false for errors that are not ARM responses (transport failures,
// cancelled contexts, credential errors).
func ParseError(err error) (*Error, bool) {
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		return nil, false
	}
	out := &Error{StatusCode: re.StatusCode, Code: re.ErrorCode}
	if resp := re.RawResponse; resp != nil {
		out.Job = jobOfHeader(resp)
		out.RequestID = resp.Header.Get("x-ms-request-id")
		out.CorrelationID = resp.Header.Get("x-ms-correlation-request-id")
		if resp.Request != nil {
			out.Method = resp.Request.Method
			u := *resp.Request.URL
			u.RawQuery = "" // the query carries nothing useful and may be long
			out.URL = u.String()
		}
		if body, err := runtime.Payload(resp); err == nil {
			var env struct {
				Error struct {
					Code    string `json:"code"`
					Message string `json:"message"`
					Target  string `json:"target"`
				} `json:"error"`
			}
			if json.Unmarshal(body, &env) == nil {
				out.Message = env.Error.Message
				out.Target = env.Error.Target
				if out.Code == "" {
					out.Code = env.Error.Code
				}
			}
		}
	}
	if out.Code == "" {
		out.Code = http.StatusText(out.StatusCode)
	}
	return out, true
}

// IsNotFound reports whether err is ARM's 404 (ResourceNotFound,
// ResourceGroupNotFound and the like). Read turns it into "gone from Azure".
func IsNotFound(err error) bool {
	e, ok := ParseError(err)
	return ok && e.StatusCode == http.StatusNotFound
}

// Describe renders any error for a diagnostic: ARM errors with code, message
// and request id; everything else as is.
func Describe(err error) string {
	if e, ok := ParseError(err); ok {
		return e.Error()
	}
	return err.Error()
}
