package testfailover

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/insite"
)

// The drill's verification from inside the DR site: checks through Run
// Command (the Checker's seam), the isolation proof, and the file canary's
// read on the test VMs.

// useSite runs the checks from the DR site through exec: on each item's
// test VM, or the probe VM; the checks after a group on its first test VM.
func (r *runner) useSite(exec insite.Executes) {
	r.exec = exec
	r.site = insite.NewSite(exec)
	r.checks.Site = r.site
	r.checks.ProbeVMID = r.spec.ProbeVMID
	r.checks.GroupVM = func(g int) string {
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, st := range r.items {
			if st.group == g && st.res.TestVMID != "" {
				return st.res.TestVMID
			}
		}
		return ""
	}
}

// needsPublicIP: only a check from the runner reaches the test VMs from
// outside the test network; from the DR site nothing does, so the test VMs
// get no public IP (nothing to make, nothing to clean up).
func (r *runner) needsPublicIP() bool {
	for _, c := range r.spec.Checks {
		if !c.FromSite() {
			return true
		}
	}
	return false
}

// proofs are the isolation proof's runs, one per test subnet.
type proofs struct {
	mu   sync.Mutex
	runs map[string]*proofRun
}

type proofRun struct {
	done chan struct{}
	err  error
}

// proveIsolation runs the isolation proof from the test VM's subnet, once
// per subnet (the other items of the subnet wait for its verdict): the
// test VM tries every production VM's private address on every port; any
// connection fails the drill.
func (r *runner) proveIsolation(ctx context.Context, st *itemState, vm *testVM) error {
	if r.spec.Isolation.Skip {
		return nil
	}
	r.proof.mu.Lock()
	if r.proof.runs == nil {
		r.proof.runs = map[string]*proofRun{}
	}
	key := vm.Subnet
	run, ok := r.proof.runs[key]
	if !ok {
		run = &proofRun{done: make(chan struct{})}
		r.proof.runs[key] = run
	}
	r.proof.mu.Unlock()
	if ok {
		select {
		case <-run.done:
			return run.err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	run.err = r.runProof(ctx, st, vm)
	close(run.done)
	return run.err
}

// runProof tries the probes from vm, in runs small enough for the output
// Azure keeps.
func (r *runner) runProof(ctx context.Context, st *itemState, vm *testVM) error {
	name := st.info.ID.Name
	probes := r.probes()
	if n := r.addressesInOwnSpace(); n > 0 {
		r.log.Emit(PhaseIsolation, st.group, name, fmt.Sprintf("isolation proof: %d production address(es) lie in the test network's own address space, which never routes to production (Azure refuses to peer overlapping networks): not tried", n))
	}
	if len(probes) == 0 {
		r.log.Emit(PhaseIsolation, st.group, name, "isolation proof: no production address outside the test network's own address space to try")
		return nil
	}
	var unknown []string
	for start := 0; start < len(probes); start += insite.MaxProbesPerRun {
		chunk := probes[start:min(start+insite.MaxProbesPerRun, len(probes))]
		o, out, err := r.exec.Run(ctx, vm.ID, func(o insite.OS) []string { return insite.IsolationScript(o, chunk) })
		if err != nil {
			r.log.Emit(PhaseIsolation, st.group, name, "isolation proof from "+vm.Name+": "+err.Error())
			return fmt.Errorf("isolation proof from %s: %w", vm.Name, err)
		}
		for _, p := range insite.ParseIsolation(o, out.Stdout, chunk) {
			if p.Reached {
				err := fmt.Errorf("test network is not isolated: %s reached %s %s", vm.Name, p.VM, p.Address)
				r.log.Emit(PhaseIsolation, st.group, name, err.Error())
				return err
			}
			if p.Unknown {
				unknown = append(unknown, p.VM+" "+p.Address)
			}
		}
	}
	if len(unknown) > 0 {
		err := fmt.Errorf("isolation proof from %s: no result for %s (the Run Command's output was cut): isolation is not proven", vm.Name, strings.Join(unknown, ", "))
		r.log.Emit(PhaseIsolation, st.group, name, err.Error())
		return err
	}
	r.log.Emit(PhaseIsolation, st.group, name, fmt.Sprintf("isolation proof from %s: none of %d production address:port reached", vm.Name, len(probes)))
	return nil
}

// probes are every production VM's private addresses on the proof's
// ports, and the internet address when given.
func (r *runner) probes() []insite.Probe {
	ports := r.spec.Isolation.Ports
	if len(ports) == 0 {
		ports = append(append([]int{}, drill.DefaultIsolationPorts...), checkPorts(r.spec.Checks)...)
	}
	var out []insite.Probe
	for _, st := range r.items {
		outside, _ := ownSpace(r.testSpace, st.prodIPs)
		out = append(out, insite.Probes(st.info.SourceVMName, outside, ports)...)
	}
	if a := r.spec.Isolation.InternetAddress; a != "" {
		out = append(out, insite.Probe{VM: "the internet", Address: a})
	}
	return out
}

// addressesInOwnSpace counts the production addresses the proof leaves
// out (ownSpace).
func (r *runner) addressesInOwnSpace() int {
	n := 0
	for _, st := range r.items {
		_, inside := ownSpace(r.testSpace, st.prodIPs)
		n += len(inside)
	}
	return n
}

// checkPorts are the ports the checks connect to (the application's
// ports are production's too).
func checkPorts(checks []drill.Check) []int {
	var out []int
	for _, c := range checks {
		var port string
		switch c.Type {
		case drill.CheckTCP:
			_, port, _ = net.SplitHostPort(c.Address)
		case drill.CheckHTTP:
			u, err := url.Parse(drill.Target{Address: "h", PrivateIP: "h", VMName: "h", SourceVMName: "h", Item: "h"}.Expand(c.URL))
			if err != nil {
				continue
			}
			if port = u.Port(); port == "" {
				port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
			}
		}
		if p, err := strconv.Atoi(port); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// expectMarker has the test VM's first round of checks read the file
// canary's marker.
func (r *runner) expectMarker(st *itemState, vm *testVM) {
	cn := r.spec.Canary
	if cn == nil || cn.File == nil {
		return
	}
	r.site.ExpectCanary(vm.ID, *cn.File, func(m insite.Marker, err error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		if err != nil {
			st.markerErr = err
			return
		}
		st.marker = &m
	})
}

// readMarker reads the marker alone when no round of checks ran on the
// test VM (its checks from the runner, or on the probe VM), and tells
// what the test VM holds.
func (r *runner) readMarker(ctx context.Context, st *itemState, vm *testVM) {
	cn := r.spec.Canary
	if cn == nil || cn.File == nil {
		return
	}
	r.site.FlushCanary(ctx, vm.ID)
	r.mu.Lock()
	m, err := st.marker, st.markerErr
	if m != nil {
		st.res.CanaryMarkerAt = m.WrittenAt
	}
	r.mu.Unlock()
	name := st.info.ID.Name
	switch {
	case m != nil:
		r.log.Emit(drill.PhaseCanary, st.group, name, fmt.Sprintf("test VM %s holds the canary marker written at %s", vm.Name, m.WrittenAt.Format("2006-01-02T15:04:05.000000000Z")))
	case errors.Is(err, insite.ErrNoMarker):
		r.log.Emit(drill.PhaseCanary, st.group, name, "test VM "+vm.Name+" holds no canary marker: its data predates every marker write")
	case err != nil:
		r.log.Emit(drill.PhaseCanary, st.group, name, "reading the canary marker on "+vm.Name+": "+err.Error())
	}
}
