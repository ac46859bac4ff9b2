package e2e

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/approval"
)

// Secrets are sensitive and never logged: terraform runs the provider with
// TF_LOG=trace, a client secret in the provider block and an approval token
// in a failover (verified, then the failover stops: its recovery plan does
// not exist), and neither appears in the trace log, the CLI's output or the
// plan, in full or as the token's signature.
func TestSecretsAreNeverLogged(t *testing.T) {
	cliConfig, emulatorBin := binaries(t)
	dir := t.TempDir()
	seed := filepath.Join(dir, "estate.json")
	must(t, os.WriteFile(seed, []byte(crashEstate), 0o600))
	emu := startEmulator(t, emulatorBin, "--listen", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--seed", seed, "--time-scale", "30")
	work := filepath.Join(dir, "work")
	must(t, os.MkdirAll(work, 0o755))

	const secret = "Sup3r-S3cret.client~secret_value"
	pub, priv, err := approval.GenerateKey(rand.Reader)
	must(t, err)
	plan := "/subscriptions/" + crashSubscription + "/resourceGroups/cms-sec-dr/providers/Microsoft.RecoveryServices/vaults/cms-sec-vault/replicationRecoveryPlans/cms"
	token, err := approval.Sign(priv, approval.Approval{PlanID: plan, Action: approval.Failover,
		Expires: time.Now().Add(time.Hour), Approver: "cio", Reason: "secrets test"})
	must(t, err)
	signature := token[strings.LastIndex(token, ".")+1:]
	expired, err := approval.Sign(priv, approval.Approval{PlanID: plan, Action: approval.Failover,
		Expires: time.Now().Add(-time.Minute), Approver: "cio", Reason: "secrets test"})
	must(t, err)

	config := fmt.Sprintf(`
terraform {
  required_providers {
    azuredr = { source = "azuredr/azuredr" }
  }
}
provider "azuredr" {
  subscription_id = %q
  tenant_id       = "72f988bf-86f1-41af-91ab-2d7cd011db47"
  client_id       = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
  client_secret   = %q
}
resource "azuredr_site" "cms" {
  name              = "cms-sec"
  primary_location  = "centralus"
  recovery_location = "eastus2"
  approver {
    name       = "cio"
    public_key = %q
  }
}
resource "azuredr_failover" "dr" {
  name             = "cms-cutover"
  site_id          = azuredr_site.cms.id
  recovery_plan_id = %q
  approval         = var.approval
}
# The way pipelines pass an approval: a variable, set from the environment.
variable "approval" {
  type = string
}
`, crashSubscription, secret, approval.FormatPublicKey(pub), plan)
	must(t, os.WriteFile(filepath.Join(work, "main.tf"), []byte(config), 0o600))

	logFile := filepath.Join(dir, "trace.log")
	approvalVar := token
	run := func(args ...string) string {
		cmd := terraform(t, work, cliConfig, emu.URL, args...)
		cmd.Env = append(cmd.Env, "TF_LOG=trace", "TF_LOG_PATH="+logFile, "TF_VAR_approval="+approvalVar)
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	var output strings.Builder
	output.WriteString(run("init", "-input=false", "-no-color"))
	output.WriteString(run("plan", "-input=false", "-no-color"))
	apply := run("apply", "-input=false", "-auto-approve", "-no-color")
	output.WriteString(apply)
	// The approval was checked and accepted; the missing plan stopped it.
	if !strings.Contains(apply, "Cannot read the recovery plan") {
		t.Fatalf("the apply did not get as far as reading the recovery plan:\n%s", tail(apply, 40))
	}
	// A refused approval: the diagnostic is on the attribute, the token
	// is not repeated.
	approvalVar = expired
	refused := run("apply", "-input=false", "-auto-approve", "-no-color")
	output.WriteString(refused)
	if !strings.Contains(refused, "approval refused") {
		t.Fatalf("the expired approval was not refused:\n%s", tail(refused, 40))
	}
	output.WriteString(run("destroy", "-input=false", "-auto-approve", "-no-color"))

	logs, err := os.ReadFile(logFile)
	must(t, err)
	if !strings.Contains(string(logs), "provider.terraform-provider-azuredr") || !strings.Contains(string(logs), "[TRACE]") {
		t.Fatalf("the trace log holds no provider trace (%d bytes): the test proves nothing", len(logs))
	}
	for where, text := range map[string]string{"the TF_LOG=trace log": string(logs), "terraform's output": output.String()} {
		for what, s := range map[string]string{"the client secret": secret, "the approval token": token, "the approval's signature": signature,
			"the refused approval token": expired, "the refused approval's signature": expired[strings.LastIndex(expired, ".")+1:]} {
			if n := strings.Count(text, s); n > 0 {
				i := strings.Index(text, s)
				t.Errorf("%s appears %d time(s) in %s, e.g. …%s…", what, n, where, text[max(0, i-200):min(len(text), i+len(s)+50)])
			}
		}
	}
	t.Logf("trace log: %d bytes, %d lines; no secret, token or signature in it", len(logs), strings.Count(string(logs), "\n"))
}
