package insite

import (
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
)

// Output is what a Run Command printed (each stream only its last 4096
// bytes, as Azure keeps).
type Output struct {
	Stdout, Stderr string
}

// ParseResult reads a RunCommandResult. Linux answers one status,
// "ProvisioningState/succeeded", whose message is "Enable succeeded: \n[stdout]\n...\n[stderr]\n...";
// Windows answers "ComponentStatus/StdOut/succeeded" and
// "ComponentStatus/StdErr/succeeded" with each stream as the message.
// Either shape is read whatever the OS. A Linux script that exited
// non-zero answers "Enable failed: ..." (the drill's scripts end with exit
// 0, so that is the script breaking): the output, with an error.
func ParseResult(r armcompute.RunCommandResult) (Output, error) {
	var out Output
	var failed string
	seen := false
	for _, st := range r.Value {
		if st == nil {
			continue
		}
		code, msg := deref(st.Code), deref(st.Message)
		switch {
		case strings.Contains(code, "/StdOut/"):
			out.Stdout, seen = msg, true
		case strings.Contains(code, "/StdErr/"):
			out.Stderr, seen = msg, true
		case strings.HasPrefix(code, "ProvisioningState/"):
			seen = true
			head, so, se := splitEnable(msg)
			out.Stdout, out.Stderr = so, se
			if strings.HasPrefix(head, "Enable failed") || strings.HasSuffix(code, "/failed") {
				failed = strings.TrimSpace(head)
			}
		}
	}
	if !seen {
		return out, fmt.Errorf("the Run Command's result has no output status (codes ProvisioningState/... or ComponentStatus/StdOut/...)")
	}
	if failed != "" {
		return out, fmt.Errorf("the script failed on the VM: %s%s", failed, detail(out.Stderr))
	}
	return out, nil
}

// splitEnable splits a Linux message into its head ("Enable succeeded:"),
// stdout and stderr.
func splitEnable(msg string) (head, stdout, stderr string) {
	head, rest, ok := strings.Cut(msg, "[stdout]\n")
	if !ok {
		return msg, "", ""
	}
	stdout, stderr, _ = strings.Cut(rest, "\n[stderr]\n")
	stderr = strings.TrimSuffix(stderr, "\n")
	return head, stdout, stderr
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
