package specexamples_test

import (
	"fmt"
	"strings"
)

// expectedDifference is a known way the emulator's answer differs from an
// example's, with the reason and, when another branch of issue 17 removes
// it, that branch. op and file may be "*"; path is a property path the
// shape comparison reports (a prefix matches its children).
type expectedDifference struct {
	op, file, path string
	reason         string
}

type differenceList []expectedDifference

// filter removes the expected differences from diffs, noting them in out.
func (l differenceList) filter(op, file string, diffs []string, out *outcome) []string {
	var rest, known []string
	for _, d := range diffs {
		path, _, _ := strings.Cut(d, ":")
		e, ok := l.find(op, file, path)
		if !ok {
			rest = append(rest, d)
			continue
		}
		known = append(known, fmt.Sprintf("%s (%s)", d, e.reason))
	}
	if len(known) > 0 && len(rest) == 0 {
		out.result, out.reason = resExpected, strings.Join(known, "; ")
	}
	return rest
}

func (l differenceList) find(op, file, path string) (expectedDifference, bool) {
	for _, e := range l {
		if (e.op == "*" || e.op == op) && (e.file == "*" || e.file == file) &&
			(path == e.path || strings.HasPrefix(path, e.path+".") || strings.HasPrefix(path, e.path+"[]")) {
			return e, true
		}
	}
	return expectedDifference{}, false
}

// expectedDifferences: keep it short; every entry says why.
var expectedDifferences = differenceList{}
