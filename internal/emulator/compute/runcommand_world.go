package compute

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute/vmshell"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// The world a Run Command script sees: the network as the VM's NIC is
// placed in it (network.RouteTo and network.Judge decide what gets
// through), the VMs that answer there, the VM's resolver and its disk.
//
// What listens on a VM of the estate: its web site on the emulator's web
// port (the port its azuredr-emulator-web tag shows) and SSH (22, Linux)
// or RDP (3389, Windows); every other port refuses. Traffic to a private
// address outside the VM's network and its connected peers goes nowhere
// (the client times out), as does traffic an NSG denies. "The internet" is
// the emulator's own public IPs: a script reaches them as any client does.
// Nothing the script asks ever touches the host beyond the emulator's own
// loopback servers.

// vmWorld is one VM's view, read when the run starts.
type vmWorld struct {
	s      *Service
	r      store.Reader
	vm     *VM
	st     *VMState
	os     vmshell.OS
	ip     netip.Addr // the VM's private address
	subnet string     // its subnet's id
	vnet   string     // its network's id
	nsg    string     // its NIC's own NSG ("" for none)
	now    time.Time
	disk   *runDisk
}

// endpoint is who answers at an address, as the VM sees it.
type endpoint struct {
	self     bool
	vm       *VM
	st       *VMState
	subnet   string
	nsg      string // the NIC's own NSG
	internet bool   // an emulator address outside every private network
}

func (s *Service) worldOf(r store.Reader, vm *VM, st *VMState) *vmWorld {
	w := &vmWorld{s: s, r: r, vm: vm, st: st, os: osOf(vm), now: s.Clock.Now(), disk: newRunDisk(st.Files)}
	if nic := vmNIC(r, vm); nic != nil {
		cfg := nic.primaryConfig().Properties
		w.nsg = nicNSG(nic)
		w.ip, _ = netip.ParseAddr(cfg.PrivateIPAddress)
		if cfg.Subnet != nil {
			w.subnet = cfg.Subnet.ID
			if i := strings.Index(strings.ToLower(w.subnet), "/subnets/"); i > 0 {
				w.vnet = w.subnet[:i]
			}
		}
	}
	return w
}

// osOf is the shell the VM runs scripts in (its OS disk's type).
func osOf(vm *VM) vmshell.OS {
	if sp := vm.Properties.StorageProfile; sp != nil && strings.EqualFold(sp.OSDisk.OSType, "Windows") {
		return vmshell.Windows
	}
	return vmshell.Linux
}

// vmNIC is the VM's primary NIC (nil when it has none with an ip
// configuration).
func vmNIC(r store.Reader, vm *VM) *NIC {
	if vm.Properties.NetworkProfile == nil || len(vm.Properties.NetworkProfile.NetworkInterfaces) == 0 {
		return nil
	}
	refs := vm.Properties.NetworkProfile.NetworkInterfaces
	ref := refs[0]
	for _, r := range refs {
		if r.Properties.Primary {
			ref = r
			break
		}
	}
	nic, ok, err := service.GetJSON[NIC](r, ref.ID)
	if err != nil || !ok || len(nic.Properties.IPConfigurations) == 0 {
		return nil
	}
	return nic
}

// nicNSG is the NSG on the NIC itself ("" for none): Azure judges a flow
// by it as well as by the subnet's.
func nicNSG(nic *NIC) string {
	if nic.Properties.NetworkSecurityGroup == nil {
		return ""
	}
	return nic.Properties.NetworkSecurityGroup.ID
}

func (w *vmWorld) Now() time.Time      { return w.now }
func (w *vmWorld) Files() vmshell.Disk { return w.disk }

// resolveHost is the address a tool connects to for host: an address, the
// VM itself (localhost), or a VM name its network's Azure DNS knows.
func (w *vmWorld) resolveHost(host string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return a, true
	}
	if strings.EqualFold(host, "localhost") {
		return netip.MustParseAddr("127.0.0.1"), true
	}
	if ips := w.vnetNames(host); len(ips) > 0 {
		a, err := netip.ParseAddr(ips[0])
		return a, err == nil
	}
	if ips := w.publicNames(host); len(ips) > 0 {
		a, err := netip.ParseAddr(ips[0])
		return a, err == nil
	}
	return netip.Addr{}, false
}

// locate finds who answers at a: the VM itself, a VM of a network the
// VM's routes reach, or the emulator's internet; the reason otherwise.
func (w *vmWorld) locate(a netip.Addr) (*endpoint, string) {
	switch {
	case a == loopback || a == w.ip:
		return &endpoint{self: true}, ""
	case isPublicAddress(a):
		return &endpoint{internet: true}, ""
	case a.IsLoopback():
		return nil, fmt.Sprintf("%s is not an address of the VM's network", a)
	}
	if w.vnet == "" {
		return nil, "the VM has no network"
	}
	vnetID, ok := network.RouteTo(w.r, w.vnet, a)
	if !ok {
		return nil, fmt.Sprintf("no route to %s from %s: it is outside the VM's network and its connected peerings", a, lastSegment(w.vnet))
	}
	vm, st, nic, subnet := w.vmAt(vnetID, a)
	if vm == nil {
		return nil, fmt.Sprintf("nothing has the address %s in %s", a, lastSegment(vnetID))
	}
	return &endpoint{vm: vm, st: st, subnet: subnet, nsg: nicNSG(nic)}, ""
}

// vmAt is the VM whose NIC has address a in the network vnetID, with that
// NIC.
func (w *vmWorld) vmAt(vnetID string, a netip.Addr) (*VM, *VMState, *NIC, string) {
	nics, err := nicsOf(w.r, "/subscriptions/"+network.SubscriptionOf(vnetID)+"/")
	if err != nil {
		return nil, nil, nil, ""
	}
	prefix := strings.ToLower(vnetID) + "/subnets/"
	for _, n := range nics {
		for _, c := range n.Properties.IPConfigurations {
			if c.Properties.Subnet == nil || !strings.HasPrefix(strings.ToLower(c.Properties.Subnet.ID), prefix) || c.Properties.PrivateIPAddress != a.String() || n.Properties.VirtualMachine == nil {
				continue
			}
			vm, ok, _ := service.GetJSON[VM](w.r, n.Properties.VirtualMachine.ID)
			st, stOK, _ := service.GetJSON[VMState](w.r, StateKey(n.Properties.VirtualMachine.ID))
			if ok && stOK {
				return vm, st, n, c.Properties.Subnet.ID
			}
		}
	}
	return nil, nil, nil, ""
}

// Connect is a TCP connection from the VM.
func (w *vmWorld) Connect(host string, port int) (vmshell.Outcome, string) {
	o, why, _ := w.connect(host, port)
	return o, why
}

// connect also tells where an HTTP request then goes ("" for nowhere).
func (w *vmWorld) connect(host string, port int) (vmshell.Outcome, string, string) {
	a, ok := w.resolveHost(host)
	if !ok {
		return vmshell.Unresolved, "", ""
	}
	ep, why := w.locate(a)
	if ep == nil {
		return vmshell.TimedOut, why, ""
	}
	switch {
	case ep.self:
		return w.listening(w.vm, w.st, port)
	case ep.internet:
		if v := w.judge(w.subnet, "Outbound", a, port); !v.Allowed {
			return vmshell.TimedOut, describeVerdict(v, "outbound"), ""
		}
		target := net.JoinHostPort(a.String(), strconv.Itoa(port))
		conn, err := net.DialTimeout("tcp", target, 2*time.Second)
		if err != nil {
			return vmshell.Refused, "", ""
		}
		_ = conn.Close()
		return vmshell.Connected, "", target
	}
	if v := w.judge(w.subnet, "Outbound", a, port); !v.Allowed {
		return vmshell.TimedOut, describeVerdict(v, "outbound"), ""
	}
	if v := w.judgeAt(ep.subnet, ep.nsg, "Inbound", a, port); !v.Allowed {
		return vmshell.TimedOut, describeVerdict(v, "inbound"), ""
	}
	return w.listening(ep.vm, ep.st, port)
}

// judge is the verdict on a flow from this VM to a leaving it: its NIC's
// NSG, then its subnet's, as Azure applies them outbound.
func (w *vmWorld) judge(subnet, direction string, a netip.Addr, port int) network.Verdict {
	f, tag := network.Flow{Src: w.ip, Dst: a, DstPort: port}, network.VirtualNetworkTag(w.r, w.vnet)
	if v := network.JudgeNSG(w.r, w.nsg, direction, f, tag); !v.Allowed {
		return v
	}
	return network.Judge(w.r, subnet, direction, f, tag)
}

// judgeAt is the verdict at the destination (its own network's
// VirtualNetwork tag): its subnet's NSG, then its NIC's nicNSG, as Azure
// applies them inbound.
func (w *vmWorld) judgeAt(subnet, nicNSG, direction string, a netip.Addr, port int) network.Verdict {
	vnet := subnet
	if i := strings.Index(strings.ToLower(subnet), "/subnets/"); i > 0 {
		vnet = subnet[:i]
	}
	f, tag := network.Flow{Src: w.ip, Dst: a, DstPort: port}, network.VirtualNetworkTag(w.r, vnet)
	if v := network.Judge(w.r, subnet, direction, f, tag); !v.Allowed {
		return v
	}
	return network.JudgeNSG(w.r, nicNSG, direction, f, tag)
}

func describeVerdict(v network.Verdict, way string) string {
	if v.Rule == "" {
		return fmt.Sprintf("dropped %s by network security group %s", way, v.NSG)
	}
	return fmt.Sprintf("dropped %s by network security group %s, rule %s", way, v.NSG, v.Rule)
}

// listening is what answers on a VM's port: its site on the web port,
// SSH or RDP by its OS; a VM that is not running does not answer.
func (w *vmWorld) listening(vm *VM, st *VMState, port int) (vmshell.Outcome, string, string) {
	if st.PowerState != PowerRunning {
		return vmshell.TimedOut, vm.Name + " is not running", ""
	}
	switch {
	case w.s.fleet != nil && port == w.s.WebPort():
		if addr, ok := w.s.SiteAddress(vm.ID); ok {
			return vmshell.Connected, "", net.JoinHostPort(addr, strconv.Itoa(port))
		}
		return vmshell.Refused, vm.Name + "'s site is not serving", ""
	case port == 22 && osOf(vm) == vmshell.Linux, port == 3389 && osOf(vm) == vmshell.Windows:
		return vmshell.Connected, "", ""
	}
	return vmshell.Refused, "", ""
}

// Get is an HTTP GET from the VM: to its own site, a reachable VM's, or an
// emulator public address.
func (w *vmWorld) Get(rawURL string, timeout time.Duration) (*http.Response, []byte, vmshell.Outcome, string) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, nil, vmshell.Unresolved, ""
	}
	port := 80
	if p := u.Port(); p != "" {
		port, _ = strconv.Atoi(p)
	}
	o, why, target := w.connect(u.Hostname(), port)
	if o != vmshell.Connected {
		return nil, nil, o, why
	}
	if target == "" {
		return nil, nil, vmshell.Refused, fmt.Sprintf("port %d does not speak HTTP", port)
	}
	real := u.ResolveReference(&url.URL{})
	real.Host = target
	ctx, cancel := context.WithTimeout(context.Background(), min(w.s.Clock.Real(timeout)+time.Second, 30*time.Second))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, real.String(), nil)
	if err != nil {
		return nil, nil, vmshell.Unresolved, ""
	}
	req.Host = u.Host
	req.Header.Set("User-Agent", "curl/8.5.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, vmshell.TimedOut, err.Error()
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, nil, vmshell.TimedOut, err.Error()
	}
	return resp, body, vmshell.Connected, ""
}

// Resolve asks for name's A records: the VM's resolver (Azure DNS: the VM
// names of its network, then public names through the emulator's DNS
// server) or an explicit server, which must be reachable.
func (w *vmWorld) Resolve(name, server string, port int) ([]string, vmshell.Outcome) {
	name = strings.TrimSuffix(name, ".")
	if server != "" && server != azureDNS {
		a, err := netip.ParseAddr(server)
		if err != nil || !isPublicAddress(a) {
			// A VM of the network, or the VM itself: the estate's VMs run
			// no DNS server.
			return nil, vmshell.Refused
		}
		if port == 0 {
			port = 53
		}
		return queryA(net.JoinHostPort(server, strconv.Itoa(port)), name)
	}
	if ips := w.vnetNames(name); len(ips) > 0 {
		return ips, vmshell.Connected
	}
	return w.publicNames(name), vmshell.Connected
}

// azureDNS is the resolver Azure gives every VM.
const azureDNS = "168.63.129.16"

// vnetNames are the private addresses Azure DNS gives a VM name in the
// VM's network.
func (w *vmWorld) vnetNames(name string) []string {
	if w.vnet == "" {
		return nil
	}
	short := strings.TrimSuffix(strings.ToLower(name), ".internal.cloudapp.net")
	nics, err := nicsOf(w.r, "/subscriptions/"+network.SubscriptionOf(w.vnet)+"/")
	if err != nil {
		return nil
	}
	prefix := strings.ToLower(w.vnet) + "/subnets/"
	var out []string
	for _, n := range nics {
		if n.Properties.VirtualMachine == nil || !strings.EqualFold(lastSegment(n.Properties.VirtualMachine.ID), short) {
			continue
		}
		c := n.primaryConfig().Properties
		if c.Subnet != nil && strings.HasPrefix(strings.ToLower(c.Subnet.ID), prefix) {
			out = append(out, c.PrivateIPAddress)
		}
	}
	return out
}

// publicNames resolves a public name through the emulator's DNS server
// (Traffic Manager's names), as Azure DNS resolves public names.
func (w *vmWorld) publicNames(name string) []string {
	if w.s.publicDNS == nil || !strings.Contains(name, ".") {
		return nil
	}
	addr := w.s.publicDNS()
	if addr == "" {
		return nil
	}
	ips, _ := queryA(addr, name)
	return ips
}

// queryA asks a DNS server for A records (following CNAMEs in the answer).
func queryA(server, name string) ([]string, vmshell.Outcome) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.TypeA)
	c := &dns.Client{Timeout: 2 * time.Second}
	in, _, err := c.Exchange(m, server)
	if err != nil {
		return nil, vmshell.TimedOut
	}
	var out []string
	for _, rr := range in.Answer {
		if a, ok := rr.(*dns.A); ok {
			out = append(out, a.A.String())
		}
	}
	return out, vmshell.Connected
}

var (
	loopback = netip.MustParseAddr("127.0.0.1")
	// publicPool is where the emulator's public IPs are
	// (publicips_address.go): the emulator's internet.
	publicPool = netip.MustParsePrefix("127.128.0.0/10")
)

func isPublicAddress(a netip.Addr) bool { return publicPool.Contains(a) }

func lastSegment(id string) string { return id[strings.LastIndex(id, "/")+1:] }
