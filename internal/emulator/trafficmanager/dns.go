package trafficmanager

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/miekg/dns"
)

// The zone's SOA, sent with negative answers so resolvers cache them for
// negativeTTL seconds at most.
const (
	zone        = Domain + "."
	soaNS       = "tm1.msft.net."
	soaMbox     = "hostmaster." + zone
	negativeTTL = 30
	// maxChase bounds how many CNAMEs inside trafficmanager.net (nested
	// profiles) one answer follows.
	maxChase = 8
	// ednsSize is the UDP payload size advertised in answers to EDNS queries.
	ednsSize = 1232
	// listenAttempts is how many free ports are tried to get the same port
	// for UDP and TCP.
	listenAttempts = 20
)

// Answerer answers a query for a name in trafficmanager.net.
type Answerer interface {
	Resolve(fqdn, geo string) Answer
}

// DNSServer answers <relativeName>.trafficmanager.net over UDP and TCP on
// one loopback address and port.
type DNSServer struct {
	addr string
	udp  *dns.Server
	tcp  *dns.Server
	log  *slog.Logger
}

// ListenDNS starts the DNS server on addr ("127.0.0.1:0" picks a port free
// for both UDP and TCP).
func ListenDNS(addr string, a Answerer, log *slog.Logger) (*DNSServer, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	pc, l, err := listenBoth(addr)
	if err != nil {
		return nil, fmt.Errorf("dns: %w", err)
	}
	h := &dnsHandler{answerer: a, log: log}
	d := &DNSServer{addr: l.Addr().String(), log: log}
	started := make(chan struct{}, 2)
	notify := func() { started <- struct{}{} }
	d.udp = &dns.Server{PacketConn: pc, Handler: h, NotifyStartedFunc: notify}
	d.tcp = &dns.Server{Listener: l, Handler: h, NotifyStartedFunc: notify, ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second}
	for network, s := range map[string]*dns.Server{"udp": d.udp, "tcp": d.tcp} {
		go func() {
			if err := s.ActivateAndServe(); err != nil {
				log.Error("dns server stopped", "net", network, "err", err)
			}
		}()
	}
	<-started
	<-started
	log.Info("dns server started", "addr", d.addr)
	return d, nil
}

// listenBoth binds UDP and TCP on the same address and port; with port 0 it
// retries until a port is free for both.
func listenBoth(addr string) (net.PacketConn, net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, nil, err
	}
	var lastErr error
	for attempt := 0; attempt < listenAttempts; attempt++ {
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			return nil, nil, err
		}
		udpPort := pc.LocalAddr().(*net.UDPAddr).Port
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(udpPort)))
		if err == nil {
			return pc, l, nil
		}
		_ = pc.Close()
		lastErr = err
		if port != "0" {
			break
		}
	}
	return nil, nil, lastErr
}

// Addr is the server's "host:port", the same for UDP and TCP.
func (d *DNSServer) Addr() string { return d.addr }

// Close stops both servers.
func (d *DNSServer) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return errors.Join(d.udp.ShutdownContext(ctx), d.tcp.ShutdownContext(ctx))
}

type dnsHandler struct {
	answerer Answerer
	log      *slog.Logger
}

// ServeDNS answers one query, authoritatively, for names under
// trafficmanager.net; anything else is REFUSED (the server is no resolver).
func (h *dnsHandler) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	resp := new(dns.Msg)
	switch {
	case req.Opcode != dns.OpcodeQuery:
		resp.SetRcode(req, dns.RcodeNotImplemented)
	case len(req.Question) != 1:
		resp.SetRcodeFormatError(req)
	default:
		h.answer(resp, req)
	}
	if opt := req.IsEdns0(); opt != nil {
		resp.SetEdns0(ednsSize, false)
	}
	if _, udp := w.RemoteAddr().(*net.UDPAddr); udp {
		size := dns.MinMsgSize
		if opt := req.IsEdns0(); opt != nil {
			size = int(min(opt.UDPSize(), ednsSize))
		}
		resp.Truncate(size)
	}
	if err := w.WriteMsg(resp); err != nil {
		h.log.Debug("dns: writing an answer", "err", err)
	}
}

func (h *dnsHandler) answer(resp, req *dns.Msg) {
	q := req.Question[0]
	resp.SetReply(req)
	resp.RecursionAvailable = false
	if q.Qclass != dns.ClassINET && q.Qclass != dns.ClassANY || !dns.IsSubDomain(zone, dns.CanonicalName(q.Name)) {
		resp.Rcode = dns.RcodeRefused
		return
	}
	resp.Authoritative = true
	name := dns.CanonicalName(q.Name)
	if name == zone {
		if q.Qtype == dns.TypeSOA || q.Qtype == dns.TypeANY {
			resp.Answer = append(resp.Answer, soa())
		} else {
			resp.Ns = append(resp.Ns, soa())
		}
		return
	}
	owner := q.Name
	for hop := 0; hop < maxChase; hop++ {
		a := h.answerer.Resolve(name, World)
		if !a.Exists {
			resp.Rcode = dns.RcodeNameError
			resp.Ns = append(resp.Ns, soa())
			return
		}
		hdr := func(rrtype uint16) dns.RR_Header {
			return dns.RR_Header{Name: owner, Rrtype: rrtype, Class: dns.ClassINET, Ttl: a.TTL}
		}
		if a.Target == "" { // NODATA
			resp.Ns = append(resp.Ns, soa())
			return
		}
		if ip := net.ParseIP(a.Target); ip != nil {
			switch v4 := ip.To4(); {
			case v4 != nil && (q.Qtype == dns.TypeA || q.Qtype == dns.TypeANY):
				resp.Answer = append(resp.Answer, &dns.A{Hdr: hdr(dns.TypeA), A: v4})
			case v4 == nil && (q.Qtype == dns.TypeAAAA || q.Qtype == dns.TypeANY):
				resp.Answer = append(resp.Answer, &dns.AAAA{Hdr: hdr(dns.TypeAAAA), AAAA: ip})
			default:
				resp.Ns = append(resp.Ns, soa())
			}
			return
		}
		target := dns.Fqdn(a.Target)
		resp.Answer = append(resp.Answer, &dns.CNAME{Hdr: hdr(dns.TypeCNAME), Target: target})
		if q.Qtype == dns.TypeCNAME || !dns.IsSubDomain(zone, dns.CanonicalName(target)) {
			return
		}
		// A nested profile: we are authoritative for the target too.
		owner, name = target, dns.CanonicalName(target)
	}
}

func soa() *dns.SOA {
	return &dns.SOA{
		Hdr:     dns.RR_Header{Name: zone, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: negativeTTL},
		Ns:      soaNS,
		Mbox:    soaMbox,
		Serial:  1,
		Refresh: 900,
		Retry:   300,
		Expire:  2419200,
		Minttl:  negativeTTL,
	}
}
