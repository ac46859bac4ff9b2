package service

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
)

// Request is what a handler gets: the HTTP request plus what the pipeline
// already worked out.
type Request struct {
	HTTP       *http.Request
	Params     map[string]string // values of the pattern's {name} segments
	APIVersion string
	Body       []byte
	// Base is the scheme and host the client used, for absolute URLs
	// (polling URLs, nextLink) that work however the client reached us.
	Base string
}

// Param returns the value of a {name} segment of the route's pattern.
func (r *Request) Param(name string) string { return r.Params[name] }

// Decode unmarshals the JSON body into v; an empty or malformed body is 400
// InvalidRequestContent with a message saying what is wrong.
func (r *Request) Decode(v any) error {
	if len(bytes.TrimSpace(r.Body)) == 0 {
		return arm.InvalidRequestContent("the request body is empty")
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		return arm.InvalidRequestContent(DescribeJSONError(err))
	}
	return nil
}

// DescribeJSONError phrases a decoding error for a client, without Go type
// names.
func DescribeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return fmt.Sprintf("property '%s' cannot hold a JSON %s", typeErr.Field, typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("invalid JSON at offset %d: %v", syntaxErr.Offset, err)
	default:
		return err.Error()
	}
}
