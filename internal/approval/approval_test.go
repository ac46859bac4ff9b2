package approval

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// Tests use a fixed clock: nothing here reads the wall clock.
var now = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

const planID = "/subscriptions/0b5a4c1e-7d2f-4e8a-9b3c-1d2e3f4a5b6c/resourceGroups/cms-dr/providers/Microsoft.RecoveryServices/vaults/cms-vault/replicationRecoveryPlans/web"

func key(t *testing.T, b byte) ed25519.PrivateKey {
	t.Helper()
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, ed25519.SeedSize))
}

func pub(priv ed25519.PrivateKey) ed25519.PublicKey {
	p, _ := priv.Public().(ed25519.PublicKey)
	return p
}

func approval() Approval {
	return Approval{PlanID: planID, Action: Failover, Expires: now.Add(2 * time.Hour), Approver: "alice", Reason: "datacentre power work"}
}

func sign(t *testing.T, priv ed25519.PrivateKey, a Approval) string {
	t.Helper()
	tok, err := Sign(priv, a)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	return tok
}

func approvers(t *testing.T) []Approver {
	return []Approver{{Name: "alice", PublicKey: pub(key(t, 1))}, {Name: "bob", PublicKey: pub(key(t, 2))}}
}

func want() Want { return Want{PlanID: planID, Action: Failover} }

func TestVerifyAcceptsValidApprovals(t *testing.T) {
	cases := map[string]struct {
		signer ed25519.PrivateKey
		edit   func(*Approval)
		want   Want
		now    time.Time
	}{
		"failover":                      {key(t, 1), nil, want(), now},
		"second approver":               {key(t, 2), func(a *Approval) { a.Approver = "bob" }, want(), now},
		"no reason":                     {key(t, 1), func(a *Approval) { a.Reason = "" }, want(), now},
		"plan id in other case":         {key(t, 1), func(a *Approval) { a.PlanID = strings.ToUpper(planID) }, want(), now},
		"approver name in other case":   {key(t, 1), func(a *Approval) { a.Approver = "Alice" }, want(), now},
		"one second before expiry":      {key(t, 1), nil, want(), now.Add(2*time.Hour - time.Second)},
		"exactly the maximum validity":  {key(t, 1), func(a *Approval) { a.Expires = now.Add(MaxValidity) }, want(), now},
		"reason with quotes and markup": {key(t, 1), func(a *Approval) { a.Reason = `"fire" in <DC1> & "DC2" — ünïcode` }, want(), now},
		"expiry in another zone": {key(t, 1), func(a *Approval) {
			a.Expires = now.Add(time.Hour).In(time.FixedZone("CET", 3600))
		}, want(), now},
	}
	for _, a := range Actions() {
		cases["action "+string(a)] = struct {
			signer ed25519.PrivateKey
			edit   func(*Approval)
			want   Want
			now    time.Time
		}{key(t, 1), func(ap *Approval) { ap.Action = a }, Want{PlanID: planID, Action: a}, now}
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a := approval()
			if tc.edit != nil {
				tc.edit(&a)
			}
			got, err := Verify(sign(t, tc.signer, a), approvers(t), tc.want, tc.now)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got.PlanID != a.PlanID || got.Action != a.Action || got.Approver != a.Approver || got.Reason != a.Reason || !got.Expires.Equal(a.Expires) {
				t.Fatalf("Verify returned %+v, want %+v", *got, a)
			}
			if got.Expires.Location() != time.UTC {
				t.Fatalf("expiry must come back in UTC, got %v", got.Expires.Location())
			}
		})
	}
}

func TestVerifyRefuses(t *testing.T) {
	good := func(t *testing.T) string { return sign(t, key(t, 1), approval()) }
	cases := map[string]struct {
		token     func(t *testing.T) string
		approvers []Approver
		want      Want
		now       time.Time
		err       error
		msg       string
	}{
		"empty":                {func(*testing.T) string { return "" }, nil, want(), now, ErrMalformed, "starts with"},
		"not a token":          {func(*testing.T) string { return "yes, go ahead" }, nil, want(), now, ErrMalformed, "starts with"},
		"other version":        {func(t *testing.T) string { return strings.Replace(good(t), "-v1.", "-v2.", 1) }, nil, want(), now, ErrMalformed, "unsupported version"},
		"cut short":            {func(t *testing.T) string { tok := good(t); return tok[:len(tok)-10] }, nil, want(), now, ErrMalformed, "signature"},
		"signature missing":    {func(t *testing.T) string { return good(t)[:strings.LastIndex(good(t), ".")] }, nil, want(), now, ErrMalformed, "parts"},
		"extra part":           {func(t *testing.T) string { return good(t) + ".x" }, nil, want(), now, ErrMalformed, "parts"},
		"payload not base64":   {func(*testing.T) string { return Prefix + "!!!." + b64.EncodeToString(make([]byte, 64)) }, nil, want(), now, ErrMalformed, "payload is not base64url"},
		"signature not base64": {func(t *testing.T) string { return good(t)[:strings.LastIndex(good(t), ".")] + ".***" }, nil, want(), now, ErrMalformed, "signature is not base64url"},
		"payload not json":     {func(t *testing.T) string { return forge(t, []byte("plan please")) }, nil, want(), now, ErrMalformed, "not an approval"},
		"unknown member":       {func(t *testing.T) string { return forge(t, withMember(t, "role", "admin")) }, nil, want(), now, ErrMalformed, "unknown field"},
		"trailing data":        {func(t *testing.T) string { return forge(t, append(approval().canonical(), []byte(`{}`)...)) }, nil, want(), now, ErrMalformed, "after the approval"},
		"white space":          {func(t *testing.T) string { return forge(t, indent(t, approval().canonical())) }, nil, want(), now, ErrMalformed, "canonical"},
		"members reordered": {func(t *testing.T) string {
			return forge(t, []byte(`{"action":"failover","plan_id":"`+planID+`","expires":"2026-03-14T11:30:00Z","approver":"alice"}`))
		}, nil, want(), now, ErrMalformed, "canonical"},
		"signed with a retired action": {func(t *testing.T) string {
			return forge(t, []byte(`{"plan_id":"`+planID+`","action":"planned_failover","expires":"2026-03-14T11:30:00Z","approver":"alice"}`))
		}, nil, want(), now, ErrRetiredAction, "-plan " + planID + " -action failover"},
		"duplicate member": {func(t *testing.T) string {
			p := approval()
			p.Reason = ""
			c := p.canonical()
			return forge(t, append(c[:len(c)-1], []byte(`,"action":"failback"}`)...))
		}, nil, want(), now, ErrMalformed, "canonical"},
		"expiry with offset": {func(t *testing.T) string {
			return forge(t, []byte(`{"plan_id":"`+planID+`","action":"failover","expires":"2026-03-14T12:30:00+01:00","approver":"alice"}`))
		}, nil, want(), now, ErrMalformed, "canonical"},
		"expiry not a time": {func(t *testing.T) string {
			return forge(t, []byte(`{"plan_id":"`+planID+`","action":"failover","expires":"tomorrow","approver":"alice"}`))
		}, nil, want(), now, ErrMalformed, "RFC 3339"},
		"unknown action in payload": {func(t *testing.T) string {
			return forge(t, []byte(`{"plan_id":"`+planID+`","action":"delete_everything","expires":"2026-03-14T11:30:00Z","approver":"alice"}`))
		}, nil, want(), now, ErrMalformed, "unknown action"},
		"no approvers":                         {good, nil, want(), now, ErrNoApprovers, "no approver blocks"},
		"unknown approver":                     {good, []Approver{{Name: "bob", PublicKey: pub(key(t, 2))}}, want(), now, ErrUnknownApprover, `"alice", who is not among the site's approvers (bob)`},
		"forged: other key under a known name": {func(t *testing.T) string { return sign(t, key(t, 9), approval()) }, nil, want(), now, ErrBadSignature, `approver "alice"`},
		"signed by bob as alice":               {func(t *testing.T) string { return sign(t, key(t, 2), approval()) }, nil, want(), now, ErrBadSignature, ""},
		"wrong plan":                           {good, nil, Want{PlanID: strings.Replace(planID, "/web", "/db", 1), Action: Failover}, now, ErrWrongPlan, "replicationRecoveryPlans/db"},
		"wrong action":                         {good, nil, Want{PlanID: planID, Action: Failback}, now, ErrWrongAction, "it approves failover, not failback"},
		"expired":                              {good, nil, want(), now.Add(5 * time.Hour), ErrExpired, "at 2026-03-14T11:30:00Z (3h0m0s ago); ask alice"},
		"expired just now":                     {good, nil, want(), now.Add(2 * time.Hour), ErrExpired, "2026-03-14T11:30:00Z"},
		"expires too late": {func(t *testing.T) string {
			a := approval()
			a.Expires = now.Add(MaxValidity + time.Second)
			return sign(t, key(t, 1), a)
		}, nil, want(), now, ErrTooLong, "the limit is 168h0m0s"},
		"signed a year out": {func(t *testing.T) string {
			a := approval()
			a.Expires = now.AddDate(1, 0, 0)
			return sign(t, key(t, 1), a)
		}, nil, want(), now, ErrTooLong, "2027-03-14T09:30:00Z"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			aps := tc.approvers
			if aps == nil && !errors.Is(tc.err, ErrNoApprovers) {
				aps = approvers(t)
			}
			got, err := Verify(tc.token(t), aps, tc.want, tc.now)
			if err == nil {
				t.Fatalf("Verify accepted %+v", *got)
			}
			assertOnly(t, err, tc.err)
			if !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

// Changing any field of a signed token, however it is re-encoded, breaks the
// signature: the canonical encoding leaves no field unsigned.
func TestVerifyDetectsTamperingWithEachField(t *testing.T) {
	tok := sign(t, key(t, 1), approval())
	a, sig, err := Parse(tok)
	if err != nil {
		t.Fatal(err)
	}
	edits := map[string]func(*Approval){
		"plan id":   func(a *Approval) { a.PlanID = strings.Replace(a.PlanID, "/web", "/db", 1) },
		"action":    func(a *Approval) { a.Action = Failback },
		"expiry":    func(a *Approval) { a.Expires = a.Expires.Add(time.Hour) },
		"approver":  func(a *Approval) { a.Approver = "bob" },
		"reason":    func(a *Approval) { a.Reason = "because" },
		"no reason": func(a *Approval) { a.Reason = "" },
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			b := a
			edit(&b)
			tampered := Prefix + b64.EncodeToString(b.canonical()) + "." + b64.EncodeToString(sig)
			w := Want{PlanID: b.PlanID, Action: b.Action}
			_, err := Verify(tampered, approvers(t), w, now)
			assertOnly(t, err, ErrBadSignature)
		})
	}
	t.Run("signature", func(t *testing.T) {
		bad := append([]byte(nil), sig...)
		bad[10] ^= 1
		_, err := Verify(Prefix+b64.EncodeToString(a.canonical())+"."+b64.EncodeToString(bad), approvers(t), want(), now)
		assertOnly(t, err, ErrBadSignature)
	})
	t.Run("every payload byte", func(t *testing.T) {
		raw := a.canonical()
		for i := range raw {
			p := append([]byte(nil), raw...)
			p[i] ^= 0x01
			_, err := Verify(Prefix+b64.EncodeToString(p)+"."+b64.EncodeToString(sig), approvers(t), want(), now)
			if err == nil {
				t.Fatalf("flipping byte %d (%q) was accepted", i, raw[i])
			}
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrBadSignature) && !errors.Is(err, ErrUnknownApprover) {
				t.Fatalf("flipping byte %d (%q): %v", i, raw[i], err)
			}
		}
	})
}

func TestSignRefusesIncompleteApprovals(t *testing.T) {
	cases := map[string]func(*Approval){
		"no plan":          func(a *Approval) { a.PlanID = "" },
		"plan with spaces": func(a *Approval) { a.PlanID = planID + " x" },
		"plan too long":    func(a *Approval) { a.PlanID = "/" + strings.Repeat("p", maxPlanID) },
		"no action":        func(a *Approval) { a.Action = "" },
		"unknown action":   func(a *Approval) { a.Action = "test_failover" },
		"no expiry":        func(a *Approval) { a.Expires = time.Time{} },
		"no approver":      func(a *Approval) { a.Approver = "" },
		"bad approver":     func(a *Approval) { a.Approver = "alice/bob" },
		"reason too long":  func(a *Approval) { a.Reason = strings.Repeat("r", maxReason+1) },
		"reason newline":   func(a *Approval) { a.Reason = "line\nbreak" },
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			a := approval()
			edit(&a)
			if tok, err := Sign(key(t, 1), a); err == nil {
				t.Fatalf("Sign accepted %+v: %s", a, tok)
			}
		})
	}
	if _, err := Sign(ed25519.PrivateKey{1, 2, 3}, approval()); err == nil {
		t.Fatal("Sign accepted a short private key")
	}
}

func TestTokenFormat(t *testing.T) {
	a := approval()
	a.Expires = a.Expires.Add(700 * time.Millisecond) // truncated to whole seconds
	tok := sign(t, key(t, 1), a)
	if strings.ContainsAny(tok, " \n\t=+/") {
		t.Fatalf("token must be one copy-pasteable line of base64url: %q", tok)
	}
	parts := strings.Split(strings.TrimPrefix(tok, Prefix), ".")
	if !strings.HasPrefix(tok, Prefix) || len(parts) != 2 {
		t.Fatalf("token %q is not %s<payload>.<signature>", tok, Prefix)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[0])
	wantPayload := `{"plan_id":"` + planID + `","action":"failover","expires":"2026-03-14T11:30:00Z","approver":"alice","reason":"datacentre power work"}`
	if string(raw) != wantPayload {
		t.Fatalf("payload\n%s\nwant\n%s", raw, wantPayload)
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if !ed25519.Verify(pub(key(t, 1)), append([]byte(Prefix), raw...), sig) {
		t.Fatal("the signature must cover the prefix and the payload bytes")
	}
	// Ed25519 is deterministic: the same approval signs to the same token.
	if again := sign(t, key(t, 1), a); again != tok {
		t.Fatal("signing twice gave two tokens")
	}
	// A pasted token keeps working with surrounding white space.
	if _, err := Verify("  "+tok+"\n", approvers(t), want(), now); err != nil {
		t.Fatal(err)
	}
}

func TestParseReturnsTheClaimedApproval(t *testing.T) {
	tok := sign(t, key(t, 9), approval()) // any key: Parse does not verify
	a, sig, err := Parse(tok)
	if err != nil {
		t.Fatal(err)
	}
	if a.Approver != "alice" || a.Action != Failover || !a.Expires.Equal(now.Add(2*time.Hour)) || len(sig) != ed25519.SignatureSize {
		t.Fatalf("Parse = %+v, %d-byte signature", a, len(sig))
	}
}

func TestParseAction(t *testing.T) {
	for _, a := range Actions() {
		if got, err := ParseAction(string(a)); err != nil || got != a {
			t.Fatalf("ParseAction(%q) = %q, %v", a, got, err)
		}
	}
	_, err := ParseAction("test_failover")
	if err == nil || !strings.Contains(err.Error(), "failover, commit, reprotect, failback") {
		t.Fatalf("ParseAction must list the actions, got %v", err)
	}
}

func TestValidateName(t *testing.T) {
	for _, ok := range []string{"a", "alice", "ops.lead", "jane_doe", "cio@contoso.com", strings.Repeat("x", 64)} {
		if err := ValidateName(ok); err != nil {
			t.Errorf("ValidateName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "-alice", "alice bob", "a/b", "a%b", "a?b", strings.Repeat("x", 65), "élise"} {
		if err := ValidateName(bad); err == nil {
			t.Errorf("ValidateName(%q) accepted", bad)
		}
	}
}

// assertOnly checks that err wraps want and none of the other errors.
func assertOnly(t *testing.T, err, want error) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", want)
	}
	for _, e := range []error{ErrMalformed, ErrNoApprovers, ErrUnknownApprover, ErrBadSignature, ErrWrongPlan, ErrWrongAction, ErrExpired, ErrTooLong, ErrRetiredAction} {
		if errors.Is(err, e) != (e == want) {
			t.Fatalf("error %q: errors.Is(%v) = %v", err, e, errors.Is(err, e))
		}
	}
}

// forge makes a token of an arbitrary payload, correctly signed by alice,
// so that only the payload's form is under test.
func forge(t *testing.T, payload []byte) string {
	sig := ed25519.Sign(key(t, 1), append([]byte(Prefix), payload...))
	return Prefix + b64.EncodeToString(payload) + "." + b64.EncodeToString(sig)
}

func withMember(t *testing.T, k, v string) []byte {
	t.Helper()
	c := approval().canonical()
	extra, err := json.Marshal(map[string]string{k: v})
	if err != nil {
		t.Fatal(err)
	}
	return append(c[:len(c)-1], append([]byte(","), extra[1:]...)...)
}

func indent(t *testing.T, b []byte) []byte {
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
