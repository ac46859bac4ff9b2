package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

const (
	subscriptionID = "5e1f3a2b-8c4d-4e6f-9a0b-1c2d3e4f5a6b"
	prodGroup      = "rg-bench-prod"
	prodNetwork    = "vnet-bench-prod"
	location       = "centralus"
)

// bench is one run: the emulator, an SDK client on it, and the estate.
type bench struct {
	work string
	log  func(string, ...any)
	srv  *emulator.Server
	c    *azure.Client
	api  *admin.Client
	reqs *reqLog
	// drillRate is the request rate of the largest drill (requests/s), the
	// load the emulator's capacity is compared with.
	drillRate float64

	vmIDs   []string // the estate's VMs, in name order
	itemIDs []string // their protected items, in the same order
	webPort string
	site    struct{ ID, NetworkID, TestNetworkID, PolicyID string }
}

func newBench(ctx context.Context, work string, log func(string, ...any)) (*bench, error) {
	if os.Getenv("TF_CLI_CONFIG_FILE") == "" {
		return nil, fmt.Errorf("TF_CLI_CONFIG_FILE is not set: run through `make bench`, which installs the provider in a local mirror")
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		return nil, err
	}
	work, err := filepath.Abs(work)
	if err != nil {
		return nil, err
	}
	if err := os.RemoveAll(work); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	reqs := &reqLog{}
	srv, err := emulator.New(emulator.Options{DataDir: filepath.Join(work, "emulator"), TimeScale: timeScale,
		Logger: slog.New(reqs.handler()), LogRequests: true})
	if err != nil {
		return nil, err
	}
	c, err := azure.NewClient(azure.Config{SubscriptionID: subscriptionID, ResourceManagerEndpoint: srv.URL()})
	if err != nil {
		srv.Close()
		return nil, err
	}
	log("emulator at %s (time scale %g)", srv.URL(), float64(timeScale))
	api := admin.New(srv.URL(), admin.WithHTTPClient(&http.Client{Timeout: time.Minute, Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 64}}))
	return &bench{work: work, log: log, srv: srv, c: c, api: api, reqs: reqs}, nil
}

func (b *bench) close() { b.srv.Close() }

// setup builds the estate: a production group and network with n VMs
// (through the admin API), then with Terraform a site, its networks, a
// policy and the n VMs replicated, and waits for a recovery point on each.
func (b *bench) setup(ctx context.Context, n int) error {
	t0 := time.Now()
	if _, err := b.c.ResourceGroups().CreateOrUpdate(ctx, prodGroup, armresources.ResourceGroup{Location: to.Ptr(location)}, nil); err != nil {
		return err
	}
	vnet := armnetwork.VirtualNetwork{Location: to.Ptr(location), Properties: &armnetwork.VirtualNetworkPropertiesFormat{
		AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{to.Ptr("10.10.0.0/16")}},
		Subnets: []*armnetwork.Subnet{
			{Name: to.Ptr("web"), Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: to.Ptr("10.10.0.0/22")}},
		},
	}}
	p, err := b.c.VirtualNetworks().BeginCreateOrUpdate(ctx, prodGroup, prodNetwork, vnet, nil)
	if err != nil {
		return err
	}
	if _, err := azure.Wait(ctx, p); err != nil {
		return err
	}
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("vm-bench-%03d", i+1)
	}
	err = parallel(8, names, func(name string) error {
		_, err := b.api.AddVM(ctx, admin.NewVM{SubscriptionID: subscriptionID, ResourceGroup: prodGroup, Name: name, Subnet: prodNetwork + "/web"})
		return err
	})
	if err != nil {
		return fmt.Errorf("adding VMs: %w", err)
	}
	sites, err := b.api.VMs(ctx)
	if err != nil {
		return err
	}
	for _, s := range sites {
		b.vmIDs = append(b.vmIDs, s.ID)
		b.webPort = fmt.Sprint(s.Port)
	}
	b.log("estate: %d VMs serving on port %s (%s)", len(b.vmIDs), b.webPort, time.Since(t0).Round(time.Millisecond))

	// The site, its networks and the policy.
	t0 = time.Now()
	setup := filepath.Join(b.work, "tf-site")
	if err := writeFile(filepath.Join(setup, "main.tf"), b.providerBlock()+fmt.Sprintf(`
resource "azuredr_site" "bench" {
  name              = "bench"
  primary_location  = %[1]q
  recovery_location = "eastus"
}

resource "azuredr_network" "bench" {
  site_id            = azuredr_site.bench.id
  primary_network_id = "/subscriptions/%[2]s/resourceGroups/%[3]s/providers/Microsoft.Network/virtualNetworks/%[4]s"
}

resource "azuredr_replication_policy" "bench" {
  name                              = "bench-policy"
  site_id                           = azuredr_site.bench.id
  recovery_point_retention          = "24h"
  app_consistent_snapshot_frequency = "1h"
}

output "site_id" { value = azuredr_site.bench.id }
output "network_id" { value = azuredr_network.bench.id }
output "test_network_id" { value = azuredr_network.bench.test_network_id }
output "policy_id" { value = azuredr_replication_policy.bench.id }
`, location, subscriptionID, prodGroup, prodNetwork)); err != nil {
		return err
	}
	if _, err := b.terraform(ctx, setup, "init", "-input=false"); err != nil {
		return err
	}
	if _, err := b.terraform(ctx, setup, "apply", "-input=false", "-auto-approve"); err != nil {
		return err
	}
	raw, err := b.terraform(ctx, setup, "output", "-json")
	if err != nil {
		return err
	}
	var outs map[string]struct{ Value string }
	if err := json.Unmarshal(raw, &outs); err != nil {
		return err
	}
	b.site.ID, b.site.NetworkID, b.site.TestNetworkID, b.site.PolicyID = outs["site_id"].Value, outs["network_id"].Value, outs["test_network_id"].Value, outs["policy_id"].Value
	b.log("site, networks and policy applied (%s)", time.Since(t0).Round(time.Millisecond))

	// The replicated VMs, and as many terraform_data for comparison.
	t0 = time.Now()
	vmsDir := filepath.Join(b.work, "tf-replicated-vms")
	var vmList strings.Builder
	for _, id := range b.vmIDs {
		fmt.Fprintf(&vmList, "    %q,\n", id)
	}
	if err := writeFile(filepath.Join(vmsDir, "main.tf"), b.providerBlock()+fmt.Sprintf(`
locals {
  vms = [
%s  ]
}

resource "azuredr_replicated_vm" "vm" {
  for_each = toset(local.vms)

  site_id               = %q
  replication_policy_id = %q
  network_id            = %q
  source_vm_id          = each.key
  recovery_subnet_name  = "web"
}

output "items" { value = { for k, v in azuredr_replicated_vm.vm : k => v.id } }
`, vmList.String(), b.site.ID, b.site.PolicyID, b.site.NetworkID)); err != nil {
		return err
	}
	if _, err := b.terraform(ctx, vmsDir, "init", "-input=false"); err != nil {
		return err
	}
	if _, err := b.terraform(ctx, vmsDir, "apply", "-input=false", "-auto-approve", "-parallelism=50"); err != nil {
		return err
	}
	raw, err = b.terraform(ctx, vmsDir, "output", "-json", "items")
	if err != nil {
		return err
	}
	var items map[string]string
	if err := json.Unmarshal(raw, &items); err != nil {
		return err
	}
	for _, vm := range b.vmIDs {
		b.itemIDs = append(b.itemIDs, items[vm])
	}
	b.log("%d replicated VMs applied (%s)", len(b.itemIDs), time.Since(t0).Round(time.Millisecond))

	dataDir := filepath.Join(b.work, "tf-terraform-data")
	if err := writeFile(filepath.Join(dataDir, "main.tf"), fmt.Sprintf(`
locals {
  vms = [
%s  ]
}

resource "terraform_data" "vm" {
  for_each = toset(local.vms)

  input = {
    site_id               = %q
    replication_policy_id = %q
    network_id            = %q
    source_vm_id          = each.key
    recovery_subnet_name  = "web"
  }
}
`, vmList.String(), b.site.ID, b.site.PolicyID, b.site.NetworkID)); err != nil {
		return err
	}
	if _, err := b.terraform(ctx, dataDir, "init", "-input=false"); err != nil {
		return err
	}
	if _, err := b.terraform(ctx, dataDir, "apply", "-input=false", "-auto-approve"); err != nil {
		return err
	}
	return b.awaitPoints(ctx)
}

// awaitPoints waits until every item has a recovery point.
func (b *bench) awaitPoints(ctx context.Context) error {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		items, err := b.replication(ctx)
		if err != nil {
			return err
		}
		ready := 0
		for _, it := range items {
			if it.State == "Protected" && len(it.RecoveryPoints) > 0 {
				ready++
			}
		}
		if ready >= len(b.itemIDs) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d items have a recovery point", ready, len(b.itemIDs))
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// replication reads every protected item's replication state.
func (b *bench) replication(ctx context.Context) ([]admin.ReplicationItem, error) {
	rep, err := b.api.Replication(ctx)
	return rep.Items, err
}

func (b *bench) providerBlock() string {
	return fmt.Sprintf(`terraform {
  required_providers {
    azuredr = { source = "azuredr/azuredr" }
  }
}

provider "azuredr" {
  subscription_id           = %q
  resource_manager_endpoint = %q
}
`, subscriptionID, b.srv.URL())
}

// terraform runs terraform in dir and returns its stdout.
func (b *bench) terraform(ctx context.Context, dir string, args ...string) ([]byte, error) {
	out, _, err := b.terraformCPU(ctx, dir, args...)
	return out, err
}

// terraformCPU is terraform, also returning the CPU time terraform and the
// provider processes it started and waited for used.
func (b *bench) terraformCPU(ctx context.Context, dir string, args ...string) ([]byte, time.Duration, error) {
	cmd := exec.CommandContext(ctx, "terraform", args...)
	cmd.Dir = dir
	env := []string{"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ARM_") && !strings.HasPrefix(kv, "TF_LOG") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, 0, fmt.Errorf("terraform %s in %s: %w\n%s%s", strings.Join(args, " "), dir, err, tail(stdout.String()), tail(stderr.String()))
	}
	// wait4's usage of a process includes that of the children it reaped.
	return stdout.Bytes(), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

func tail(s string) string {
	if len(s) > 4000 {
		return "…" + s[len(s)-4000:]
	}
	return s
}

// latencyModel turns the fixed ARM latency on (or off).
func (b *bench) latencyModel(ctx context.Context, on bool) error {
	if err := b.api.ClearFaults(ctx); err != nil {
		return err
	}
	if !on {
		return nil
	}
	_, err := b.api.AddFault(ctx, admin.FaultRule{Kind: admin.FaultLatency, LatencyMs: int(armLatency.Milliseconds()), PathPrefix: "/subscriptions/"})
	return err
}

// parallel runs f on every element with at most n at a time and returns
// the first error.
func parallel[T any](n int, in []T, f func(T) error) error {
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for _, v := range in {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := f(v); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}

func writeFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content), 0o644)
}

func cpus() int         { return runtime.NumCPU() }
func goVersion() string { return runtime.Version() }
