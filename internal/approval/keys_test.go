package approval

import (
	"bytes"
	"crypto/ed25519"
	"strings"
	"testing"

	"filippo.io/edwards25519"
)

func TestPublicKeyRoundTrip(t *testing.T) {
	p, _, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := FormatPublicKey(p)
	if !strings.HasPrefix(s, "ed25519:") || len(s) != 52 {
		t.Fatalf("FormatPublicKey = %q", s)
	}
	got, err := ParsePublicKey(s)
	if err != nil || !got.Equal(p) {
		t.Fatalf("ParsePublicKey(%q) = %x, %v", s, got, err)
	}
}

func TestParsePublicKeyRefuses(t *testing.T) {
	good := FormatPublicKey(pub(key(t, 1)))
	cases := map[string]struct{ in, msg string }{
		"empty":          {"", `does not start with "ed25519:"`},
		"no prefix":      {strings.TrimPrefix(good, "ed25519:"), "does not start with"},
		"ssh form":       {"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG", "does not start with"},
		"upper prefix":   {"ED25519:" + strings.TrimPrefix(good, "ed25519:"), "does not start with"},
		"not base64":     {"ed25519:not*base64", "not standard, padded base64"},
		"unpadded":       {strings.TrimSuffix(good, "="), "not standard, padded base64"},
		"url alphabet":   {"ed25519:" + strings.Repeat("_", 43) + "=", "not standard, padded base64"},
		"short":          {"ed25519:AAAA", "has 3 bytes, an Ed25519 public key has 32"},
		"private key":    {"ed25519:" + FormatPublicKey(ed25519.PublicKey(key(t, 1)))[8:], "has 64 bytes"},
		"trailing space": {good + " ", "not standard"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParsePublicKey(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("ParsePublicKey(%q) = %v, want an error saying %q", tc.in, err, tc.msg)
			}
		})
	}
}

func TestPrivateKeyFile(t *testing.T) {
	priv := key(t, 3)
	data, err := MarshalPrivateKey("alice", priv)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("Approver: alice")) || !bytes.Contains(data, []byte(FormatPublicKey(pub(priv)))) {
		t.Fatalf("key file must show the approver and public key:\n%s", data)
	}
	name, got, err := ParsePrivateKey(data)
	if err != nil || name != "alice" || !got.Equal(priv) {
		t.Fatalf("ParsePrivateKey = %q, %v", name, err)
	}

	if _, err := MarshalPrivateKey("a/b", priv); err == nil {
		t.Fatal("MarshalPrivateKey accepted a bad name")
	}
	other, _ := MarshalPrivateKey("alice", key(t, 4))
	edited := bytes.Replace(data, []byte(FormatPublicKey(pub(priv))), []byte(FormatPublicKey(pub(key(t, 4)))), 1)
	for name, tc := range map[string]struct {
		data []byte
		msg  string
	}{
		"not pem":       {[]byte("hello"), "not a PEM file"},
		"other pem":     {bytes.Replace(other, []byte("AZUREDR APPROVAL PRIVATE KEY"), []byte("PRIVATE KEY"), 2), `PEM block is "PRIVATE KEY"`},
		"edited header": {edited, "does not match the private key"},
		"renamed badly": {bytes.Replace(data, []byte("Approver: alice"), []byte("Approver: a b"), 1), "Approver"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := ParsePrivateKey(tc.data); err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("ParsePrivateKey: %v, want an error saying %q", err, tc.msg)
			}
		})
	}
}

// TestParsePublicKeyRefusesOffCurve: 32 bytes whose y coordinate has no x on
// the curve can never verify a signature, so they are refused. The test
// searches small y values for such a non-point rather than trusting a
// hard-coded one, and checks crypto/ed25519 agrees it cannot verify.
func TestParsePublicKeyRefusesOffCurve(t *testing.T) {
	priv := key(t, 5)
	msg := []byte("approve")
	sig := ed25519.Sign(priv, msg)
	found := 0
	for y := 2; y < 64 && found < 3; y++ {
		b := make([]byte, ed25519.PublicKeySize)
		b[0] = byte(y) // little-endian y, sign bit clear
		if _, err := new(edwards25519.Point).SetBytes(b); err == nil {
			if _, err := ParsePublicKey(FormatPublicKey(b)); err != nil {
				t.Fatalf("y=%d is a curve point but ParsePublicKey refused it: %v", y, err)
			}
			continue
		}
		found++
		s := FormatPublicKey(b)
		_, err := ParsePublicKey(s)
		if err == nil || !strings.Contains(err.Error(), "not a point on the Ed25519 curve") {
			t.Fatalf("ParsePublicKey(%q) = %v, want an error saying it is not a point on the curve", s, err)
		}
		if ed25519.Verify(ed25519.PublicKey(b), msg, sig) {
			t.Fatalf("crypto/ed25519 verified against the non-point %x", b)
		}
	}
	if found == 0 {
		t.Fatal("found no y in [2,64) that is off the curve; the search is wrong")
	}
	if _, err := ParsePublicKey(FormatPublicKey(pub(priv))); err != nil {
		t.Fatalf("a generated key was refused: %v", err)
	}
}
