package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/faults"
)

// request is what a handler gets: the HTTP request plus what the pipeline
// already worked out.
type request struct {
	http       *http.Request
	route      *route
	params     map[string]string // values of the pattern's {name} segments
	apiVersion string
	body       []byte
	// base is the scheme and host the client used, for absolute URLs
	// (polling URLs, nextLink) that work however the client reached us.
	base string
	// drop is set by a drop fault: close the connection without answering.
	drop faults.DropWhen
}

// param returns the value of a {name} segment of the route's pattern.
func (r *request) param(name string) string { return r.params[name] }

// decode unmarshals the JSON body into v; an empty or malformed body is 400
// InvalidRequestContent with a message saying what is wrong.
func (r *request) decode(v any) error {
	if len(bytes.TrimSpace(r.body)) == 0 {
		return arm.InvalidRequestContent("the request body is empty")
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		return arm.InvalidRequestContent(describeJSONError(err))
	}
	return nil
}

// describeJSONError phrases a decoding error for a client, without Go type
// names.
func describeJSONError(err error) string {
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
