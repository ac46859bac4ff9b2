package vmshell

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// powershell runs one line of a RunPowerShellScript.
func (sh *shell) powershell(line string) {
	words, err := psWords(line)
	c := &out{}
	if err != nil {
		sh.unsupported(c, err.Error())
		sh.emit("", c.stderr.String())
		sh.exit = c.exit
		return
	}
	if len(words) == 0 {
		return
	}
	name := strings.ToLower(words[0].text)
	var params map[string]string
	var positional []string
	if name != "curl.exe" && name != "exit" {
		params, positional = psParams(words[1:])
	}
	switch name {
	case "$lastexitcode":
		if sh.native != nil {
			c.print("%d\n", *sh.native)
		}
	case "write-output", "echo", "write-host":
		for _, w := range words[1:] {
			c.print("%s\n", sh.psValue(w))
		}
	case "exit":
		c.exit = 0
		if len(words) > 1 {
			n, err := strconv.Atoi(words[1].text)
			if err != nil {
				sh.unsupported(c, "exit with anything but a number")
				break
			}
			c.exit = n
		}
		sh.exited = true
	case "curl.exe":
		var args []string
		for _, w := range words[1:] {
			args = append(args, w.text)
		}
		sh.curl(c, args)
		n := c.exit
		sh.native = &n
	case "test-netconnection", "tnc":
		sh.testNetConnection(c, params, positional)
	case "resolve-dnsname":
		sh.resolveDNSName(c, params, positional)
	case "new-item", "mkdir", "md":
		sh.newItem(c, name, params, positional)
	case "set-content", "add-content":
		sh.setContent(c, name == "add-content", params, positional, words)
	case "get-content", "cat", "type", "gc":
		p := winPath(first(params["path"], positional))
		s, ok := sh.env.Files().Read(p)
		if !ok {
			c.fail(1, "Get-Content : Cannot find path '%s' because it does not exist.\n", p)
			break
		}
		c.print("%s", strings.ReplaceAll(strings.TrimRight(s, "\r\n"), "\r\n", "\n"))
		c.print("\n")
	case "test-path":
		p := winPath(first(params["path"], positional))
		_, isFile := sh.env.Files().Read(p)
		c.print("%s\n", psBool(isFile || sh.isDir(p)))
	case "invoke-webrequest", "iwr", "curl", "wget":
		sh.invokeWebRequest(c, params, positional)
	default:
		sh.unsupported(c, "the command '"+words[0].text+"'")
	}
	sh.emit(c.stdout.String(), c.stderr.String())
	sh.exit = c.exit
}

// psParams splits a cmdlet's words into -Name value parameters (lower-cased
// names; switches map to "true") and positional values.
func psParams(words []word) (map[string]string, []string) {
	params := map[string]string{}
	var positional []string
	switches := map[string]bool{"force": true, "dnsonly": true, "usebasicparsing": true, "nonewline": true}
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !w.op && strings.HasPrefix(w.text, "-") && len(w.text) > 1 {
			name := strings.ToLower(w.text[1:])
			if switches[name] || i+1 >= len(words) {
				params[name] = "true"
				continue
			}
			i++
			params[name] = words[i].text
			if words[i].op {
				params[name] = "\x00" + words[i].text
			}
			continue
		}
		positional = append(positional, w.text)
	}
	return params, positional
}

func first(v string, positional []string) string {
	if v != "" {
		return v
	}
	if len(positional) > 0 {
		return positional[0]
	}
	return ""
}

func psBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// winPath is a Windows path as the disk keys it: backslashes, no trailing
// separator, case-insensitive (lower case).
func winPath(p string) string {
	p = strings.ReplaceAll(p, "/", `\`)
	return strings.ToLower(strings.TrimRight(cleanPath(p, `\`), `\`))
}

// psValue is a word's value: an expression is evaluated (only the UTC time).
func (sh *shell) psValue(w word) string {
	if !w.op {
		return w.text
	}
	return sh.psExpr(w.text)
}

// psExpr evaluates the one expression of the subset; anything else is
// printed as PowerShell would not: flagged.
func (sh *shell) psExpr(e string) string {
	compact := strings.ReplaceAll(strings.ToLower(e), " ", "")
	switch compact {
	case "([datetime]::utcnow.tostring('o'))", `([datetime]::utcnow.tostring("o"))`:
		return sh.now().UTC().Format("2006-01-02T15:04:05.0000000Z")
	}
	return e
}

func (sh *shell) testNetConnection(c *out, params map[string]string, positional []string) {
	host := first(params["computername"], positional)
	if host == "" {
		sh.unsupported(c, "Test-NetConnection without -ComputerName")
		return
	}
	if params["port"] == "" {
		sh.unsupported(c, "Test-NetConnection without -Port (ICMP)")
		return
	}
	port, err := strconv.Atoi(params["port"])
	if err != nil || port < 1 || port > 65535 {
		c.fail(1, "Test-NetConnection : Cannot validate argument on parameter 'Port'. %q is not a valid port.\n", params["port"])
		return
	}
	o := sh.connect(host, port)
	sh.charge(o, tncTimeout)
	ok := o == Connected
	if !ok {
		switch o {
		case Unresolved:
			c.errorf("WARNING: Name resolution of %s failed\n", host)
		default:
			c.errorf("WARNING: TCP connect to (%s : %d) failed\n", host, port)
		}
	}
	if strings.EqualFold(params["informationlevel"], "quiet") {
		c.print("%s\n", psBool(ok))
		return
	}
	c.print("\nComputerName     : %s\nRemotePort       : %d\nTcpTestSucceeded : %s\n\n", host, port, psBool(ok))
}

func (sh *shell) resolveDNSName(c *out, params map[string]string, positional []string) {
	name := first(params["name"], positional)
	if t := params["type"]; t != "" && !strings.EqualFold(t, "A") {
		sh.unsupported(c, "Resolve-DnsName -Type "+t+" (only A)")
		return
	}
	server, port := params["server"], 0
	answers, o := sh.env.Resolve(name, server, port)
	sh.elapsed += costDNS
	switch {
	case o == TimedOut || o == Refused:
		sh.charge(TimedOut, 15*time.Second)
		c.fail(1, "Resolve-DnsName : %s : This operation returned because the timeout period expired\n", name)
		return
	case len(answers) == 0:
		c.fail(1, "Resolve-DnsName : %s : DNS name does not exist\n", name)
		return
	}
	c.print("\nName                                           Type   TTL   Section    IPAddress\n")
	c.print("----                                           ----   ---   -------    ---------\n")
	for _, a := range answers {
		c.print("%-46s A      30    Answer     %s\n", name, a)
	}
	c.print("\n")
}

func (sh *shell) newItem(c *out, name string, params map[string]string, positional []string) {
	if name == "new-item" && !strings.EqualFold(params["itemtype"], "directory") {
		sh.unsupported(c, "New-Item without -ItemType Directory")
		return
	}
	p := winPath(first(params["path"], positional))
	if p == "" {
		c.fail(1, "New-Item : Cannot bind argument to parameter 'Path' because it is an empty string.\n")
		return
	}
	if _, isFile := sh.env.Files().Read(p); isFile {
		c.fail(1, "New-Item : An item with the specified name %s already exists.\n", p)
		return
	}
	if sh.isDir(p) && params["force"] == "" {
		c.fail(1, "New-Item : An item with the specified name %s already exists.\n", p)
		return
	}
	// New-Item makes the missing parents too.
	var made []string
	for d := p; !sh.isDir(d) && strings.Contains(d, `\`); d = sh.parent(d) {
		made = append([]string{d}, made...)
	}
	for _, d := range made {
		if err := sh.env.Files().Mkdir(d); err != nil {
			c.fail(1, "New-Item : %v\n", err)
			return
		}
	}
	c.print("\n    Directory: %s\n\nMode                 LastWriteTime         Length Name\n----                 -------------         ------ ----\nd-----        %s                %s\n\n",
		sh.parent(p), sh.now().UTC().Format("1/2/2006   3:04 PM"), p[strings.LastIndex(p, `\`)+1:])
}

func (sh *shell) setContent(c *out, appendTo bool, params map[string]string, positional []string, words []word) {
	cmd := "Set-Content"
	if appendTo {
		cmd = "Add-Content"
	}
	p := winPath(first(params["path"], positional))
	v, ok := params["value"]
	if !ok && len(positional) > 1 {
		v, ok = positional[1], true
	}
	if !ok {
		sh.unsupported(c, cmd+" without -Value")
		return
	}
	if strings.HasPrefix(v, "\x00") {
		v = sh.psExpr(v[1:])
	}
	if why := sh.writeFile(p, v+"\r\n", appendTo); why != "" {
		msg := fmt.Sprintf("Could not find a part of the path '%s'.", p)
		if why == "Is a directory" {
			msg = fmt.Sprintf("Access to the path '%s' is denied.", p)
		}
		c.fail(1, "%s : %s\n", cmd, msg)
	}
}

func (sh *shell) invokeWebRequest(c *out, params map[string]string, positional []string) {
	rawURL := first(params["uri"], positional)
	timeout := 100 * time.Second
	if t := params["timeoutsec"]; t != "" {
		n, err := strconv.Atoi(t)
		if err != nil {
			c.fail(1, "Invoke-WebRequest : Cannot bind parameter 'TimeoutSec'. %q is not a number.\n", t)
			return
		}
		timeout = time.Duration(n) * time.Second
	}
	if !strings.HasPrefix(strings.ToLower(rawURL), "http://") {
		c.fail(1, "Invoke-WebRequest : %s: the emulator's VMs serve HTTP only\n", rawURL)
		return
	}
	resp, body, o := sh.get(rawURL, timeout)
	if resp == nil {
		sh.charge(o, timeout)
		msg := map[Outcome]string{Unresolved: "The remote name could not be resolved", Refused: "Unable to connect to the remote server", TimedOut: "The operation has timed out."}[o]
		c.fail(1, "Invoke-WebRequest : %s\n", msg)
		return
	}
	sh.elapsed += costHTTP
	if resp.StatusCode >= 400 {
		c.fail(1, "Invoke-WebRequest : The remote server returned an error: (%d) %s.\n", resp.StatusCode, strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)+" "))
		return
	}
	content := string(body)
	c.print("\nStatusCode        : %d\nStatusDescription : %s\nContent           : %s\n\n", resp.StatusCode, strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)+" "), content)
}
