// Package admin is a typed client of the emulator's admin API, the
// endpoints under /_emulator/ that sit outside ARM's namespace: health,
// request statistics, operation records, fault rules, estates and VMs added
// at runtime, the replication model's view and Traffic Manager's probes.
//
// It is the one place outside the emulator that knows the admin API's paths
// and shapes, so tests, the drill harness and the bench stop hand-writing
// URLs and ad-hoc structs that drift from the server. It imports only the
// standard library (no Terraform, not the emulator's server): a program that
// talks to a running emulator, or to real Azure most of the time, links
// nothing of the server through it.
//
// The types mirror what the server sends (internal/emulator, see its
// README's "Admin API"); a field the server adds later is ignored until it
// is added here.
package admin
