package approval

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/edwards25519"
)

// PublicKeyPrefix starts a public key in its text form.
const PublicKeyPrefix = "ed25519:"

// GenerateKey makes an Ed25519 key pair from rand (crypto/rand.Reader when
// nil).
func GenerateKey(random io.Reader) (ed25519.PublicKey, ed25519.PrivateKey, error) {
	if random == nil {
		random = rand.Reader
	}
	return ed25519.GenerateKey(random)
}

// FormatPublicKey is the text form of a public key: "ed25519:" and the
// standard, padded base64 of its 32 bytes (52 characters, well within an
// Azure tag value's 256).
func FormatPublicKey(pub ed25519.PublicKey) string {
	return PublicKeyPrefix + base64.StdEncoding.EncodeToString(pub)
}

// ParsePublicKey reads the text form of FormatPublicKey, and only that, so
// that FormatPublicKey(ParsePublicKey(s)) == s.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	rest, ok := strings.CutPrefix(s, PublicKeyPrefix)
	if !ok {
		return nil, fmt.Errorf("public key %q does not start with %q", abbreviate(s), PublicKeyPrefix)
	}
	b, err := base64.StdEncoding.Strict().DecodeString(rest)
	if err != nil {
		return nil, fmt.Errorf("public key %q is not standard, padded base64 after %q: %v", abbreviate(s), PublicKeyPrefix, err)
	}
	if len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("public key %q has %d bytes, an Ed25519 public key has %d", abbreviate(s), len(b), ed25519.PublicKeySize)
	}
	// 32 bytes are not yet a key: they must encode a point of the curve, or
	// no signature can ever verify against them (crypto/ed25519.Verify
	// decodes the same way and answers false).
	if _, err := new(edwards25519.Point).SetBytes(b); err != nil {
		return nil, fmt.Errorf("public key %q is not a point on the Ed25519 curve, so no signature can verify against it", abbreviate(s))
	}
	return ed25519.PublicKey(b), nil
}

func abbreviate(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// The private key file: PEM, with the approver's name and public key in
// headers (readable with a pager) and the 32-byte Ed25519 seed as body.
const (
	pemType         = "AZUREDR APPROVAL PRIVATE KEY"
	headerApprover  = "Approver"
	headerPublicKey = "Public-Key"
)

// MarshalPrivateKey is the key file of approver name: keep it secret
// (mode 0600), it signs approvals.
func MarshalPrivateKey(name string, priv ed25519.PrivateKey) ([]byte, error) {
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("private key has %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	pub, _ := priv.Public().(ed25519.PublicKey)
	return pem.EncodeToMemory(&pem.Block{
		Type:    pemType,
		Headers: map[string]string{headerApprover: name, headerPublicKey: FormatPublicKey(pub)},
		Bytes:   priv.Seed(),
	}), nil
}

// ParsePrivateKey reads a key file of MarshalPrivateKey: the approver's name
// and private key.
func ParsePrivateKey(data []byte) (string, ed25519.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return "", nil, errors.New("not a PEM file (make one with `azuredr-approve keygen`)")
	}
	if block.Type != pemType {
		return "", nil, fmt.Errorf("PEM block is %q, want %q (make one with `azuredr-approve keygen`)", block.Type, pemType)
	}
	if len(block.Bytes) != ed25519.SeedSize {
		return "", nil, fmt.Errorf("key has %d bytes, want a %d-byte Ed25519 seed", len(block.Bytes), ed25519.SeedSize)
	}
	name := block.Headers[headerApprover]
	if err := ValidateName(name); err != nil {
		return "", nil, fmt.Errorf("key file header %s: %w", headerApprover, err)
	}
	priv := ed25519.NewKeyFromSeed(block.Bytes)
	pub, _ := priv.Public().(ed25519.PublicKey)
	if h, ok := block.Headers[headerPublicKey]; ok && h != FormatPublicKey(pub) {
		return "", nil, fmt.Errorf("key file header %s does not match the private key: the file was edited or damaged", headerPublicKey)
	}
	return name, priv, nil
}
