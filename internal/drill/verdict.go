package drill

import (
	"strings"
)

// Verdict is the message of a drill's verdict event: "failed: ..." when
// the drill failed, "objectives breached: ..." when it ran but missed an
// objective, else passed (the kind's message, with what it measured); a
// failed cleanup is added to any of them.
func Verdict(drillErr, cleanupErr error, breaches []Breach, passed string) string {
	var msg string
	switch {
	case drillErr != nil:
		msg = "failed: " + drillErr.Error()
	case len(breaches) > 0:
		var parts []string
		for _, b := range breaches {
			parts = append(parts, b.String())
		}
		msg = "objectives breached: " + strings.Join(parts, "; ")
	default:
		msg = passed
	}
	if cleanupErr != nil {
		msg += "; cleanup: " + cleanupErr.Error()
	}
	return msg
}
