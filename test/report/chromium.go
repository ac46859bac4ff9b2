package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Chromium finds a Chromium or Chrome binary ($CHROMIUM, else on PATH).
func Chromium() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium: install Debian's chromium package (apt-get install -y chromium) or set CHROMIUM")
}

// chromium runs headless Chromium on the page with extra arguments and
// returns what it printed on stdout. The flags keep it off this machine's
// (closed) network and out of the user's profile.
func chromium(page string, extra ...string) ([]byte, error) {
	bin, err := Chromium()
	if err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "azuredr-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--user-data-dir=" + profile}, extra...)
	abs, err := filepath.Abs(page)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin, append(args, "file://"+abs)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %v\n%s", bin, err, tailText(stderr.String(), 15))
	}
	return stdout.Bytes(), nil
}

// VerifyInChromium opens the HTML report in headless Chromium and checks
// what it shows: the DOM Chromium built holds, for every expected scenario,
// its section with its verdict, a drawn timeline (bars and event marks) for
// each of its drills and, where it had a previous run, its history; and a
// screenshot holds the verdict colours and the timeline's failover bars.
func VerifyInChromium(page string, expect []Expectation) error {
	dom, err := chromium(page, "--dump-dom")
	if err != nil {
		return err
	}
	var errs []error
	text := string(dom)
	for _, e := range expect {
		sec, ok := section(text, e.Scenario)
		if !ok {
			errs = append(errs, fmt.Errorf("scenario %s: no section", e.Scenario))
			continue
		}
		if !strings.Contains(sec, `data-verdict="`+e.Verdict+`"`) || !strings.Contains(sec, `data-role="verdict">`+e.Verdict+`<`) {
			errs = append(errs, fmt.Errorf("scenario %s: verdict %q not shown", e.Scenario, e.Verdict))
		}
		for _, addr := range e.TimelineFor {
			fig, ok := between(sec, `data-drill="`+addr+`"`, "</figure>")
			if !ok {
				errs = append(errs, fmt.Errorf("scenario %s: no timeline for %s", e.Scenario, addr))
				continue
			}
			if strings.Count(fig, "<circle") == 0 || strings.Count(fig, "<rect") < 2 {
				errs = append(errs, fmt.Errorf("scenario %s: the timeline of %s draws no bars or events", e.Scenario, addr))
			}
		}
		hist, _ := between(sec, `data-role="history"`, "</div>")
		if e.HasHistory != strings.Contains(hist, "Previous run") {
			errs = append(errs, fmt.Errorf("scenario %s: history shown = %v, want %v", e.Scenario, !e.HasHistory, e.HasHistory))
		}
	}
	if err := verifyScreenshot(page, expect); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// verifyScreenshot renders the page to PNG and looks for the colours a
// reader sees: green or red verdict badges and blue failover bars.
func verifyScreenshot(page string, expect []Expectation) error {
	dir, err := os.MkdirTemp("", "azuredr-shot-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	shot := filepath.Join(dir, "report.png")
	height := 900 + 700*len(expect)
	if _, err := chromium(page, "--hide-scrollbars", fmt.Sprintf("--window-size=1100,%d", height), "--screenshot="+shot); err != nil {
		return err
	}
	f, err := os.Open(shot)
	if err != nil {
		return fmt.Errorf("the screenshot: %w", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("the screenshot: %w", err)
	}
	want := map[string]color.RGBA{"failover bars": {0x09, 0x69, 0xda, 0xff}}
	for _, e := range expect {
		if e.Verdict == VerdictPassed {
			want["passed badges"] = color.RGBA{0x1a, 0x7f, 0x37, 0xff}
		} else {
			want["failed badges"] = color.RGBA{0xcf, 0x22, 0x2e, 0xff}
		}
	}
	var errs []error
	for what, c := range want {
		if n := countColour(img, c); n < 50 {
			errs = append(errs, fmt.Errorf("the screenshot shows no %s (%d pixels of #%02x%02x%02x)", what, n, c.R, c.G, c.B))
		}
	}
	return errors.Join(errs...)
}

func countColour(img image.Image, c color.RGBA) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r, c.R) && near(g, c.G) && near(bl, c.B) {
				n++
			}
		}
	}
	return n
}

func near(v uint32, want uint8) bool {
	d := int(v>>8) - int(want)
	return d >= -3 && d <= 3
}

// section is the scenario's <section> in the DOM.
func section(dom, scenario string) (string, bool) {
	i := strings.Index(dom, `data-scenario="`+scenario+`"`)
	if i < 0 {
		return "", false
	}
	j := strings.Index(dom[i:], "</section>")
	if j < 0 {
		return "", false
	}
	return dom[i : i+j], true
}

func between(s, from, to string) (string, bool) {
	i := strings.Index(s, from)
	if i < 0 {
		return "", false
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:], true
	}
	return s[i : i+j], true
}

func tailText(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
