package duration

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	good := map[string]time.Duration{
		"0": 0, "0s": 0, "5m": 5 * time.Minute, "24h": 24 * time.Hour, "1h30m": 90 * time.Minute,
		"1d": 24 * time.Hour, "15d": 360 * time.Hour, "1d12h": 36 * time.Hour, " 4h ": 4 * time.Hour,
	}
	for in, want := range good {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "-5m", "5", "1d-1h", "d", "4 hours", "99999999d"} {
		if d, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", in, d)
		}
	}
}

func TestFormat(t *testing.T) {
	cases := map[time.Duration]string{0: "0", 4 * time.Hour: "4h", 90 * time.Minute: "90m", 5 * time.Minute: "5m", 90 * time.Second: "1m30s"}
	for in, want := range cases {
		if got := Format(in); got != want {
			t.Errorf("Format(%v) = %q, want %q", in, got, want)
		}
		if back, err := Parse(Format(in)); err != nil || back != in {
			t.Errorf("Format(%v) does not parse back: %v, %v", in, back, err)
		}
	}
	if !Same("24h", "1d") || !Same("1440m", "24h") || Same("24h", "25h") || Same("x", "x") {
		t.Error("Same compares meanings, and never matches unparsable strings")
	}
}
