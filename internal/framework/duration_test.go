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
