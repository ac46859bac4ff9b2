// Package duration is the grammar of durations in configuration (recovery
// point retention, snapshot frequencies, drill objectives and timeouts): Go
// durations ("90m", "4h", "1h30m") plus a day unit ("7d", "1d12h"), since
// retention is thought of in days. A bare "0" means zero, as in Go. It is
// Terraform-free so the drill harness and reports can read the figures the
// provider writes.
package duration

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var daysPrefix = regexp.MustCompile(`^(\d+)d`)

// Parse reads a configuration duration. It refuses negative values: no
// objective or frequency is negative.
func Parse(s string) (time.Duration, error) {

	in := strings.TrimSpace(s)
	if in == "" {
		return 0, errors.New("empty duration")
	}
	if strings.HasPrefix(in, "-") {
		return 0, errors.New("negative duration")
	}
	var days time.Duration
	if m := daysPrefix.FindStringSubmatch(in); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n > 10000 {
			return 0, fmt.Errorf("%q: too many days", s)
		}
		days = time.Duration(n) * 24 * time.Hour
		in = in[len(m[0]):]
		if in == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(in)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration", s)
	}
	if d < 0 {
		return 0, errors.New("negative duration")
	}
	return days + d, nil
}

// Format writes d the way a person would configure it: "0", whole
// hours as "4h", whole minutes as "90m", otherwise Go's form ("1m30s"). Read
// uses it to render what Azure reports in minutes.
func Format(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	default:
		return d.String()
	}
}

// Spoken is Format with whole days as days ("15d"), for messages. Read
// does not use it: state keeps the hours an import would compare with.
func Spoken(d time.Duration) string {
	if d >= 24*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return Format(d)
}

// Same reports whether two configuration strings mean the same duration
// ("24h" and "1d" and "1440m"), so Read can keep the user's spelling when
// Azure's value agrees with it.
func Same(a, b string) bool {
	da, errA := Parse(a)
	db, errB := Parse(b)
	return errA == nil && errB == nil && da == db
}
