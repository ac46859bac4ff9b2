package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/approval"
)

// A fixed clock: the tests never read the wall clock.
var now = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

const plan = "/subscriptions/0b5a4c1e-7d2f-4e8a-9b3c-1d2e3f4a5b6c/resourceGroups/cms-dr/providers/Microsoft.RecoveryServices/vaults/cms-vault/replicationRecoveryPlans/web"

type result struct {
	code           int
	stdout, stderr string
}

func runAt(t *testing.T, at time.Time, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb, func() time.Time { return at })
	return result{code, out.String(), errb.String()}
}

func runNow(t *testing.T, args ...string) result { t.Helper(); return runAt(t, now, "", args...) }

var blockPattern = regexp.MustCompile(`name\s+= "([^"]+)"\s+public_key = "(ed25519:[A-Za-z0-9+/=]+)"`)

// keygen returns the key file and the approver flag for verify.
func keygen(t *testing.T, name string) (file, approver string) {
	t.Helper()
	file = filepath.Join(t.TempDir(), name+".key")
	r := runNow(t, "keygen", "-name", name, "-out", file)
	if r.code != 0 {
		t.Fatalf("keygen: exit %d: %s", r.code, r.stderr)
	}
	m := blockPattern.FindStringSubmatch(r.stdout)
	if m == nil || m[1] != name {
		t.Fatalf("keygen must print the approver block, got %q", r.stdout)
	}
	return file, m[1] + "=" + m[2]
}

func TestKeygenSignVerify(t *testing.T) {
	aliceKey, alice := keygen(t, "alice")
	_, bob := keygen(t, "bob")

	info, err := os.Stat(aliceKey)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 && !isWindows() {
		t.Fatalf("key file mode %04o, want 0600", perm)
	}

	r := runNow(t, "sign", "-key", aliceKey, "-plan", plan, "-action", "failover", "-expires", "2h", "-reason", "power work in DC1")
	if r.code != 0 {
		t.Fatalf("sign: exit %d: %s", r.code, r.stderr)
	}
	token := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(token, approval.Prefix) || strings.Contains(token, "\n") {
		t.Fatalf("sign must print one token line, got %q", r.stdout)
	}
	if !strings.Contains(r.stderr, "valid until 2026-03-14T11:30:00Z") {
		t.Fatalf("sign must say until when the approval is valid, got %q", r.stderr)
	}

	r = runNow(t, "verify", "-token", token, "-plan", strings.ToLower(plan), "-action", "failover", "-approver", bob, "-approver", alice)
	if r.code != 0 {
		t.Fatalf("verify: exit %d: %s", r.code, r.stderr)
	}
	if want := "valid: alice approved failover on " + plan + " until 2026-03-14T11:30:00Z (reason: power work in DC1)\n"; r.stdout != want {
		t.Fatalf("verify printed %q, want %q", r.stdout, want)
	}

	// From stdin, as in: azuredr-approve sign ... | azuredr-approve verify -token - ...
	r = runAt(t, now, token+"\n", "verify", "-token", "-", "-plan", plan, "-action", "failover", "-approver", alice)
	if r.code != 0 {
		t.Fatalf("verify from stdin: exit %d: %s", r.code, r.stderr)
	}

	// pubkey prints the same block keygen did.
	r = runNow(t, "pubkey", "-key", aliceKey)
	if m := blockPattern.FindStringSubmatch(r.stdout); r.code != 0 || m == nil || m[1]+"="+m[2] != alice {
		t.Fatalf("pubkey: exit %d, %q", r.code, r.stdout)
	}
}

func TestVerifyRefusals(t *testing.T) {
	aliceKey, alice := keygen(t, "alice")
	_, bob := keygen(t, "bob")
	_, mallory := keygen(t, "mallory")
	// mallory's key under alice's name: a forgery.
	forgedAlice := "alice=" + strings.SplitN(mallory, "=", 2)[1]
	sign := func(args ...string) string {
		r := runNow(t, append([]string{"sign", "-key", aliceKey, "-plan", plan}, args...)...)
		if r.code != 0 {
			t.Fatalf("sign: %s", r.stderr)
		}
		return strings.TrimSpace(r.stdout)
	}
	token := sign("-action", "failover", "-expires", "1h")

	cases := map[string]struct {
		at   time.Time
		args []string
		msg  string
	}{
		"malformed":        {now, []string{"-token", "please go ahead", "-plan", plan, "-action", "failover", "-approver", alice}, "malformed approval"},
		"unknown approver": {now, []string{"-token", token, "-plan", plan, "-action", "failover", "-approver", bob}, `unknown approver: the approval is signed as "alice"`},
		"forged":           {now, []string{"-token", token, "-plan", plan, "-action", "failover", "-approver", forgedAlice}, "bad signature"},
		"tampered":         {now, []string{"-token", token[:30] + flip(token[30]) + token[31:], "-plan", plan, "-action", "failover", "-approver", alice}, "approval"},
		"wrong plan":       {now, []string{"-token", token, "-plan", plan + "-db", "-action", "failover", "-approver", alice}, "another recovery plan"},
		"wrong action":     {now, []string{"-token", token, "-plan", plan, "-action", "failback", "-approver", alice}, "it approves failover, not failback"},
		"expired":          {now.Add(90 * time.Minute), []string{"-token", token, "-plan", plan, "-action", "failover", "-approver", alice}, "approval expired at 2026-03-14T10:30:00Z (30m0s ago)"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := runAt(t, tc.at, "", append([]string{"verify"}, tc.args...)...)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1; stderr %q", r.code, r.stderr)
			}
			if !strings.HasPrefix(r.stderr, "azuredr-approve: refused: ") || !strings.Contains(r.stderr, tc.msg) {
				t.Fatalf("stderr %q does not say %q", r.stderr, tc.msg)
			}
			if r.stdout != "" {
				t.Fatalf("a refusal must print nothing on stdout, got %q", r.stdout)
			}
		})
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

func TestUsageErrors(t *testing.T) {
	aliceKey, alice := keygen(t, "alice")
	dir := t.TempDir()
	cases := map[string]struct {
		args []string
		code int
		msg  string
	}{
		"no command":         {nil, 2, "Usage: azuredr-approve <command>"},
		"unknown command":    {[]string{"approve"}, 2, `unknown command "approve"`},
		"keygen no name":     {[]string{"keygen", "-out", filepath.Join(dir, "k")}, 2, "-name is required"},
		"keygen no out":      {[]string{"keygen", "-name", "alice"}, 2, "-out is required"},
		"keygen bad name":    {[]string{"keygen", "-name", "alice/bob", "-out", filepath.Join(dir, "k")}, 2, "1-64 letters"},
		"keygen overwrite":   {[]string{"keygen", "-name", "alice", "-out", aliceKey}, 1, "never overwrites"},
		"keygen extra arg":   {[]string{"keygen", "-name", "alice", "-out", filepath.Join(dir, "k"), "now"}, 2, `unexpected argument "now"`},
		"sign no expiry":     {[]string{"sign", "-key", aliceKey, "-plan", plan, "-action", "commit"}, 2, "-expires is required"},
		"sign bad action":    {[]string{"sign", "-key", aliceKey, "-plan", plan, "-action", "test_failover", "-expires", "1h"}, 2, "use one of failover"},
		"sign bad expiry":    {[]string{"sign", "-key", aliceKey, "-plan", plan, "-action", "commit", "-expires", "soon"}, 2, "neither a duration"},
		"sign negative":      {[]string{"sign", "-key", aliceKey, "-plan", plan, "-action", "commit", "-expires", "-1h"}, 2, "must be positive"},
		"sign too long":      {[]string{"sign", "-key", aliceKey, "-plan", plan, "-action", "commit", "-expires", "8d"}, 2, "more than 7 days ahead"},
		"sign in the past":   {[]string{"sign", "-key", aliceKey, "-plan", plan, "-action", "commit", "-expires", "2026-03-14T09:00:00Z"}, 2, "in the past"},
		"sign no key file":   {[]string{"sign", "-key", filepath.Join(dir, "missing"), "-plan", plan, "-action", "commit", "-expires", "1h"}, 1, "reading the key"},
		"sign bad plan":      {[]string{"sign", "-key", aliceKey, "-plan", "my plan", "-action", "commit", "-expires", "1h"}, 1, "white space"},
		"verify no approver": {[]string{"verify", "-token", "x", "-plan", plan, "-action", "commit"}, 2, "at least one -approver"},
		"verify bad approver": {[]string{"verify", "-token", "x", "-plan", plan, "-action", "commit", "-approver", "alice=ssh-ed25519 AAAA"}, 2,
			`does not start with "ed25519:"`},
		"verify approver no =": {[]string{"verify", "-token", "x", "-plan", plan, "-action", "commit", "-approver", "alice"}, 2, "want NAME=ed25519:KEY"},
		"verify no token":      {[]string{"verify", "-plan", plan, "-action", "commit", "-approver", alice}, 2, "-token is required"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := runNow(t, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) {
				t.Fatalf("exit %d, stderr %q; want exit %d saying %q", r.code, r.stderr, tc.code, tc.msg)
			}
		})
	}
}

func TestSignRefusesAKeyOthersCanRead(t *testing.T) {
	if isWindows() {
		t.Skip("file modes")
	}
	key, _ := keygen(t, "alice")
	if err := os.Chmod(key, 0o644); err != nil {
		t.Fatal(err)
	}
	r := runNow(t, "sign", "-key", key, "-plan", plan, "-action", "commit", "-expires", "1h")
	if r.code != 1 || !strings.Contains(r.stderr, "chmod 600") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestHelp(t *testing.T) {
	if r := runNow(t, "help"); r.code != 0 || !strings.Contains(r.stdout, "keygen") || !strings.Contains(r.stdout, "verify") {
		t.Fatalf("help: exit %d, %q", r.code, r.stdout)
	}
	if r := runNow(t, "sign", "-h"); r.code != 0 || !strings.Contains(r.stderr, "-expires duration") {
		t.Fatalf("sign -h: exit %d, %q", r.code, r.stderr)
	}
}

func TestParseExpiry(t *testing.T) {
	for in, want := range map[string]time.Time{
		"30m":                  now.Add(30 * time.Minute),
		"2h":                   now.Add(2 * time.Hour),
		"3d":                   now.Add(72 * time.Hour),
		"7d":                   now.Add(approval.MaxValidity),
		"2026-03-15T09:30:00Z": now.Add(24 * time.Hour),
	} {
		got, err := parseExpiry(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseExpiry(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}
