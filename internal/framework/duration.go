package framework

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/azuredr/terraform-provider-azuredr/internal/duration"
)

// Durations in configuration follow internal/duration's grammar; this file
// holds their validator.

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
	s := fmt.Sprintf("a duration from %s to %s, such as \"%s\" (units s, m, h, d)", duration.Spoken(v.min), duration.Spoken(v.max), duration.Spoken(v.max))
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
	d, err := duration.Parse(s)
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
		return fmt.Errorf("%s is out of range", duration.Spoken(d))
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
