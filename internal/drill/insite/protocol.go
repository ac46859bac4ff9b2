package insite

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The output protocol: each result of a script is a section of stdout,
//
//	##azuredr <kind> <i> begin
//	<the tool's output>
//	##azuredr <kind> <i> exit <code>
//
// (on Windows the code may follow on the next line: $LASTEXITCODE printed
// by itself). Output outside sections (a cmdlet's chatter) is ignored. A
// marker may follow output that did not end its last line (a body without
// a final newline), so markers are found anywhere in a line.

// Kinds of section.
const (
	kindCheck  = "check"
	kindProbe  = "probe"
	kindCanary = "canary"
)

const markerPrefix = "##azuredr"

func marker(kind string, i int, what string) string {
	return fmt.Sprintf("%s %s %d %s", markerPrefix, kind, i, what)
}

var markerRE = regexp.MustCompile(`##azuredr ([a-z]+) (\d+) (begin|exit)(?:[ \t]*(?:\r?\n[ \t]*)?(-?\d+))?[ \t]*\r?(?:\n|$)`)

// Section is one result of a script.
type Section struct {
	Output string
	// Exit is the exit code its command reported; Complete is false when
	// the output ends inside the section (Run Command keeps only the last
	// 4096 bytes of stdout, or the script stopped).
	Exit     int
	Complete bool
}

// sectionKey names a section.
type sectionKey struct {
	kind string
	i    int
}

// parseSections reads every section of a script's stdout. A section seen
// twice keeps its last occurrence.
func parseSections(stdout string) map[sectionKey]Section {
	out := map[sectionKey]Section{}
	var open *sectionKey
	start := 0
	for _, m := range markerRE.FindAllStringSubmatchIndex(stdout, -1) {
		kind, what := stdout[m[2]:m[3]], stdout[m[6]:m[7]]
		i, _ := strconv.Atoi(stdout[m[4]:m[5]])
		k := sectionKey{kind, i}
		switch what {
		case "begin":
			if open != nil {
				out[*open] = Section{Output: stdout[start:m[0]]}
			}
			open, start = &k, m[1]
		case "exit":
			if open == nil || *open != k {
				continue // an exit without its begin: cut off in front
			}
			code := 0
			if m[8] >= 0 {
				code, _ = strconv.Atoi(stdout[m[8]:m[9]])
			}
			out[k] = Section{Output: stdout[start:m[0]], Exit: code, Complete: true}
			open = nil
		}
	}
	if open != nil {
		out[*open] = Section{Output: stdout[start:]}
	}
	return out
}

// section is the section of (kind, i), or an error saying why there is
// none.
func section(secs map[sectionKey]Section, kind string, i int) (Section, error) {
	s, ok := secs[sectionKey{kind, i}]
	if !ok {
		return s, fmt.Errorf("no output for it in the Run Command's stdout (Azure keeps only the last 4096 bytes; it is retried in a smaller batch)")
	}
	if !s.Complete {
		return s, fmt.Errorf("its output ends before its exit code (the script stopped inside it): %s", tail(s.Output))
	}
	return s, nil
}

// tail is the last line of an output, for messages.
func tail(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 200 {
		s = s[len(s)-200:]
	}
	return strings.TrimSpace(s)
}
