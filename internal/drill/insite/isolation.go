package insite

import (
	"net"
	"strconv"
)

// The isolation proof: from a test VM, try every production address on
// every port; a test network is isolated only if none answers. An
// unreachable address costs its timeout (Azure drops packets without a
// route or past a denying NSG), so the timeout is short.

// ProbeTimeout bounds one connection attempt of the proof (nc -w 3).
const ProbeTimeout = 3

// Probe is one address the proof tries.
type Probe struct {
	// VM names what answers at Address (a production VM, or "the
	// internet" for the proof's internet address).
	VM string
	// Address is "ip:port".
	Address string
}

// IsolationScript tries each probe in turn, one section each.
func IsolationScript(o OS, probes []Probe) []string {
	var lines []string
	for i, p := range probes {
		host, port, _ := net.SplitHostPort(p.Address)
		lines = append(lines, o.echo(marker(kindProbe, i, "begin")))
		lines = append(lines, connectLine(o, host, port, ProbeTimeout))
		lines = append(lines, connectEnd(o, kindProbe, i)...)
	}
	return append(lines, "exit 0")
}

// ProbeResult is what the proof found of one probe.
type ProbeResult struct {
	Probe
	// Reached: the connection was made (the network is not isolated).
	Reached bool
	// Unknown: the probe's section is missing or cut (it proves nothing).
	Unknown bool
}

// ParseIsolation reads an IsolationScript's stdout.
func ParseIsolation(o OS, stdout string, probes []Probe) []ProbeResult {
	secs := parseSections(stdout)
	out := make([]ProbeResult, len(probes))
	for i, p := range probes {
		out[i].Probe = p
		s, err := section(secs, kindProbe, i)
		if err != nil {
			out[i].Unknown = true
			continue
		}
		out[i].Reached = connected(o, s)
	}
	return out
}

// Probes are every address x port (ports in order, without repeats).
func Probes(vm string, ips []string, ports []int) []Probe {
	var out []Probe
	seen := map[int]bool{}
	var ps []int
	for _, p := range ports {
		if !seen[p] {
			seen[p] = true
			ps = append(ps, p)
		}
	}
	for _, ip := range ips {
		for _, p := range ps {
			out = append(out, Probe{VM: vm, Address: net.JoinHostPort(ip, strconv.Itoa(p))})
		}
	}
	return out
}

// MaxProbesPerRun bounds a run's probes so its stdout stays within the
// 4096 bytes Azure keeps (a Windows probe's section is about 60 bytes).
const MaxProbesPerRun = 60
