package framework

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestParseDuration(t *testing.T) {
	good := map[string]time.Duration{
		"0": 0, "0s": 0, "5m": 5 * time.Minute, "24h": 24 * time.Hour, "1h30m": 90 * time.Minute,
		"1d": 24 * time.Hour, "15d": 360 * time.Hour, "1d12h": 36 * time.Hour, " 4h ": 4 * time.Hour,
	}
	for in, want := range good {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "-5m", "5", "1d-1h", "d", "4 hours", "99999999d"} {
		if d, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", in, d)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	cases := map[time.Duration]string{0: "0", 4 * time.Hour: "4h", 90 * time.Minute: "90m", 5 * time.Minute: "5m", 90 * time.Second: "1m30s"}
	for in, want := range cases {
		if got := FormatDuration(in); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", in, got, want)
		}
		if back, err := ParseDuration(FormatDuration(in)); err != nil || back != in {
			t.Errorf("FormatDuration(%v) does not parse back: %v, %v", in, back, err)
		}
	}
	if !SameDuration("24h", "1d") || !SameDuration("1440m", "24h") || SameDuration("24h", "25h") || SameDuration("x", "x") {
		t.Error("SameDuration compares meanings, and never matches unparsable strings")
	}
}

func TestDurationValidator(t *testing.T) {
	v := DurationValidator(time.Hour, 12*time.Hour, DurationAllowZero(), DurationMultipleOf(time.Minute))
	cases := map[string]string{
		"0": "", "0s": "", "1h": "", "12h": "", "90m": "",
		"30m": "out of range", "13h": "out of range", "1h30s": "whole number of minutes",
		"abc": "not a duration", "-5m": "negative",
	}
	for in, want := range cases {
		resp := &validator.StringResponse{}
		v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("freq"), ConfigValue: types.StringValue(in)}, resp)
		if want == "" {
			if resp.Diagnostics.HasError() {
				t.Errorf("%q: unexpected %v", in, resp.Diagnostics)
			}
			continue
		}
		if !resp.Diagnostics.HasError() {
			t.Errorf("%q: want an error", in)
			continue
		}
		d := resp.Diagnostics[0].Detail()
		if !strings.Contains(d, want) || !strings.Contains(d, `freq = "`+in+`"`) || !strings.Contains(d, `"0" to turn it off`) {
			t.Errorf("%q: detail %q lacks %q, the attribute or the fix", in, d, want)
		}
	}
	// Zero is refused where it is not allowed.
	resp := &validator.StringResponse{}
	DurationValidator(time.Minute, time.Hour).ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: types.StringValue("0")}, resp)
	if !resp.Diagnostics.HasError() {
		t.Error(`"0" must be refused below the minimum without DurationAllowZero`)
	}
}
