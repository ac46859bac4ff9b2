package vmshell

import (
	"strconv"
	"strings"
	"time"
)

// bash runs one line of a RunShellScript.
func (sh *shell) bash(line string) {
	words, err := shellWords(line, sh.exit)
	if err != nil {
		c := &out{}
		sh.unsupported(c, err.Error())
		sh.emit("", c.stderr.String())
		sh.exit = c.exit
		return
	}
	var args []string
	type redirect struct {
		op, path string
	}
	var reds []redirect
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !w.op {
			args = append(args, w.text)
			continue
		}
		if w.text == "2>&1" {
			reds = append(reds, redirect{op: w.text})
			continue
		}
		if i+1 >= len(words) || words[i+1].op {
			sh.emit("", "bash: syntax error near unexpected token `newline'\n")
			sh.exit = 2
			return
		}
		reds = append(reds, redirect{op: w.text, path: words[i+1].text})
		i++
	}
	if len(args) == 0 {
		sh.exit = 0
		return
	}
	c := &out{}
	sh.linuxCommand(c, args)

	// Apply the redirections left to right: where fd 1 and fd 2 go.
	const screen1, screen2 = "\x00stdout", "\x00stderr"
	fd1, fd2 := screen1, screen2
	appendTo := map[string]bool{}
	var order []string
	for _, r := range reds {
		switch r.op {
		case ">", ">>":
			fd1 = r.path
			appendTo[r.path] = r.op == ">>"
			order = append(order, r.path)
		case "2>":
			fd2 = r.path
			order = append(order, r.path)
		case "2>&1":
			fd2 = fd1
		}
	}
	sinks := map[string]*strings.Builder{screen1: {}, screen2: {}}
	add := func(target, text string) {
		if sinks[target] == nil {
			sinks[target] = &strings.Builder{}
		}
		sinks[target].WriteString(text)
	}
	add(fd1, c.stdout.String())
	add(fd2, c.stderr.String())
	written := map[string]bool{}
	for _, p := range order {
		if written[p] || p == "/dev/null" {
			continue
		}
		written[p] = true
		add(p, "")
		if why := sh.writeFile(p, sinks[p].String(), appendTo[p]); why != "" {
			sinks[screen2].WriteString("bash: " + p + ": " + why + "\n")
			c.exit = 1
		}
	}
	sh.emit(sinks[screen1].String(), sinks[screen2].String())
	sh.exit = c.exit
}

// linuxCommand runs one command of the subset.
func (sh *shell) linuxCommand(c *out, args []string) {
	switch args[0] {
	case "echo":
		a := args[1:]
		nl := "\n"
		if len(a) > 0 && a[0] == "-n" {
			a, nl = a[1:], ""
		}
		c.print("%s%s", strings.Join(a, " "), nl)
	case "true", ":":
	case "false":
		c.exit = 1
	case "exit":
		c.exit = sh.exit
		if len(args) > 1 {
			n, err := strconv.Atoi(args[1])
			if err != nil {
				c.fail(2, "bash: exit: %s: numeric argument required\n", args[1])
			} else {
				c.exit = n & 0xff
			}
		}
		sh.exited = true
	case "cat":
		for _, p := range args[1:] {
			p = sh.linuxPath(p)
			if sh.isDir(p) {
				c.fail(1, "cat: %s: Is a directory\n", p)
				continue
			}
			s, ok := sh.env.Files().Read(p)
			if !ok {
				c.fail(1, "cat: %s: No such file or directory\n", p)
				continue
			}
			c.print("%s", s)
		}
	case "mkdir":
		sh.mkdir(c, args[1:])
	case "date":
		sh.date(c, args[1:])
	case "test", "[":
		a := args[1:]
		if args[0] == "[" {
			if len(a) == 0 || a[len(a)-1] != "]" {
				c.fail(2, "bash: [: missing `]'\n")
				return
			}
			a = a[:len(a)-1]
		}
		sh.test(c, a)
	case "curl":
		sh.curl(c, args[1:])
	case "wget":
		sh.wget(c, args[1:])
	case "nc", "ncat", "netcat":
		sh.nc(c, args[1:])
	case "dig":
		sh.dig(c, args[1:])
	case "nslookup":
		sh.nslookup(c, args[1:])
	default:
		sh.unsupported(c, "the command '"+args[0]+"'")
	}
}

// linuxPath makes p absolute: Run Command's scripts start in the agent's
// download directory.
func (sh *shell) linuxPath(p string) string {
	if strings.HasPrefix(p, "/") {
		return cleanPath(p, "/")
	}
	return cleanPath("/var/lib/waagent/run-command/download/0/"+p, "/")
}

// cleanPath removes empty, "." and ".." elements.
func cleanPath(p, sep string) string {
	var parts []string
	for _, e := range strings.Split(p, sep) {
		switch e {
		case "", ".":
		case "..":
			if len(parts) > 0 {
				parts = parts[:len(parts)-1]
			}
		default:
			parts = append(parts, e)
		}
	}
	if sep == "/" {
		return "/" + strings.Join(parts, "/")
	}
	return strings.Join(parts, sep)
}

// systemDirs exist on every VM of the OS.
var systemDirs = map[OS][]string{
	Linux:   {"/", "/etc", "/home", "/opt", "/root", "/srv", "/tmp", "/usr", "/var", "/var/lib", "/var/log", "/var/tmp", "/var/lib/waagent", "/var/lib/waagent/run-command", "/var/lib/waagent/run-command/download", "/var/lib/waagent/run-command/download/0"},
	Windows: {`c:`, `c:\programdata`, `c:\windows`, `c:\windows\temp`, `c:\users`, `c:\temp`, `c:\packages`},
}

func (sh *shell) isDir(p string) bool {
	for _, d := range systemDirs[sh.os] {
		if d == p {
			return true
		}
	}
	return sh.env.Files().IsDir(p)
}

// parent is the directory holding p.
func (sh *shell) parent(p string) string {
	sep := "/"
	if sh.os == Windows {
		sep = `\`
	}
	i := strings.LastIndex(p, sep)
	switch {
	case i < 0:
		return p
	case i == 0:
		return sep
	}
	return p[:i]
}

// writeFile writes on the VM's disk ("" or why it failed, as the shell
// says it).
func (sh *shell) writeFile(p, content string, appendTo bool) string {
	if sh.os == Linux {
		p = sh.linuxPath(p)
	}
	if sh.isDir(p) {
		return "Is a directory"
	}
	if !sh.isDir(sh.parent(p)) {
		return "No such file or directory"
	}
	if err := sh.env.Files().Write(p, content, appendTo, sh.now()); err != nil {
		return err.Error()
	}
	return ""
}

func (sh *shell) mkdir(c *out, args []string) {
	parents := false
	var dirs []string
	for _, a := range args {
		switch {
		case a == "-p" || a == "--parents":
			parents = true
		case strings.HasPrefix(a, "-"):
			c.fail(1, "mkdir: invalid option -- '%s'\n", strings.TrimLeft(a, "-"))
			return
		default:
			dirs = append(dirs, sh.linuxPath(a))
		}
	}
	for _, d := range dirs {
		if sh.isDir(d) {
			if !parents {
				c.fail(1, "mkdir: cannot create directory '%s': File exists\n", d)
			}
			continue
		}
		if _, isFile := sh.env.Files().Read(d); isFile {
			c.fail(1, "mkdir: cannot create directory '%s': File exists\n", d)
			continue
		}
		if !parents && !sh.isDir(sh.parent(d)) {
			c.fail(1, "mkdir: cannot create directory '%s': No such file or directory\n", d)
			continue
		}
		if err := sh.env.Files().Mkdir(d); err != nil {
			c.fail(1, "mkdir: cannot create directory '%s': %v\n", d, err)
		}
	}
}

// date prints the VM's time; with -u in UTC (the VM's zone is UTC
// anyway, as Azure's images are), with +FORMAT in that format.
func (sh *shell) date(c *out, args []string) {
	t := sh.now().UTC()
	format := "%a %b %e %H:%M:%S %Z %Y"
	for _, a := range args {
		switch {
		case a == "-u" || a == "--utc":
		case strings.HasPrefix(a, "+"):
			format = a[1:]
		default:
			c.fail(1, "date: invalid option '%s'\n", a)
			return
		}
	}
	c.print("%s\n", strftime(t, format))
}

func strftime(t time.Time, f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		switch f[i] {
		case 'Y':
			b.WriteString(t.Format("2006"))
		case 'm':
			b.WriteString(t.Format("01"))
		case 'd':
			b.WriteString(t.Format("02"))
		case 'e':
			b.WriteString(t.Format("_2"))
		case 'H':
			b.WriteString(t.Format("15"))
		case 'M':
			b.WriteString(t.Format("04"))
		case 'S':
			b.WriteString(t.Format("05"))
		case 'N':
			b.WriteString(t.Format(".000000000")[1:])
		case 'Z':
			b.WriteString("UTC")
		case 'z':
			b.WriteString("+0000")
		case 's':
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		case 'a':
			b.WriteString(t.Format("Mon"))
		case 'b':
			b.WriteString(t.Format("Jan"))
		case 'F':
			b.WriteString(t.Format("2006-01-02"))
		case 'T':
			b.WriteString(t.Format("15:04:05"))
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(f[i])
		}
	}
	return b.String()
}

func (sh *shell) test(c *out, a []string) {
	if len(a) != 2 {
		sh.unsupported(c, "test with anything but -e, -f, -d or -s and one path")
		return
	}
	p := sh.linuxPath(a[1])
	content, isFile := sh.env.Files().Read(p)
	var ok bool
	switch a[0] {
	case "-e":
		ok = isFile || sh.isDir(p)
	case "-f":
		ok = isFile
	case "-d":
		ok = sh.isDir(p)
	case "-s":
		ok = isFile && content != ""
	default:
		sh.unsupported(c, "test "+a[0])
		return
	}
	if !ok {
		c.exit = 1
	}
}
