package vmshell

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The network tools: what each prints, and its exit code, for each way a
// connection ends. A timeout costs its whole wait on the VM's clock.

// defaultConnectTimeout is how long Linux waits for a SYN's answer by
// default (six retries), and Windows' Test-NetConnection.
const (
	defaultConnectTimeout = 127 * time.Second
	tncTimeout            = 21 * time.Second
)

// charge adds a connection's VM time.
func (sh *shell) charge(o Outcome, wait time.Duration) {
	switch o {
	case Connected:
		sh.elapsed += costConnect
	case Refused, Unresolved:
		sh.elapsed += costRefused
	case TimedOut:
		sh.elapsed += wait
	}
}

// curl runs curl (curl.exe on Windows): HTTP GET only.
func (sh *shell) curl(c *out, args []string) {
	var (
		rawURL        string
		headers, fail bool
		silent, showE bool
		writeOut      string
		outFile       string
		maxTime       = 0 * time.Second
		connTimeout   = defaultConnectTimeout
	)
	seconds := func(i *int) (time.Duration, bool) {
		if *i+1 >= len(args) {
			c.fail(2, "curl: option %s: requires parameter\n", args[*i])
			return 0, false
		}
		*i++
		f, err := strconv.ParseFloat(args[*i], 64)
		if err != nil || f < 0 {
			c.fail(2, "curl: option %s: expected a proper numerical parameter\n", args[*i-1])
			return 0, false
		}
		return time.Duration(f * float64(time.Second)), true
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--max-time" || a == "-m":
			d, ok := seconds(&i)
			if !ok {
				return
			}
			maxTime = d
		case a == "--connect-timeout":
			d, ok := seconds(&i)
			if !ok {
				return
			}
			connTimeout = d
		case a == "-D" || a == "--dump-header":
			if i+1 >= len(args) || args[i+1] != "-" {
				sh.unsupported(c, "curl -D with anything but - (stdout)")
				return
			}
			i++
			headers = true
		case a == "-i" || a == "--include":
			headers = true
		case a == "-o" || a == "--output":
			if i+1 >= len(args) {
				c.fail(2, "curl: option %s: requires parameter\n", a)
				return
			}
			i++
			outFile = args[i]
		case a == "-w" || a == "--write-out":
			if i+1 >= len(args) {
				c.fail(2, "curl: option %s: requires parameter\n", a)
				return
			}
			i++
			writeOut = args[i]
		case a == "--silent":
			silent = true
		case a == "--show-error":
			showE = true
		case a == "--fail":
			fail = true
		case a == "-k" || a == "--insecure" || a == "-L" || a == "--location":
		case strings.HasPrefix(a, "--"):
			c.fail(2, "curl: option %s: is unknown\n", a)
			return
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for _, f := range a[1:] {
				switch f {
				case 's':
					silent = true
				case 'S':
					showE = true
				case 'f':
					fail = true
				case 'k', 'L':
				case 'i':
					headers = true
				default:
					c.fail(2, "curl: option -%c: is unknown\n", f)
					return
				}
			}
		default:
			rawURL = a
		}
	}
	_ = silent
	if rawURL == "" {
		c.fail(2, "curl: no URL specified\n")
		return
	}
	report := func(code int, format string, args ...any) {
		if showE || !silent {
			c.errorf("curl: (%d) "+format+"\n", append([]any{code}, args...)...)
		}
		c.exit = code
		if writeOut != "" {
			c.print("%s", strings.ReplaceAll(writeOut, "%{http_code}", "000"))
		}
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		report(3, "URL rejected: Malformed input to a URL function")
		return
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	}
	if port == "" {
		report(1, "Protocol \"%s\" not supported", u.Scheme)
		return
	}
	wait := connTimeout
	if maxTime > 0 {
		wait = min(wait, maxTime)
	}
	if strings.EqualFold(u.Scheme, "https") {
		// The emulator's VMs serve HTTP only: a TLS client meets a
		// plain-HTTP server, or nothing.
		p, _ := strconv.Atoi(port)
		o := sh.connect(host, p)
		sh.charge(o, wait)
		switch o {
		case Connected:
			report(35, "OpenSSL/3.0.13: error:0A00010B:SSL routines::wrong version number (the emulator's VMs serve HTTP only)")
		default:
			sh.connectFailed(report, o, host, port, wait)
		}
		return
	}
	timeout := maxTime
	if timeout == 0 {
		timeout = 300 * time.Second
	}
	resp, body, o := sh.get(u.String(), timeout)
	if resp == nil {
		sh.charge(o, wait)
		sh.connectFailed(report, o, host, port, wait)
		return
	}
	sh.elapsed += costHTTP
	if fail && resp.StatusCode >= 400 {
		report(22, "The requested URL returned error: %d", resp.StatusCode)
		return
	}
	var b strings.Builder
	if headers {
		b.WriteString(statusLine(resp))
		for _, k := range sortedKeys(resp.Header) {
			for _, v := range resp.Header[k] {
				fmt.Fprintf(&b, "%s: %s\r\n", k, v)
			}
		}
		b.WriteString("\r\n")
	}
	if outFile != "" && outFile != "/dev/null" {
		if why := sh.writeFile(outFile, string(body), false); why != "" {
			report(23, "Failure writing output to destination")
			return
		}
	} else if outFile == "" {
		b.Write(body)
	}
	if writeOut != "" {
		b.WriteString(strings.ReplaceAll(writeOut, "%{http_code}", strconv.Itoa(resp.StatusCode)))
	}
	c.print("%s", b.String())
}

// connectFailed reports a connection that did not happen as curl does.
func (sh *shell) connectFailed(report func(int, string, ...any), o Outcome, host, port string, wait time.Duration) {
	switch o {
	case Unresolved:
		report(6, "Could not resolve host: %s", host)
	case Refused:
		report(7, "Failed to connect to %s port %s after 1 ms: Couldn't connect to server", host, port)
	default:
		report(28, "Failed to connect to %s port %s after %d ms: Timeout was reached", host, port, wait.Milliseconds())
	}
}

// connect tries a connection, noting why it failed for the log.
func (sh *shell) connect(host string, port int) Outcome {
	o, why := sh.env.Connect(host, port)
	sh.note(why)
	return o
}

// get sends a GET, noting why it failed for the log.
func (sh *shell) get(url string, timeout time.Duration) (*http.Response, []byte, Outcome) {
	resp, body, o, why := sh.env.Get(url, timeout)
	sh.note(why)
	return resp, body, o
}

func statusLine(resp *http.Response) string {
	return fmt.Sprintf("HTTP/1.1 %d %s\r\n", resp.StatusCode, http.StatusText(resp.StatusCode))
}

func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// wget runs wget -q -O - URL (the body to stdout).
func (sh *shell) wget(c *out, args []string) {
	var rawURL string
	toStdout, quiet := false, false
	timeout := 900 * time.Second
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-q" || a == "--quiet":
			quiet = true
		case a == "-O" && i+1 < len(args) && args[i+1] == "-":
			toStdout = true
			i++
		case a == "-qO-" || a == "-O-":
			toStdout, quiet = true, quiet || a == "-qO-"
		case strings.HasPrefix(a, "--timeout=") || strings.HasPrefix(a, "-T"):
			v := strings.TrimPrefix(strings.TrimPrefix(a, "--timeout="), "-T")
			if v == "" && i+1 < len(args) {
				i++
				v = args[i]
			}
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				c.fail(2, "wget: --timeout: Invalid time period '%s'\n", v)
				return
			}
			timeout = time.Duration(f * float64(time.Second))
		case strings.HasPrefix(a, "-"):
			sh.unsupported(c, "wget "+a+" (only -q, -O -, --timeout)")
			return
		default:
			rawURL = a
		}
	}
	if !toStdout {
		sh.unsupported(c, "wget without -O - (writing a file)")
		return
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || !strings.EqualFold(u.Scheme, "http") {
		c.fail(1, "%s: Invalid URL or scheme (the emulator's VMs serve HTTP only)\n", rawURL)
		return
	}
	resp, body, o := sh.get(u.String(), timeout)
	if resp == nil {
		sh.charge(o, timeout)
		if o == Unresolved {
			c.fail(4, "wget: unable to resolve host address '%s'\n", u.Hostname())
		} else {
			c.fail(4, "failed: %s.\n", map[Outcome]string{Refused: "Connection refused", TimedOut: "Connection timed out"}[o])
		}
		return
	}
	sh.elapsed += costHTTP
	if resp.StatusCode >= 400 {
		if !quiet {
			c.errorf("ERROR %d: %s.\n", resp.StatusCode, http.StatusText(resp.StatusCode))
		}
		c.exit = 8
		return
	}
	c.print("%s", body)
}

// nc runs nc -z [-v] [-w N] host port.
func (sh *shell) nc(c *out, args []string) {
	zero, verbose := false, false
	wait := defaultConnectTimeout
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-w" && i+1 < len(args):
			i++
			n, err := strconv.Atoi(args[i])
			if err != nil || n < 0 {
				c.fail(1, "nc: timeout invalid: %s\n", args[i])
				return
			}
			wait = time.Duration(n) * time.Second
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for _, f := range a[1:] {
				switch f {
				case 'z':
					zero = true
				case 'v':
					verbose = true
				case 'n':
				default:
					sh.unsupported(c, fmt.Sprintf("nc -%c (only -z, -v, -n, -w N)", f))
					return
				}
			}
		default:
			rest = append(rest, a)
		}
	}
	if !zero || len(rest) != 2 {
		sh.unsupported(c, "nc without -z HOST PORT (sending data)")
		return
	}
	host := rest[0]
	port, err := strconv.Atoi(rest[1])
	if err != nil || port < 1 || port > 65535 {
		c.fail(1, "nc: port number invalid: %s\n", rest[1])
		return
	}
	o := sh.connect(host, port)
	sh.charge(o, wait)
	switch o {
	case Connected:
		if verbose {
			c.errorf("Connection to %s %d port [tcp/*] succeeded!\n", host, port)
		}
		return
	case Unresolved:
		c.fail(1, "nc: getaddrinfo for host \"%s\" port %d: Name or service not known\n", host, port)
	case Refused:
		c.exit = 1
		if verbose {
			c.errorf("nc: connect to %s port %d (tcp) failed: Connection refused\n", host, port)
		}
	default:
		c.exit = 1
		if verbose {
			c.errorf("nc: connect to %s port %d (tcp) timed out: Operation now in progress\n", host, port)
		}
	}
}

// dig runs dig +short [@server] [-p port] name [A].
func (sh *shell) dig(c *out, args []string) {
	short := false
	var server, name string
	port := 0
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "+short":
			short = true
		case strings.HasPrefix(a, "@"):
			server = a[1:]
		case a == "-p" && i+1 < len(args):
			i++
			p, err := strconv.Atoi(args[i])
			if err != nil {
				c.fail(1, "dig: invalid port '%s'\n", args[i])
				return
			}
			port = p
		case strings.EqualFold(a, "A") || strings.EqualFold(a, "IN"):
		case strings.HasPrefix(a, "+") || strings.HasPrefix(a, "-"):
			sh.unsupported(c, "dig "+a+" (only +short, @server, -p, type A)")
			return
		default:
			name = a
		}
	}
	if !short {
		sh.unsupported(c, "dig without +short")
		return
	}
	answers, o := sh.env.Resolve(name, server, port)
	sh.elapsed += costDNS
	switch o {
	case Connected:
		for _, a := range answers {
			c.print("%s\n", a)
		}
	case TimedOut, Refused:
		sh.charge(TimedOut, 15*time.Second)
		c.print(";; connection timed out; no servers could be reached\n")
		c.exit = 9
	}
}

// nslookup runs nslookup name [server].
func (sh *shell) nslookup(c *out, args []string) {
	if len(args) == 0 || len(args) > 2 || strings.HasPrefix(args[0], "-") {
		sh.unsupported(c, "nslookup with options (only NAME [SERVER])")
		return
	}
	name, server := args[0], ""
	if len(args) == 2 {
		server = args[1]
	}
	shown := server
	if shown == "" {
		shown = azureDNS
	}
	answers, o := sh.env.Resolve(name, server, 0)
	sh.elapsed += costDNS
	switch {
	case o == TimedOut || o == Refused:
		sh.charge(TimedOut, 15*time.Second)
		c.fail(1, ";; connection timed out; no servers could be reached\n")
		return
	}
	c.print("Server:\t\t%s\nAddress:\t%s\n\n", shown, net.JoinHostPort(shown, "53"))
	if len(answers) == 0 {
		c.print("** server can't find %s: NXDOMAIN\n", name)
		c.exit = 1
		return
	}
	c.print("Non-authoritative answer:\n")
	for _, a := range answers {
		c.print("Name:\t%s\nAddress: %s\n", name, a)
	}
}

// azureDNS is the resolver every Azure VM is given.
const azureDNS = "168.63.129.16"
