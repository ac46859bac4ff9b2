// Package insite verifies a drill from inside the DR site: the checks, the
// isolation proof and the file canary run on VMs of the test network
// through VM Run Command (RunShellScript on Linux, RunPowerShellScript on
// Windows), so the machine running the drill needs no route into the
// isolated network.
//
// Every script reports its results on stdout in sections the drill parses
// (protocol.go) and ends with exit 0: a Linux script exiting non-zero makes
// Azure answer "Enable failed". Scripts use only the commands the
// emulator's Run Command interprets (internal/emulator/compute and its vmshell), which
// are the real tools with their real output.
package insite
