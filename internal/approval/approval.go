// Package approval is the approval gate for real failovers. A recovery plan's
// planned or unplanned failover, commit, re-protect or failback runs only with
// an approval signed by one of the site's pre-appointed approvers (after Plan
// B's rule: "all invocations must be authorised by a pre-appointed client
// executive"). Test failovers (drills) need none.
//
// An approval names the recovery plan (its ARM id, compared
// case-insensitively), the action, an expiry and the approver, and may carry
// a reason. It travels as one copy-pasteable line:
//
//	azuredr-approval-v1.<payload>.<signature>
//
// where <payload> is the base64url (RFC 4648 §5, no padding) encoding of the
// canonical JSON payload and <signature> the base64url encoding of the
// 64-byte Ed25519 signature (RFC 8032) of the signed message
//
//	"azuredr-approval-v1." || canonical JSON payload
//
// The canonical JSON payload is one object with these members, in this
// order, without white space, strings escaped as Go's encoding/json does:
//
//	{"plan_id":"...","action":"...","expires":"2006-01-02T15:04:05Z","approver":"...","reason":"..."}
//
// "expires" is RFC 3339 in UTC with whole seconds; "reason" is left out when
// empty. JSON quotes every field, so no two different approvals share an
// encoding, and the prefix keeps a signature for this purpose from being
// valid for any other. Parse refuses a payload that is not byte for byte
// the canonical encoding of what it decodes to (other member order, unknown
// or duplicate members, white space, another time zone): an approval has
// exactly one token per key, and what was signed is what is checked.
//
// The package knows nothing of Terraform: the provider stores approvers'
// public keys on the site (azuredr_site's approver blocks) and the failover
// resource calls Verify; cmd/azuredr-approve makes keys and signs.
package approval

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// Prefix starts every token; the "v1" is the version of this format.
const Prefix = "azuredr-approval-v1."

// MaxValidity caps how far in the future an approval may expire, so that a
// leaked token cannot be replayed for long. Verify refuses longer ones.
const MaxValidity = 7 * 24 * time.Hour

// Action is what an approval allows on a recovery plan.
type Action string

// The actions that need an approval. Test failovers need none. A2A has
// one failover (Site Recovery's unplanned failover, shutting the source
// VMs down first when the primary is reachable), so one action approves
// it; failback is the failover back, approved on its own.
const (
	Failover  Action = "failover"
	Failback  Action = "failback"
	Commit    Action = "commit"
	Reprotect Action = "reprotect"
)

// Actions lists every action, in the order of a recovery's life.
func Actions() []Action {
	return []Action{Failover, Commit, Reprotect, Failback}
}

// retiredActions are action names earlier versions signed, with the
// action that replaced them: a token naming one is refused with what to
// sign instead (ErrRetiredAction).
var retiredActions = map[Action]Action{
	"planned_failover":   Failover,
	"unplanned_failover": Failover,
}

// Valid says whether a is one of Actions.
func (a Action) Valid() bool {
	for _, b := range Actions() {
		if a == b {
			return true
		}
	}
	return false
}

// ParseAction returns the action named s, or an error listing the valid ones.
func ParseAction(s string) (Action, error) {
	if a := Action(s); a.Valid() {
		return a, nil
	}
	return "", fmt.Errorf("unknown action %q: use one of %s", s, actionList())
}

func actionList() string {
	names := make([]string, 0, len(Actions()))
	for _, a := range Actions() {
		names = append(names, string(a))
	}
	return strings.Join(names, ", ")
}

// Approval is what an approver signs.
type Approval struct {
	// PlanID is the ARM id of the recovery plan the approval is for.
	PlanID string
	// Action is what may be done to the plan.
	Action Action
	// Expires is when the approval stops being valid (whole seconds, UTC).
	Expires time.Time
	// Approver is the name of the approver who signed, as configured in the
	// site's approver blocks.
	Approver string
	// Reason is an optional free text, for the audit trail.
	Reason string
}

// Approver is a pre-appointed approver: a name and an Ed25519 public key.
type Approver struct {
	Name      string
	PublicKey ed25519.PublicKey
}

// Want is what an approval must be for.
type Want struct {
	PlanID string
	Action Action
}

// Errors of Parse and Verify. Each error returned wraps exactly one of them
// (test with errors.Is) and says more.
var (
	ErrMalformed       = errors.New("malformed approval")
	ErrNoApprovers     = errors.New("no approvers configured")
	ErrUnknownApprover = errors.New("unknown approver")
	ErrBadSignature    = errors.New("bad signature: the approval was not signed by that approver's key, or was changed after signing")
	ErrWrongPlan       = errors.New("approval is for another recovery plan")
	ErrWrongAction     = errors.New("approval is for another action")
	ErrExpired         = errors.New("approval expired")
	ErrTooLong         = errors.New("approval expires too far in the future")
	ErrRetiredAction   = errors.New("approval names an action this provider no longer has")
)

// Limits on the fields, so a token stays a line one can paste.
const (
	maxPlanID = 1024
	maxReason = 512
)

var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// ValidateName checks an approver's name: 1-64 letters, digits, '.', '_',
// '@' and '-', starting with a letter or digit (it becomes part of an Azure
// tag name, where < > % & \ ? / are not allowed).
func ValidateName(name string) error {
	if !namePattern.MatchString(name) {
		return fmt.Errorf("approver name %q must be 1-64 letters, digits, '.', '_', '@' and '-', starting with a letter or digit", name)
	}
	return nil
}

// payload is the canonical JSON form; the field order is the encoding's.
type payload struct {
	PlanID   string `json:"plan_id"`
	Action   string `json:"action"`
	Expires  string `json:"expires"`
	Approver string `json:"approver"`
	Reason   string `json:"reason,omitempty"`
}

// check returns what makes a not signable, or nil.
func (a Approval) check() error {
	switch {
	case a.PlanID == "":
		return errors.New("plan id is empty")
	case len(a.PlanID) > maxPlanID:
		return fmt.Errorf("plan id is longer than %d characters", maxPlanID)
	case strings.IndexFunc(a.PlanID, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return fmt.Errorf("plan id %q contains white space or control characters", a.PlanID)
	case !a.Action.Valid():
		return fmt.Errorf("unknown action %q: use one of %s", a.Action, actionList())
	case a.Expires.IsZero():
		return errors.New("expiry is not set")
	case a.Expires.Year() < 2000 || a.Expires.Year() > 9999:
		return fmt.Errorf("expiry %s is out of range", a.Expires.Format(time.RFC3339))
	case len(a.Reason) > maxReason:
		return fmt.Errorf("reason is longer than %d bytes", maxReason)
	case strings.IndexFunc(a.Reason, unicode.IsControl) >= 0:
		return errors.New("reason contains control characters (line breaks, tabs)")
	}
	return ValidateName(a.Approver)
}

// canonical is the payload's one encoding. a must have passed check.
func (a Approval) canonical() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Keep <, > and & as they are: nothing here goes into HTML.
	enc.SetEscapeHTML(false)
	_ = enc.Encode(payload{
		PlanID:   a.PlanID,
		Action:   string(a.Action),
		Expires:  a.Expires.UTC().Format(time.RFC3339),
		Approver: a.Approver,
		Reason:   a.Reason,
	}) // cannot fail: strings only
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// signedMessage is what the signature covers.
func signedMessage(canonicalPayload []byte) []byte {
	return append([]byte(Prefix), canonicalPayload...)
}

var b64 = base64.RawURLEncoding.Strict()

// Sign returns the token of a signed by priv. Expires is truncated to whole
// seconds. Sign checks the fields, not the expiry against the clock: Verify
// does that.
func Sign(priv ed25519.PrivateKey, a Approval) (string, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return "", fmt.Errorf("private key has %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	a.Expires = a.Expires.UTC().Truncate(time.Second)
	if err := a.check(); err != nil {
		return "", fmt.Errorf("cannot sign: %w", err)
	}
	p := a.canonical()
	sig := ed25519.Sign(priv, signedMessage(p))
	return Prefix + b64.EncodeToString(p) + "." + b64.EncodeToString(sig), nil
}

// Parse decodes a token without verifying it: the approval it claims and
// its signature. Errors wrap ErrMalformed. Surrounding white space (as a
// paste brings) is ignored.
func Parse(token string) (Approval, []byte, error) {
	token = strings.TrimSpace(token)
	malformed := func(format string, args ...any) (Approval, []byte, error) {
		return Approval{}, nil, fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
	}
	if !strings.HasPrefix(token, Prefix) {
		if strings.HasPrefix(token, "azuredr-approval-") {
			return malformed("unsupported version %q; this provider reads %q tokens", strings.SplitN(token, ".", 2)[0], strings.TrimSuffix(Prefix, "."))
		}
		return malformed("a token starts with %q (made by `azuredr-approve sign`)", Prefix)
	}
	parts := strings.Split(strings.TrimPrefix(token, Prefix), ".")
	if len(parts) != 2 {
		return malformed("want %s<payload>.<signature>, found %d dot-separated parts after the prefix", Prefix, len(parts))
	}
	raw, err := b64.DecodeString(parts[0])
	if err != nil {
		return malformed("payload is not base64url: %v (was the token cut or wrapped when copied?)", err)
	}
	sig, err := b64.DecodeString(parts[1])
	if err != nil {
		return malformed("signature is not base64url: %v (was the token cut or wrapped when copied?)", err)
	}
	if len(sig) != ed25519.SignatureSize {
		return malformed("signature has %d bytes, want %d (was the token cut when copied?)", len(sig), ed25519.SignatureSize)
	}
	var p payload
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return malformed("payload is not an approval: %v", err)
	}
	if dec.More() {
		return malformed("payload has data after the approval")
	}
	expires, err := time.Parse(time.RFC3339, p.Expires)
	if err != nil {
		return malformed("expiry %q is not an RFC 3339 time", p.Expires)
	}
	a := Approval{PlanID: p.PlanID, Action: Action(p.Action), Expires: expires, Approver: p.Approver, Reason: p.Reason}
	if now, ok := retiredActions[a.Action]; ok {
		return Approval{}, nil, fmt.Errorf("%w: %s signed %q on %s, and Azure to Azure replication has no planned/unplanned choice (a failover is Site Recovery's unplanned failover, shutting the source VMs down first with shutdown_source_vms): ask for a new approval, `go run ./cmd/azuredr-approve sign -key KEY -plan %s -action %s`",
			ErrRetiredAction, p.Approver, a.Action, p.PlanID, p.PlanID, now)
	}
	if err := a.check(); err != nil {
		return malformed("%v", err)
	}
	if !bytes.Equal(a.canonical(), raw) {
		return malformed("payload is not in canonical form (members in order plan_id, action, expires, approver, reason; no white space; expiry in UTC)")
	}
	a.Expires = a.Expires.UTC()
	return a, sig, nil
}

// Verify checks that token is a valid approval for want at time now, signed
// by one of approvers (matched by name, case-insensitively), and returns it.
// The checks run in this order, and the error wraps the first that fails:
// ErrMalformed, ErrNoApprovers, ErrUnknownApprover, ErrBadSignature,
// ErrWrongPlan, ErrWrongAction, ErrExpired, ErrTooLong. The signature is
// checked before what the approval says, so a changed token is reported as
// changed rather than by what was changed.
func Verify(token string, approvers []Approver, want Want, now time.Time) (*Approval, error) {
	a, sig, err := Parse(token)
	if err != nil {
		return nil, err
	}
	if len(approvers) == 0 {
		return nil, fmt.Errorf("%w: the site has no approver blocks, so no real failover can be approved; add one (go run ./cmd/azuredr-approve keygen)", ErrNoApprovers)
	}
	var keys []ed25519.PublicKey
	for _, ap := range approvers {
		if strings.EqualFold(ap.Name, a.Approver) {
			keys = append(keys, ap.PublicKey)
		}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: the approval is signed as %q, who is not among the site's approvers (%s)", ErrUnknownApprover, a.Approver, names(approvers))
	}
	msg := signedMessage(a.canonical())
	signed := false
	for _, k := range keys {
		if len(k) == ed25519.PublicKeySize && ed25519.Verify(k, msg, sig) {
			signed = true
			break
		}
	}
	if !signed {
		return nil, fmt.Errorf("%w (approver %q)", ErrBadSignature, a.Approver)
	}
	if !strings.EqualFold(a.PlanID, want.PlanID) {
		return nil, fmt.Errorf("%w: it approves %q, not %q", ErrWrongPlan, a.PlanID, want.PlanID)
	}
	if a.Action != want.Action {
		return nil, fmt.Errorf("%w: it approves %s, not %s", ErrWrongAction, a.Action, want.Action)
	}
	if !now.Before(a.Expires) {
		return nil, fmt.Errorf("%w at %s (%s ago); ask %s for a new one", ErrExpired,
			a.Expires.Format(time.RFC3339), now.Sub(a.Expires).Truncate(time.Second), a.Approver)
	}
	if left := a.Expires.Sub(now); left > MaxValidity {
		return nil, fmt.Errorf("%w: it expires at %s, in %s; the limit is %s, to limit replay of a leaked approval (sign with a shorter -expires)", ErrTooLong,
			a.Expires.Format(time.RFC3339), left.Truncate(time.Second), MaxValidity)
	}
	return &a, nil
}

func names(approvers []Approver) string {
	out := make([]string, len(approvers))
	for i, ap := range approvers {
		out[i] = ap.Name
	}
	return strings.Join(out, ", ")
}
