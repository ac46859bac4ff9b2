package framework

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Durations in configuration (recovery point retention, snapshot
// frequencies, drill objectives) are written as Go durations ("90m", "4h",
// "1h30m") plus a day unit ("7d", "1d12h"), since retention is thought of in
// days. A bare "0" means zero, as in Go.

var daysPrefix = regexp.MustCompile(`^(\d+)d`)

// ParseDuration reads a configuration duration. It refuses negative values:
// no objective or frequency is negative.
func ParseDuration(s string) (time.Duration, error) {
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

// FormatDuration writes d the way a person would configure it: "0", whole
// hours as "4h", whole minutes as "90m", otherwise Go's form ("1m30s"). Read
// uses it to render what Azure reports in minutes.
func FormatDuration(d time.Duration) string {
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

// spoken is FormatDuration with whole days as days ("15d"), for messages.
// Read does not use it: state keeps the hours an import would compare with.
func spoken(d time.Duration) string {
	if d >= 24*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return FormatDuration(d)
}

// SameDuration reports whether two configuration strings mean the same
// duration ("24h" and "1d" and "1440m"), so Read can keep the user's
// spelling when Azure's value agrees with it.
func SameDuration(a, b string) bool {
	da, errA := ParseDuration(a)
	db, errB := ParseDuration(b)
	return errA == nil && errB == nil && da == db
}

// DurationOption refines DurationValidator.
type DurationOption func(*durationValidator)

// DurationAllowZero accepts "0" (and "0s", "0m") below the minimum: for
// settings where zero switches the feature off.
func DurationAllowZero() DurationOption {
	return func(v *durationValidator) { v.allowZero = true }
}

// DurationMultipleOf requires whole units, e.g. whole minutes where Azure
// takes minutes.
func DurationMultipleOf(unit time.Duration) DurationOption {
	return func(v *durationValidator) { v.unit = unit }
}

// DurationValidator accepts durations (ParseDuration) from min to max
// inclusive. Its diagnostics name the attribute, the value and the accepted
// range, so the fix is in the message.
func DurationValidator(min, max time.Duration, opts ...DurationOption) validator.String {
	v := durationValidator{min: min, max: max}
	for _, o := range opts {
		o(&v)
	}
	return v
}

type durationValidator struct {
	min, max  time.Duration
	allowZero bool
	unit      time.Duration
}

func (v durationValidator) Description(context.Context) string {
	s := fmt.Sprintf("a duration from %s to %s, such as \"%s\" (units s, m, h, d)", spoken(v.min), spoken(v.max), spoken(v.max))
	if v.unit > 0 {
		s += ", in whole " + unitName(v.unit)
	}
	if v.allowZero && v.min > 0 {
		s += `, or "0" to turn it off`
	}
	return s
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	d, err := ParseDuration(s)
	if err == nil {
		err = v.check(d)
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%s = %q: %v. Use %s.", req.Path, s, err, v.Description(ctx)))
	}
}

// check applies the range and unit rules to a parsed duration.
func (v durationValidator) check(d time.Duration) error {
	if d == 0 && v.allowZero {
		return nil
	}
	if d < v.min || d > v.max {
		return fmt.Errorf("%s is out of range", spoken(d))
	}
	if v.unit > 0 && d%v.unit != 0 {
		return fmt.Errorf("%s is not a whole number of %s", d, unitName(v.unit))
	}
	return nil
}

func unitName(u time.Duration) string {
	switch u {
	case time.Second:
		return "seconds"
	case time.Minute:
		return "minutes"
	case time.Hour:
		return "hours"
	default:
		return "multiples of " + u.String()
	}
}
