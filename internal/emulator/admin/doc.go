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
// The types are the admin API's wire shapes, declared once: the server
// (internal/emulator and its namespace packages) builds its admin answers
// from them, so client and server cannot drift, and the dependency runs one
// way, server -> admin, never back. What the server persists (operation
// records, Site Recovery and VM state records) keeps types of its own, and
// the server builds these views from them: a change here never changes
// what is on disk. Two shapes are still the server's own: the fault rules it
// lists (Fault; package faults, whose listing always sends "rate" and sends
// "count" only while limited, where FaultRule omits a zero rate), and the
// bodies it decodes (FaultRule, NewVM; the server decodes them strictly
// into its own input types, which tell an absent field from a zero one).
// The wire shapes are pinned by the emulator's tests
// (siterecovery/admin_wire_test.go).
package admin
