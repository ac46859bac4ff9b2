// Command azuredr-approve makes approvers' keys and signs and verifies the
// approvals a real failover needs (internal/approval): an approver runs
// keygen once and hands the printed approver block to whoever owns the
// site's Terraform; at invocation time the approver signs the recovery
// plan's id and action, and the token goes to the failover.
package main

import (
	"bufio"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/approval"
)

// Exit codes: 0 success (verify: the approval is valid), 1 failure (verify:
// the approval is refused), 2 a bad command line.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, time.Now))
}

const usage = `Usage: azuredr-approve <command> [flags]

Approvals for real failovers of azuredr recovery plans. Test failovers
(drills) need none; failover, commit, reprotect and failback need one,
signed by an approver configured on the azuredr_site. (A token signed
for planned_failover or unplanned_failover, actions of earlier versions,
is refused: sign a new one with -action failover.)

Commands:
  keygen  -name NAME -out FILE
          Make an approver's key. Writes the private key to FILE (mode
          0600; keep it secret) and prints the approver block to add to
          the azuredr_site.
  pubkey  -key FILE
          Print the approver block of an existing key file again.
  sign    -key FILE -plan PLAN_ID -action ACTION -expires DURATION [-reason TEXT]
          Print an approval token for one action on one recovery plan.
  verify  -token TOKEN -plan PLAN_ID -action ACTION -approver NAME=ed25519:KEY...
          Check a token as the provider does. Exit status 0 when valid,
          1 with the reason when not.

Actions: failover, commit, reprotect, failback.
Run 'azuredr-approve <command> -h' for a command's flags.
`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer, now func() time.Time) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr, now: now}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "keygen":
		return c.keygen(rest)
	case "pubkey":
		return c.pubkey(rest)
	case "sign":
		return c.sign(rest)
	case "verify":
		return c.verify(rest)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "azuredr-approve: unknown command %q\n\n%s", cmd, usage)
		return exitUsage
	}
}

type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time
}

// flags is a command's flag set, printing its usage to stderr.
func (c *cli) flags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("azuredr-approve "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: azuredr-approve %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, then reports the first missing required flag.
func (c *cli) parse(fs *flag.FlagSet, args []string, required ...string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	if fs.NArg() > 0 {
		return c.usageError(fs, fmt.Sprintf("unexpected argument %q", fs.Arg(0))), false
	}
	for _, name := range required {
		if fs.Lookup(name).Value.String() == "" {
			return c.usageError(fs, "-"+name+" is required"), false
		}
	}
	return exitOK, true
}

func (c *cli) usageError(fs *flag.FlagSet, msg string) int {
	fmt.Fprintf(c.stderr, "%s: %s\n", fs.Name(), msg)
	fmt.Fprintf(c.stderr, "Run '%s -h' for usage.\n", fs.Name())
	return exitUsage
}

func (c *cli) fail(format string, args ...any) int {
	fmt.Fprintf(c.stderr, "azuredr-approve: "+format+"\n", args...)
	return exitError
}

func (c *cli) keygen(args []string) int {
	fs := c.flags("keygen", "-name NAME -out FILE")
	name := fs.String("name", "", "the approver's `name` as the site will know it: 1-64 letters, digits, '.', '_', '@', '-'")
	out := fs.String("out", "", "`file` to write the private key to (mode 0600); never overwritten")
	if code, ok := c.parse(fs, args, "name", "out"); !ok {
		return code
	}
	if err := approval.ValidateName(*name); err != nil {
		return c.usageError(fs, err.Error())
	}
	pub, priv, err := approval.GenerateKey(nil)
	if err != nil {
		return c.fail("generating a key: %v", err)
	}
	data, err := approval.MarshalPrivateKey(*name, priv)
	if err != nil {
		return c.fail("%v", err)
	}
	if err := writeNew(*out, data); err != nil {
		if errors.Is(err, os.ErrExist) {
			return c.fail("%s exists; keygen never overwrites a key (choose another -out, or delete it if it is really unused)", *out)
		}
		return c.fail("writing the key: %v", err)
	}
	fmt.Fprintf(c.stderr, "Wrote the private key of approver %q to %s. Keep it secret: it authorises real failovers.\n"+
		"Add this block to the azuredr_site whose failovers %s may approve:\n\n", *name, *out, *name)
	printBlock(c.stdout, *name, approval.FormatPublicKey(pub))
	return exitOK
}

// writeNew writes a file that must not exist yet, readable by its owner only.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

func printBlock(w io.Writer, name, publicKey string) {
	fmt.Fprintf(w, "  approver {\n    name       = %q\n    public_key = %q\n  }\n", name, publicKey)
}

func (c *cli) pubkey(args []string) int {
	fs := c.flags("pubkey", "-key FILE")
	keyFile := fs.String("key", "", "private key `file` made by keygen")
	if code, ok := c.parse(fs, args, "key"); !ok {
		return code
	}
	name, priv, code := c.readKey(*keyFile)
	if code != exitOK {
		return code
	}
	pub, _ := priv.Public().(ed25519.PublicKey)
	printBlock(c.stdout, name, approval.FormatPublicKey(pub))
	return exitOK
}

// readKey reads a key file, refusing one others can read.
func (c *cli) readKey(path string) (string, ed25519.PrivateKey, int) {
	info, err := os.Stat(path)
	if err != nil {
		return "", nil, c.fail("reading the key: %v", err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 && !isWindows() {
		return "", nil, c.fail("%s is readable by others (mode %04o): run chmod 600 %s; a leaked key can approve failovers", path, perm, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, c.fail("reading the key: %v", err)
	}
	name, priv, err := approval.ParsePrivateKey(data)
	if err != nil {
		return "", nil, c.fail("%s: %v", path, err)
	}
	return name, priv, exitOK
}

func (c *cli) sign(args []string) int {
	fs := c.flags("sign", "-key FILE -plan PLAN_ID -action ACTION -expires DURATION [-reason TEXT]")
	keyFile := fs.String("key", "", "private key `file` made by keygen")
	plan := fs.String("plan", "", "ARM `id` of the recovery plan (compared case-insensitively)")
	action := fs.String("action", "", "`action` to approve: failover, commit, reprotect or failback")
	expires := fs.String("expires", "", "how long the approval stays valid: a `duration` such as 30m, 2h or 3d (at most 7d), or an RFC 3339 time")
	reason := fs.String("reason", "", "optional `text` recorded with the approval, for the audit trail")
	if code, ok := c.parse(fs, args, "key", "plan", "action", "expires"); !ok {
		return code
	}
	act, err := approval.ParseAction(*action)
	if err != nil {
		return c.usageError(fs, "-action: "+err.Error())
	}
	now := c.now()
	until, err := parseExpiry(*expires, now)
	if err != nil {
		return c.usageError(fs, "-expires: "+err.Error())
	}
	name, priv, code := c.readKey(*keyFile)
	if code != exitOK {
		return code
	}
	a := approval.Approval{PlanID: *plan, Action: act, Expires: until, Approver: name, Reason: *reason}
	token, err := approval.Sign(priv, a)
	if err != nil {
		return c.fail("%v", err)
	}
	fmt.Fprintf(c.stderr, "Approval by %s of %s on %s, valid until %s.\n", name, act, *plan, until.UTC().Truncate(time.Second).Format(time.RFC3339))
	fmt.Fprintln(c.stdout, token)
	return exitOK
}

// parseExpiry reads -expires: a positive duration (Go syntax, or whole days
// as "3d") from now, or an RFC 3339 time, no later than MaxValidity ahead.
func parseExpiry(s string, now time.Time) (time.Time, error) {
	var until time.Time
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		until = t
	} else {
		d, err := parseDuration(s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is neither a duration (30m, 2h, 3d) nor an RFC 3339 time", s)
		}
		if d <= 0 {
			return time.Time{}, fmt.Errorf("%q must be positive", s)
		}
		until = now.Add(d)
	}
	if !until.After(now) {
		return time.Time{}, fmt.Errorf("%s is in the past", until.Format(time.RFC3339))
	}
	if until.Sub(now) > approval.MaxValidity {
		return time.Time{}, fmt.Errorf("%q is more than %s ahead; approvals are short-lived so a leaked one cannot be replayed for long", s, formatDays(approval.MaxValidity))
	}
	return until, nil
}

func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, err
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

func formatDays(d time.Duration) string {
	return strconv.Itoa(int(d/(24*time.Hour))) + " days"
}

func (c *cli) verify(args []string) int {
	fs := c.flags("verify", "-token TOKEN -plan PLAN_ID -action ACTION -approver NAME=ed25519:KEY [-approver ...]")
	token := fs.String("token", "", "the approval `token`; - reads it from stdin")
	plan := fs.String("plan", "", "ARM `id` of the recovery plan the approval must be for")
	action := fs.String("action", "", "`action` the approval must allow")
	var approvers approverFlag
	fs.Var(&approvers, "approver", "a pre-appointed approver as `NAME=ed25519:KEY` (the site's approver blocks); repeat for each")
	if code, ok := c.parse(fs, args, "token", "plan", "action"); !ok {
		return code
	}
	act, err := approval.ParseAction(*action)
	if err != nil {
		return c.usageError(fs, "-action: "+err.Error())
	}
	if len(approvers) == 0 {
		return c.usageError(fs, "at least one -approver NAME=ed25519:KEY is required")
	}
	tok := *token
	if tok == "-" {
		line, err := bufio.NewReader(c.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return c.fail("reading the token from stdin: %v", err)
		}
		tok = line
	}
	a, err := approval.Verify(tok, approvers, approval.Want{PlanID: *plan, Action: act}, c.now())
	if err != nil {
		fmt.Fprintf(c.stderr, "azuredr-approve: refused: %v\n", err)
		return exitError
	}
	fmt.Fprintf(c.stdout, "valid: %s approved %s on %s until %s", a.Approver, a.Action, a.PlanID, a.Expires.Format(time.RFC3339))
	if a.Reason != "" {
		fmt.Fprintf(c.stdout, " (reason: %s)", a.Reason)
	}
	fmt.Fprintln(c.stdout)
	return exitOK
}

// approverFlag collects -approver NAME=ed25519:KEY.
type approverFlag []approval.Approver

func (f *approverFlag) String() string { return "" }

func (f *approverFlag) Set(s string) error {
	name, key, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want NAME=ed25519:KEY, got %q", s)
	}
	if err := approval.ValidateName(name); err != nil {
		return err
	}
	pub, err := approval.ParsePublicKey(key)
	if err != nil {
		return err
	}
	*f = append(*f, approval.Approver{Name: name, PublicKey: pub})
	return nil
}

// isWindows: file modes mean little there, so the 0600 check is skipped.
func isWindows() bool { return runtime.GOOS == "windows" }
