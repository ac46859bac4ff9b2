package specexamples_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// outcome is one row of the replay's table.
type outcome struct {
	operation, apiVersion, file string
	result                      string // accepted, refused-non-A2A, expected-difference, mismatch, not-replayed
	reason                      string
}

const (
	resAccepted  = "accepted-matching"
	resRefused   = "refused-as-non-A2A"
	resExpected  = "expected-difference"
	resMismatch  = "mismatch"
	resNoExample = "no-example"
	resNotServed = "not-replayed"
)

// statusRecorder keeps the status of the last response the pipeline saw
// (the final one of a long-running operation) and the polling URLs the
// emulator handed out (the operation ids the polling examples need).
type statusRecorder struct {
	mu      sync.Mutex
	last    int
	polling []string // URL paths, newest last
}

func (s *statusRecorder) Do(req *policy.Request) (*http.Response, error) {
	resp, err := req.Next()
	if resp != nil {
		s.mu.Lock()
		s.last = resp.StatusCode
		for _, h := range []string{"Azure-AsyncOperation", "Location"} {
			if u, perr := url.Parse(resp.Header.Get(h)); perr == nil && u.Path != "" {
				s.polling = append(s.polling, u.Path)
			}
		}
		s.mu.Unlock()
	}
	return resp, err
}

// operationID is the id of the newest polling URL of the template's shape.
func (s *statusRecorder) operationID(template string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.polling) - 1; i >= 0; i-- {
		if matchesTemplate(template, s.polling[i]) {
			return s.polling[i][strings.LastIndex(s.polling[i], "/")+1:], true
		}
	}
	if n := len(s.polling); n > 0 { // another shape of URL for the same operations
		return s.polling[n-1][strings.LastIndex(s.polling[n-1], "/")+1:], true
	}
	return "", false
}

// matchesTemplate: a concrete path fits a path template (literal segments
// case-insensitively, a capture any one segment).
func matchesTemplate(template, path string) bool {
	a, b := strings.Split(strings.Trim(template, "/"), "/"), strings.Split(strings.Trim(path, "/"), "/")
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.HasPrefix(a[i], "{") && !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

// replayer sends examples to one estate.
type replayer struct {
	t         *testing.T
	c         *catalog
	est       *estate
	rec       *statusRecorder
	factories map[string]reflect.Value
	created   int
}

func newReplayer(t *testing.T, c *catalog) *replayer {
	t.Helper()
	r := &replayer{t: t, c: c, est: startEstate(t), rec: &statusRecorder{}, factories: map[string]reflect.Value{}}
	opts := emulatortest.ClientOptions(r.est.srv.URL())
	opts.Retry.MaxRetries = -1
	opts.PerCallPolicies = append(opts.PerCallPolicies, r.rec)
	for i := range modules {
		r.factories[modules[i].pkg] = modules[i].factory(t, emulatortest.Subscription, emulatortest.Credential{}, opts)
	}
	return r
}

// replay sends one example and judges the answer.
func (r *replayer) replay(op string, ex *example) (res outcome) {
	sdk := r.c.operationOf(ex)
	out := outcome{operation: op, apiVersion: sdk.apiVersion, file: ex.file}
	var before string
	if pre, ok := preconditions[op]; ok {
		before = pre(r.t, r)
	}
	defer func() {
		if before != "" {
			res.reason = before + ": " + res.reason
		}
	}()
	fail := func(format string, args ...any) outcome {
		out.result, out.reason = resMismatch, fmt.Sprintf(format, args...)
		return out
	}
	reg := r.c.regs[ex.module.pkg]
	client := r.factories[ex.module.pkg].MethodByName("New" + ex.client).Call(nil)[0]
	method := client.MethodByName(ex.method)
	mt := method.Type()
	ctx := emulatortest.Context(r.t)
	var args []reflect.Value
	first := 0 // the index of the first example argument in the method's parameters
	if mt.NumIn() > 0 && mt.In(0) == reflect.TypeOf((*context.Context)(nil)).Elem() {
		args, first = append(args, reflect.ValueOf(ctx)), 1
	}
	var input any
	ids := newIDMapper()
	for i, a := range ex.args {
		v, err := reg.eval(a, mt.In(i+first))
		if err != nil {
			return fail("evaluating argument %d: %v", i, err)
		}
		if v.Kind() == reflect.String && i < len(sdk.params) {
			v = reflect.ValueOf(r.pathArg(sdk, i, v.String())).Convert(v.Type())
		}
		if k := v.Kind(); k == reflect.Struct && !strings.HasSuffix(v.Type().Name(), "Options") {
			ids.rewrite(v)
			input = v.Interface()
		}
		args = append(args, v)
	}
	var foreign []string
	if ex.module.pkg == "armrecoveryservicessiterecovery" && input != nil {
		j, _ := asJSON(input)
		for _, it := range foreignInstanceTypes(j) {
			if _, base := reg.types[reg.pkg+"."+it]; !base || !neutralAccepted[it] {
				foreign = append(foreign, it)
			}
		}
	}
	resp, err := r.call(ctx, method, args, ex.method)
	if len(foreign) > 0 {
		var re *azcore.ResponseError
		switch {
		case err == nil:
			msg := fmt.Sprintf("accepted an input for %s, which Azure accepts only for that provider", strings.Join(foreign, ", "))
			if e, ok := expectedDifferences.find(op, ex.file, "accepted"); ok {
				out.result, out.reason = resExpected, msg+" ("+e.reason+")"
				return out
			}
			return fail("%s", msg)
		case !errors.As(err, &re) || !refusesForeign(re, err, foreign[0]):
			msg := fmt.Sprintf("refused the %s input otherwise than with 400 naming the instance type as not supported: %s", strings.Join(foreign, ", "), firstLine(err))
			if e, ok := expectedDifferences.find(op, ex.file, "refused"); ok {
				out.result, out.reason = resExpected, msg+" ("+e.reason+")"
				return out
			}
			return fail("%s", msg)
		}
		out.result, out.reason = resRefused, fmt.Sprintf("400 %s: %s input (the emulator serves A2A)", re.ErrorCode, strings.Join(foreign, ", "))
		return out
	}
	if err != nil {
		msg := "refused: " + firstLine(err)
		if e, ok := expectedDifferences.find(op, ex.file, "refused"); ok {
			out.result, out.reason = resExpected, msg+" ("+e.reason+")"
			return out
		}
		return fail("%s", msg)
	}
	out.result = resAccepted
	if ex.resp == nil {
		out.reason = fmt.Sprintf("%d, the example shows no body", r.status())
		return out
	}
	// The SDK examples show the 200 answer; a PUT that creates answers 201
	// (both are in the spec's responses), with the same body.
	if st := r.status(); st != http.StatusOK && (st != http.StatusCreated || sdk.httpMethod != http.MethodPut) {
		return fail("answered %d, the example %d", st, http.StatusOK)
	}
	want, err := reg.eval(ex.resp, nil)
	if err != nil {
		return fail("evaluating the example's response: %v", err)
	}
	field := resp.FieldByName(ex.respField)
	if !field.IsValid() {
		return fail("the SDK response has no field %s", ex.respField)
	}
	var gaps []gap
	var notes []string
	reg.diffValues("", want, field, &gaps, &notes)
	writes := sdk.httpMethod == http.MethodPut || sdk.httpMethod == http.MethodPatch
	var diffs, unset []string
	for _, g := range gaps {
		switch {
		case g.computed:
			diffs = append(diffs, g.path+": missing (Azure answers it)")
		case writes:
			diffs = append(diffs, g.path+": missing (the example's input set it)")
		default:
			unset = append(unset, g.path)
		}
	}
	if len(unset) > 0 {
		notes = append(notes, "optional, not set on the estate's object: "+strings.Join(unset, ", "))
	}
	diffs = expectedDifferences.filter(op, ex.file, diffs, &out)
	if len(diffs) > 0 {
		return fail("%s", strings.Join(diffs, "; "))
	}
	if out.result == resAccepted {
		out.reason = strings.Join(append([]string{"200, every property of the example"}, notes...), "; ")
	}
	return out
}

// refusesForeign: the answer refuses another provider's input as Azure
// does for an A2A item: 400 naming the instance type as not supported, or
// (an operation A2A does not have at all, planned failover) 400/409 saying
// the operation is not supported.
func refusesForeign(re *azcore.ResponseError, err error, instanceType string) bool {
	msg := err.Error()
	switch re.StatusCode {
	case http.StatusBadRequest:
		return strings.Contains(msg, "not supported") && (strings.Contains(msg, instanceType) || strings.Contains(msg, "A2A"))
	case http.StatusConflict:
		return strings.Contains(msg, "is not supported for")
	}
	return false
}

func (r *replayer) status() int {
	r.rec.mu.Lock()
	defer r.rec.mu.Unlock()
	return r.rec.last
}

// pathArg maps the example's i-th path argument onto the estate. A PUT
// creates: its own name (the last) stays the example's; parents are the
// estate's.
func (r *replayer) pathArg(sdk sdkOperation, i int, example string) string {
	name := sdk.params[i]
	if sdk.httpMethod == http.MethodPut && i == lastStringParam(sdk) {
		r.created++ // each example creates its own object (examples reuse names with other settings)
		return fmt.Sprintf("%s%02d", truncate(example, 22), r.created)
	}
	if strings.EqualFold(name, "operationId") {
		if id, ok := r.rec.operationID(sdk.path); ok {
			return id
		}
	}
	if v, ok := r.est.pathNames()[name]; ok {
		return v
	}
	return example // e.g. a Traffic Manager endpoint type
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// lastStringParam is the index of the last path parameter (before the body).
func lastStringParam(sdk sdkOperation) int {
	last := -1
	for i, p := range sdk.params {
		if strings.HasSuffix(p, "Name") {
			last = i
		}
	}
	return last
}

// call runs the client method to its answer: a poller to the end, a
// pager's first page, or the plain response.
func (r *replayer) call(ctx context.Context, method reflect.Value, args []reflect.Value, name string) (reflect.Value, error) {
	out := method.Call(args)
	if err, _ := out[len(out)-1].Interface().(error); err != nil {
		return reflect.Value{}, err
	}
	res := out[0]
	var next reflect.Value
	switch {
	case strings.HasPrefix(name, "Begin"):
		next = res.MethodByName("PollUntilDone")
		out = next.Call([]reflect.Value{reflect.ValueOf(ctx), reflect.Zero(next.Type().In(1))})
	case strings.HasPrefix(name, "New") && strings.HasSuffix(name, "Pager"):
		out = res.MethodByName("NextPage").Call([]reflect.Value{reflect.ValueOf(ctx)})
	default:
		return res, nil
	}
	if err, _ := out[1].Interface().(error); err != nil {
		return reflect.Value{}, err
	}
	return out[0], nil
}

func firstLine(err error) string {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return fmt.Sprintf("%d %s", re.StatusCode, re.ErrorCode) + " " + errorMessage(err.Error())
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

var messageRE = regexp.MustCompile(`"message":\s*"([^"]*)"`)

func errorMessage(s string) string {
	if m := messageRE.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}
