package drill

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

const testNet = "/subscriptions/s/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-test"

func TestRunScriptEnvAndOutput(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	env := ActionEnv{Drill: "nightly", Phase: "pre", Group: 2, Items: []string{"i1", "i2"}, TestVMs: []string{"vm-test"}, Addresses: []string{"10.0.0.4"}, TestNetwork: testNet}
	out, err := runScript(t.Context(), Action{Name: "env", Type: ActionScript, Command: []string{"sh", "-c",
		`echo "$AZUREDR_DRILL_NAME|$AZUREDR_DRILL_PHASE|$AZUREDR_GROUP|$AZUREDR_ITEMS|$AZUREDR_TEST_VM_NAMES|$AZUREDR_TEST_VM_ADDRESSES|$AZUREDR_ACTION_NAME"; echo err >&2`}}, env)
	if err != nil {
		t.Fatal(err)
	}
	if want := "nightly|pre|2|i1 i2|vm-test|10.0.0.4|env\nerr"; out != want {
		t.Fatalf("output %q, want %q", out, want)
	}
	out, err = runScript(t.Context(), Action{Name: "fail", Type: ActionScript, Command: []string{"sh", "-c", "echo broken; exit 3"}}, env)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 || out != "broken" {
		t.Fatalf("failing script: %q %v", out, err)
	}
	_, err = runScript(t.Context(), Action{Name: "slow", Type: ActionScript, Command: []string{"sleep", "10"}, Timeout: 50 * time.Millisecond}, env)
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("timeout: %v", err)
	}
	out, _ = runScript(t.Context(), Action{Name: "big", Type: ActionScript, Command: []string{"sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x"}}, env)
	if len(out) > maxOutput+100 || !strings.HasSuffix(out, "[output truncated at 16384 bytes]") {
		t.Fatalf("bounded output: %d bytes, ends %q", len(out), out[max(0, len(out)-40):])
	}
}
