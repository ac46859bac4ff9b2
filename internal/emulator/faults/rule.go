// Package faults holds the chaos rules of the admin API: latency, throttling,
// server errors and region outages, each scoped by path prefix and/or region,
// optionally probabilistic and optionally limited to a number of uses; and
// replication pauses, which touch no request but stop Site Recovery's
// replication of one VM or of every VM in a region. Rules live in memory
// only: a restart clears them, as it would clear a real incident (the
// emulator records the pause intervals durably, see PausesReplication).
package faults

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

// Kind is what a rule does to a matching request.
type Kind string

// The fault kinds.
const (
	Latency  Kind = "latency"  // sleep before handling
	Throttle Kind = "throttle" // 429 TooManyRequests with Retry-After
	Error    Kind = "error"    // a 5xx
	Outage   Kind = "outage"   // 503 ServiceUnavailable for the region
	// Drop closes the connection without an answer: before handling the
	// request (the client cannot tell whether it was received), or, with
	// afterHandling, once the handler has run (the change is made, the
	// answer is lost), as a load balancer or a flaky network would.
	Drop Kind = "drop"
	// ReplicationPause stops Site Recovery replication from a region or of
	// one VM; it never touches a request.
	ReplicationPause Kind = "replicationPause"
	// VMFailure is a failed host under one VM (field vmId): its site stops
	// answering and its replication stops, until the rule is removed.
	VMFailure Kind = "vmFailure"
)

// Kinds lists every kind that hits requests, in the order stats report
// them (ReplicationPause never does, so it is not counted).
var Kinds = []Kind{Latency, Throttle, Error, Outage, Drop}

// kindNames is the list error messages show.
const kindNames = "latency, throttle, error, outage, drop, replicationPause, vmFailure"

// Limits on rule values.
const (
	maxLatencyMs         = 10 * 60 * 1000
	maxRetryAfterSeconds = 3600
	defaultRetryAfter    = 1
)

// Rule is one active fault, as listed by the admin API.
type Rule struct {
	ID         string `json:"id"`
	Kind       Kind   `json:"kind"`
	PathPrefix string `json:"pathPrefix,omitempty"`
	Region     string `json:"region,omitempty"`
	// VMID is the ARM id of the one VM a replicationPause rule pauses.
	VMID              string `json:"vmId,omitempty"`
	LatencyMs         int    `json:"latencyMs,omitempty"`
	RetryAfterSeconds int    `json:"retryAfterSeconds,omitempty"`
	Status            int    `json:"status,omitempty"`
	// AfterHandling makes a drop rule close the connection after the
	// handler ran rather than before.
	AfterHandling bool    `json:"afterHandling,omitempty"`
	Rate          float64 `json:"rate"`
	// Count is how many more times the rule applies; absent means forever.
	Count *int `json:"count,omitempty"`
	// Applied counts the requests the rule has hit so far.
	Applied int `json:"applied"`
}

// ruleInput is the POST body; pointers tell absent from zero.
type ruleInput struct {
	Kind              *string  `json:"kind"`
	PathPrefix        *string  `json:"pathPrefix"`
	Region            *string  `json:"region"`
	VMID              *string  `json:"vmId"`
	LatencyMs         *int     `json:"latencyMs"`
	RetryAfterSeconds *int     `json:"retryAfterSeconds"`
	Status            *int     `json:"status"`
	AfterHandling     *bool    `json:"afterHandling"`
	Rate              *float64 `json:"rate"`
	Count             *int     `json:"count"`
}

// ParseRule decodes and validates a rule strictly: an unknown field, a value
// out of range or a field that does not apply to the kind is an error that
// names the field.
func ParseRule(body []byte) (Rule, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return Rule{}, errors.New(`a JSON rule is required, e.g. {"kind":"throttle","count":1}`)
	}
	var in ruleInput
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return Rule{}, fmt.Errorf("field %q: expected a %s", typeErr.Field, typeErr.Type)
		}
		return Rule{}, fmt.Errorf("invalid rule: %v", err)
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return Rule{}, errors.New("invalid rule: unexpected data after the JSON object")
	}
	return in.validate()
}

func (in ruleInput) validate() (Rule, error) {
	r := Rule{Rate: 1}
	if in.Kind == nil {
		return r, errors.New(`field "kind" is required: one of ` + kindNames)
	}
	r.Kind = Kind(*in.Kind)
	switch r.Kind {
	case Latency, Throttle, Error, Outage, Drop, ReplicationPause, VMFailure:
	default:
		return r, fmt.Errorf(`field "kind": %q is not one of %s`, *in.Kind, kindNames)
	}
	if in.PathPrefix != nil {
		if !strings.HasPrefix(*in.PathPrefix, "/") {
			return r, fmt.Errorf(`field "pathPrefix": %q must start with "/"`, *in.PathPrefix)
		}
		r.PathPrefix = *in.PathPrefix
	}
	if in.Region != nil {
		r.Region = regions.Canonical(*in.Region)
		if r.Region == "" {
			return r, fmt.Errorf(`field "region": %q is not a known Azure region`, *in.Region)
		}
	}
	if r.Kind == Outage && r.Region == "" {
		return r, errors.New(`field "region" is required for kind outage`)
	}
	if err := in.validateReplicationPause(&r); err != nil {
		return r, err
	}
	if err := in.validateKindFields(&r); err != nil {
		return r, err
	}
	if in.Rate != nil {
		if *in.Rate < 0 || *in.Rate > 1 {
			return r, fmt.Errorf(`field "rate": %v is not between 0 and 1`, *in.Rate)
		}
		r.Rate = *in.Rate
	}
	if in.Count != nil {
		if *in.Count < 1 {
			return r, fmt.Errorf(`field "count": %d must be at least 1`, *in.Count)
		}
		n := *in.Count
		r.Count = &n
	}
	return r, nil
}

// validateReplicationPause checks vmId and the fields a replicationPause
// rule cannot have: it names a region or one VM, and applies until removed.
func (in ruleInput) validateReplicationPause(r *Rule) error {
	if r.Kind != ReplicationPause && r.Kind != VMFailure {
		if in.VMID != nil {
			return errors.New(`field "vmId" applies only to kinds replicationPause and vmFailure`)
		}
		return nil
	}
	switch {
	case in.PathPrefix != nil:
		return fmt.Errorf(`field "pathPrefix" does not apply to kind %s: it touches no request`, r.Kind)
	case in.Rate != nil:
		return fmt.Errorf(`field "rate" does not apply to kind %s: it lasts until the rule is removed`, r.Kind)
	case in.Count != nil:
		return fmt.Errorf(`field "count" does not apply to kind %s: it lasts until the rule is removed`, r.Kind)
	}
	if r.Kind == VMFailure {
		if r.Region != "" {
			return errors.New(`field "region" does not apply to kind vmFailure: give the failed VM's "vmId"`)
		}
		if in.VMID == nil {
			return errors.New(`field "vmId" is required for kind vmFailure: the VM whose host fails`)
		}
	}
	if in.VMID != nil {
		if r.Region != "" {
			return errors.New(`fields "region" and "vmId" exclude each other for kind replicationPause: give one`)
		}
		if !vmIDPattern.MatchString(*in.VMID) {
			return fmt.Errorf(`field "vmId": %q is not a virtual machine id `+
				`(/subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name})`, *in.VMID)
		}
		r.VMID = *in.VMID
	} else if r.Region == "" {
		return errors.New(`kind replicationPause needs field "region" (pause every protected VM in that region) or field "vmId" (pause one VM)`)
	}
	return nil
}

// vmIDPattern is the shape of a VM's ARM id, matched without case.
var vmIDPattern = regexp.MustCompile(`(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft\.Compute/virtualMachines/[^/]+$`)

// PausesReplication reports whether the rule pauses Site Recovery
// replication: a replicationPause rule, or a region outage that is certain
// and lasting (no pathPrefix, rate 1, no count), since a region that is
// down sends no replication data. A flaky outage (rate below 1) or one that
// uses itself up does not.
func (r Rule) PausesReplication() bool {
	switch r.Kind {
	case ReplicationPause, VMFailure:
		return true
	case Outage:
		return r.PathPrefix == "" && r.Rate >= 1 && r.Count == nil
	}
	return false
}

// validateKindFields checks the fields that only some kinds use.
func (in ruleInput) validateKindFields(r *Rule) error {
	if in.LatencyMs != nil {
		if r.Kind != Latency {
			return errors.New(`field "latencyMs" applies only to kind latency`)
		}
		if *in.LatencyMs < 1 || *in.LatencyMs > maxLatencyMs {
			return fmt.Errorf(`field "latencyMs": %d is not between 1 and %d`, *in.LatencyMs, maxLatencyMs)
		}
		r.LatencyMs = *in.LatencyMs
	} else if r.Kind == Latency {
		return errors.New(`field "latencyMs" is required for kind latency`)
	}
	if in.Status != nil {
		if r.Kind != Error {
			return errors.New(`field "status" applies only to kind error`)
		}
		if *in.Status < 500 || *in.Status > 599 {
			return fmt.Errorf(`field "status": %d is not a 5xx status`, *in.Status)
		}
		r.Status = *in.Status
	} else if r.Kind == Error {
		r.Status = http.StatusInternalServerError
	}
	if in.AfterHandling != nil {
		if r.Kind != Drop {
			return errors.New(`field "afterHandling" applies only to kind drop`)
		}
		r.AfterHandling = *in.AfterHandling
	}
	if in.RetryAfterSeconds != nil {
		if r.Kind == Latency || r.Kind == Drop || r.Kind == ReplicationPause || r.Kind == VMFailure {
			return fmt.Errorf(`field "retryAfterSeconds" does not apply to kind %s`, r.Kind)
		}
		if *in.RetryAfterSeconds < 1 || *in.RetryAfterSeconds > maxRetryAfterSeconds {
			return fmt.Errorf(`field "retryAfterSeconds": %d is not between 1 and %d`, *in.RetryAfterSeconds, maxRetryAfterSeconds)
		}
		r.RetryAfterSeconds = *in.RetryAfterSeconds
	} else if r.Kind == Throttle {
		r.RetryAfterSeconds = defaultRetryAfter
	}
	return nil
}

// Refusal is the ARM error a refusing rule answers with.
func (r Rule) Refusal() *arm.Error {
	var e *arm.Error
	switch r.Kind {
	case Throttle:
		return arm.TooManyRequests(r.RetryAfterSeconds)
	case Error:
		e = arm.ServerError(r.Status)
	case Outage:
		e = arm.RegionUnavailable(r.Region)
	default:
		return nil
	}
	e.RetryAfter = r.RetryAfterSeconds
	return e
}
