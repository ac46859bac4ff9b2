package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"strings"
	"time"
)

//go:embed report.html.tmpl
var htmlTemplate string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"secs": func(n int64) string { return secs(float64(n)) },
	"objective": func(n int64) string {
		if n == 0 {
			return "none"
		}
		return secs(float64(n))
	},
	"delta": func(n int64) string {
		switch {
		case n > 0:
			return "+" + secs(float64(n)) + " (worse)"
		case n < 0:
			return "−" + secs(float64(-n)) + " (better)"
		}
		return "unchanged"
	},
	"met": func(measured, objective int64) string {
		switch {
		case objective == 0:
			return "info"
		case measured <= objective:
			return "met"
		}
		return "missed"
	},
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04:05 UTC")
	},
	"whenText": func(s string) string {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.UTC().Format("2006-01-02 15:04 UTC")
		}
		if s == "" {
			return "never"
		}
		return s
	},
	"took": func(a, b time.Time) string { return b.Sub(a).Round(time.Second).String() },
	// jobName is a Site Recovery job id's last segment, the name the vault
	// lists it by (the full id is the cell's title).
	"jobName":  func(id string) string { return id[strings.LastIndex(id, "/")+1:] },
	"timeline": func(d DrillResult) *timelineView { return buildTimeline(d) },
	"scale": func(f float64) string {
		if f == 1 || f == 0 {
			return "real time"
		}
		return fmt.Sprintf("simulated, x%g", f)
	},
}).Parse(htmlTemplate))

func renderHTML(s Summary) ([]byte, error) {
	var b bytes.Buffer
	if err := page.Execute(&b, s); err != nil {
		return nil, fmt.Errorf("rendering the HTML report: %w", err)
	}
	return b.Bytes(), nil
}
