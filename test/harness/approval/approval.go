// Package approval signs the approvals a failover drill needs, for drill
// tests kept outside this repository (Go forbids them importing the
// provider's internal/approval). It is that package's public face: the same
// types and functions, so a token signed here is exactly what the provider
// verifies.
package approval

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/approval"
)

// Approval is what an approver signs: the recovery plan's ARM id, the
// action, the expiry, the approver's name as the site declares it and an
// optional reason.
type Approval = approval.Approval

// Approver is a declared approver (name and public key) and Want what an
// approval must be for: what Verify checks a token against, as the
// provider does at failover.
type (
	Approver = approval.Approver
	Want     = approval.Want
)

// Action is what an approval allows.
type Action = approval.Action

// The actions that need an approval (test failovers need none).
const (
	Failover  = approval.Failover
	Failback  = approval.Failback
	Commit    = approval.Commit
	Reprotect = approval.Reprotect
)

// MaxValidity is the longest an approval may be valid.
const MaxValidity = approval.MaxValidity

var (
	// GenerateKey makes an Ed25519 key pair for an approver.
	GenerateKey = approval.GenerateKey
	// FormatPublicKey gives the public key as the site's approver block
	// takes it ("ed25519:<base64>").
	FormatPublicKey = approval.FormatPublicKey
	// MarshalPrivateKey and ParsePrivateKey read and write the key files
	// cmd/azuredr-approve uses.
	MarshalPrivateKey = approval.MarshalPrivateKey
	ParsePrivateKey   = approval.ParsePrivateKey
	// Sign signs an approval with the approver's private key; the token is
	// what the azuredr_failover resource's approval argument takes.
	Sign = approval.Sign
	// Verify checks a token as the provider does before a failover: signed
	// by one of the approvers, for that plan and action, not expired.
	Verify = approval.Verify
)
