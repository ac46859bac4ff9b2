package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestCommandLineErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, nil, "subscription"},
		{[]string{"extra"}, nil, `unexpected argument "extra"`},
		{nil, map[string]string{"ARM_SUBSCRIPTION_ID": "3c9d2e1f-5a4b-4c7d-8e9f-0a1b2c3d4e5f", "ARM_USE_MSI": "maybe"}, "ARM_USE_MSI"},
	} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), tc.args, env(tc.env), &out, &errOut); code != exitUsage {
			t.Errorf("%v %v: exit %d, want %d", tc.args, tc.env, code, exitUsage)
		}
		if !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v %v: stderr %q does not mention %q", tc.args, tc.env, errOut.String(), tc.want)
		}
	}
}

// Against an endpoint that does not answer, the sweep fails within its
// timeout, saying what it was doing, and claims nothing.
func TestUnreachableEndpoint(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-dry-run", "-timeout", "2s"},
		env(map[string]string{"ARM_SUBSCRIPTION_ID": "3c9d2e1f-5a4b-4c7d-8e9f-0a1b2c3d4e5f", "ARM_RESOURCE_MANAGER_ENDPOINT": "http://127.0.0.1:1"}), &out, &errOut)
	if code != exitError || !strings.Contains(errOut.String(), "listing resource groups") {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	if !strings.Contains(out.String(), "0 site(s) checked") {
		t.Fatalf("stdout %q", out.String())
	}
}

// -all is what reaches whole sites; without it the sweep is the drill
// leftovers' alone. Both are accepted on the command line.
func TestAllFlag(t *testing.T) {
	for _, args := range [][]string{{"-dry-run", "-timeout", "1s"}, {"-all", "-dry-run", "-timeout", "1s"}} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), args,
			env(map[string]string{"ARM_SUBSCRIPTION_ID": "3c9d2e1f-5a4b-4c7d-8e9f-0a1b2c3d4e5f", "ARM_RESOURCE_MANAGER_ENDPOINT": "http://127.0.0.1:1"}), &out, &errOut)
		if code == exitUsage {
			t.Errorf("%v: refused as a usage error: %s", args, errOut.String())
		}
	}
}
