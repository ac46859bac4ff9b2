package harness

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Progress is one phase change of a drill, as the provider logs it.
type Progress struct {
	// Resource is the drill's name; Kind "drill" (a test failover) or
	// "failover".
	Kind, Resource string
	Phase          string
	Item           string
	Message        string
	// Elapsed is on the drill's clock (simulated on the emulator).
	Elapsed string
}

// The provider logs "drill <name>: <phase> <message>" (and "failover ...")
// at info level with elapsed and item fields; hclog puts the fields, in no
// set order, after the message and ": ".
var progressLine = regexp.MustCompile(`provider\.terraform-provider-azuredr[^:]*: (drill|failover) ([^:]+): (\S+) ?(.*?): ((?:@caller|@module|elapsed|group|item|tf_[a-z_]+)=.*)$`)
var progressField = regexp.MustCompile(`\b(elapsed|item)=("[^"]*"|\S+)`)

func parseProgress(line string) (Progress, bool) {
	m := progressLine.FindStringSubmatch(line)
	if m == nil {
		return Progress{}, false
	}
	p := Progress{Kind: m[1], Resource: m[2], Phase: m[3], Message: strings.TrimSpace(m[4])}
	for _, f := range progressField.FindAllStringSubmatch(m[5], -1) {
		v := strings.Trim(f[2], `"`)
		switch f[1] {
		case "elapsed":
			p.Elapsed = v
		case "item":
			p.Item = v
		}
	}
	return p, true
}

// tailProgress follows the provider's log while Terraform runs and prints
// each phase change with the real time elapsed since the drill started, so
// a nightly log reads as a timeline. The returned func stops it after a
// last read.
func (d *Drill) tailProgress(path string) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var f *os.File
		var rd *bufio.Reader
		var partial string
		read := func() {
			if f == nil {
				var err error
				if f, err = os.Open(path); err != nil {
					return
				}
				rd = bufio.NewReader(f)
			}
			for {
				chunk, err := rd.ReadString('\n')
				if err == io.EOF {
					partial += chunk
					return
				}
				if err != nil {
					return
				}
				line := partial + chunk
				partial = ""
				if p, ok := parseProgress(strings.TrimRight(line, "\n")); ok {
					d.progress(p)
				}
			}
		}
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				read()
				if f != nil {
					_ = f.Close()
				}
				return
			case <-tick.C:
				read()
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// progress prints a phase change and hands it to OnProgress.
func (d *Drill) progress(p Progress) {
	where := p.Phase
	if p.Item != "" {
		where += " [" + p.Item + "]"
	}
	msg := p.Message
	if len(msg) > 160 {
		msg = msg[:157] + "..."
	}
	d.Logf("%s %s: %s (drill clock +%s)", p.Kind, where, msg, p.Elapsed)
	if d.opts.OnProgress != nil {
		d.opts.OnProgress(d, p)
	}
}

// Logf prints a line of the drill's log: the scenario, the real time since
// the drill started, the text. Printed at once (not buffered by go test),
// as terratest's logger does, so parallel drills interleave by time.
func (d *Drill) Logf(format string, args ...any) {
	elapsed := time.Since(d.Started).Round(time.Second)
	line := fmt.Sprintf("[%s +%s] %s\n", d.opts.Scenario, fmtElapsed(elapsed), fmt.Sprintf(format, args...))
	logMu.Lock()
	defer logMu.Unlock()
	_, _ = io.WriteString(os.Stdout, line)
}

var logMu sync.Mutex

// fmtElapsed prints 0:42 or 1:02:03 (real time, for progress lines).
func fmtElapsed(d time.Duration) string {
	s := int(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
