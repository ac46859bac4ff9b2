package replication

import (
	"reflect"
	"testing"
	"time"
)

func TestShellJoinRoundTrips(t *testing.T) {
	cases := []struct {
		argv []string
		want string
	}{
		{[]string{"./scripts/warm-cache.sh", "--site", "dr"}, "./scripts/warm-cache.sh --site dr"},
		{[]string{"sh", "-c", "echo $AZUREDR_SITE > /tmp/x"}, "sh -c 'echo $AZUREDR_SITE > /tmp/x'"},
		{[]string{"say", "it's", ""}, `say 'it'\''s' ''`},
		{[]string{"tab\there", "new\nline", `back\slash`, `"dq"`}, "'tab\there' 'new\nline' 'back\\slash' '\"dq\"'"},
		{[]string{"k=v", "a@b:1,2%+"}, "k=v a@b:1,2%+"},
	}
	for _, c := range cases {
		got := ShellJoin(c.argv)
		if got != c.want {
			t.Errorf("ShellJoin(%q) = %q, want %q", c.argv, got, c.want)
		}
		back, err := ShellSplit(got)
		if err != nil || !reflect.DeepEqual(back, c.argv) {
			t.Errorf("ShellSplit(%q) = %q, %v; want %q", got, back, err, c.argv)
		}
	}
	// What a person may type in the portal reads as a shell would.
	for in, want := range map[string][]string{
		`run "a b" c\ d`:       {"run", "a b", "c d"},
		`  spaced   out  `:     {"spaced", "out"},
		`mixed'single'"dbl\""`: {`mixedsingledbl"`},
	} {
		if got, err := ShellSplit(in); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ShellSplit(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`'open`, `"open`, `trailing\`} {
		if _, err := ShellSplit(bad); err == nil {
			t.Errorf("ShellSplit(%q) accepted", bad)
		}
		if got := commandFromPath(bad); !reflect.DeepEqual(got, []string{bad}) {
			t.Errorf("commandFromPath(%q) = %q, want the path as one word", bad, got)
		}
	}
}

func TestManualAndDurationEncodings(t *testing.T) {
	for _, c := range []struct {
		desc     string
		required bool
		stored   string
	}{{"flip DNS", true, "[required] flip DNS"}, {"", true, "[required]"}, {"flip DNS", false, "flip DNS"}, {"", false, ""}} {
		if got := encodeManual(c.desc, c.required); got != c.stored {
			t.Errorf("encodeManual(%q, %v) = %q, want %q", c.desc, c.required, got, c.stored)
		}
		if d, r := decodeManual(c.stored); d != c.desc || r != c.required {
			t.Errorf("decodeManual(%q) = %q, %v", c.stored, d, r)
		}
	}
	for d, iso := range map[time.Duration]string{5 * time.Minute: "PT5M", 90 * time.Minute: "PT1H30M", 45 * time.Second: "PT45S", 24 * time.Hour: "PT24H", time.Hour + time.Second: "PT1H1S"} {
		if got := formatISODuration(d); got != iso {
			t.Errorf("formatISODuration(%s) = %q, want %q", d, got, iso)
		}
		if back, err := parseISODuration(iso); err != nil || back != d {
			t.Errorf("parseISODuration(%q) = %s, %v", iso, back, err)
		}
	}
	if d, err := parseISODuration("P1DT2H"); err != nil || d != 26*time.Hour {
		t.Errorf("P1DT2H = %s, %v", d, err)
	}
	for _, bad := range []string{"", "5m", "PT", "PTM", "PT5", "P5H"} {
		if _, err := parseISODuration(bad); err == nil {
			t.Errorf("parseISODuration(%q) accepted", bad)
		}
	}
}
