package acctest

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// providerAddress is the provider's address in the configurations the tests
// write (terraform-plugin-testing's default namespace).
const providerAddress = "registry.terraform.io/hashicorp/azuredr"

// Validate runs `terraform init` and `terraform validate` in dir (a
// configuration the test wrote), against the provider served in-process,
// and fails t unless the configuration is valid. (Not the directory a
// step names: init leaves .terraform there.)
//
// terraform-plugin-testing never runs `terraform validate`, and its plans
// know every variable; validate knows none: every variable, every module
// input built from one and every for_each over one is unknown, which is
// where unknown values broke validation (issue 18).
func Validate(t *testing.T, dir string) {
	t.Helper()
	tf, err := exec.LookPath("terraform")
	if v := os.Getenv("TF_ACC_TERRAFORM_PATH"); v != "" {
		tf, err = v, nil
	}
	if err != nil {
		t.Fatalf("terraform validate: no terraform CLI: %v", err)
	}
	reattach := serveProvider(t)
	for _, args := range [][]string{{"init", "-input=false", "-no-color", "-backend=false"}, {"validate", "-no-color"}} {
		cmd := exec.Command(tf, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+reattach)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("terraform %s: %v\n%s", args[0], err, out)
		}
	}
}

// serveProvider serves the provider in-process in debug mode until the test
// ends and returns the TF_REATTACH_PROVIDERS value naming it.
func serveProvider(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	configs, closed := make(chan *plugin.ReattachConfig, 1), make(chan struct{})
	factory, err := ProtoV6ProviderFactories["azuredr"]()
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(providerAddress, func() tfprotov6.ProviderServer { return factory },
			tf6server.WithDebug(ctx, configs, closed), tf6server.WithLoggingSink(t),
			tf6server.WithGoPluginLogger(hclog.New(&hclog.LoggerOptions{Output: io.Discard, Level: hclog.Off})))
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-closed:
		case <-time.After(10 * time.Second):
		}
	})
	var c *plugin.ReattachConfig
	select {
	case c = <-configs:
	case err := <-served:
		t.Fatalf("serving the provider: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serving the provider: no reattach configuration after 30s")
	}
	type addr struct{ Network, String string }
	type reattach struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            addr
	}
	b, err := json.Marshal(map[string]reattach{providerAddress: {Protocol: string(c.Protocol), ProtocolVersion: c.ProtocolVersion,
		Pid: c.Pid, Test: true, Addr: addr{Network: c.Addr.Network(), String: c.Addr.String()}}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
