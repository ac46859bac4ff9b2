package compute_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// runSeed: production's web and db subnets (db behind an NSG that lets
// only the web port in from the web subnet... once the test adds the rule),
// a second network holding vm-other, and a Windows VM.
const runSeed = `{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[
	{"name":"rg-prod","location":"centralus",
	 "networkSecurityGroups":[{"name":"nsg-db"}],
	 "virtualNetworks":[
	   {"name":"vnet-prod","addressSpace":["10.1.0.0/16"],
	    "subnets":[{"name":"web","addressPrefix":"10.1.1.0/24"},{"name":"db","addressPrefix":"10.1.2.0/24","networkSecurityGroup":"nsg-db"}]},
	   {"name":"vnet-other","addressSpace":["10.2.0.0/16"],"subnets":[{"name":"a","addressPrefix":"10.2.1.0/24"}]}],
	 "virtualMachines":[
		{"name":"vm-web-1","subnet":"vnet-prod/web","privateIPAddress":"10.1.1.4"},
		{"name":"vm-db-1","subnet":"vnet-prod/db","privateIPAddress":"10.1.2.4"},
		{"name":"vm-win-1","subnet":"vnet-prod/web","privateIPAddress":"10.1.1.5","osType":"Windows"},
		{"name":"vm-other","subnet":"vnet-other/a","privateIPAddress":"10.2.1.4"}
	]}
]}]}`

type runFixture struct {
	srv  *emulator.Server
	vms  *armcompute.VirtualMachinesClient
	net  emulatortest.NetClients
	port int
}

func newRunFixture(t *testing.T) runFixture {
	t.Helper()
	srv := emulatortest.Start(t, emulator.Options{SeedFile: emulatortest.WriteSeed(t, runSeed), TimeScale: 1000})
	site := emulatortest.VMSites(t, srv.URL())["vm-web-1"].URL
	var port int
	if _, err := fmt.Sscanf(site[strings.LastIndex(site, ":")+1:], "%d", &port); err != nil {
		t.Fatalf("web port of %s: %v", site, err)
	}
	return runFixture{srv: srv, vms: emulatortest.VMClient(t, srv.URL()), net: emulatortest.NetworkClients(t, srv.URL()), port: port}
}

// run runs a script on vm and returns the result's statuses.
func (f runFixture) run(t *testing.T, vm, commandID string, lines ...string) ([]*armcompute.InstanceViewStatus, error) {
	t.Helper()
	in := armcompute.RunCommandInput{CommandID: emulatortest.Ptr(commandID)}
	for _, l := range lines {
		in.Script = append(in.Script, emulatortest.Ptr(l))
	}
	p, err := f.vms.BeginRunCommand(emulatortest.Context(t), "rg-prod", vm, in, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.Value, err
}

// sh runs a Linux script and returns the agent's one message.
func (f runFixture) sh(t *testing.T, vm string, lines ...string) string {
	t.Helper()
	st, err := f.run(t, vm, "RunShellScript", lines...)
	if err != nil {
		t.Fatalf("run command on %s: %v", vm, err)
	}
	if len(st) != 1 || *st[0].Code != "ProvisioningState/succeeded" || !strings.HasPrefix(*st[0].Message, "Enable succeeded: \n[stdout]\n") {
		t.Fatalf("run command on %s: statuses %s", vm, show(st))
	}
	return *st[0].Message
}

func show(st []*armcompute.InstanceViewStatus) string {
	var b strings.Builder
	for _, s := range st {
		fmt.Fprintf(&b, "{%s %q} ", *s.Code, *s.Message)
	}
	return b.String()
}

func TestRunCommandReachesWhatTheVMsNetworkAllows(t *testing.T) {
	f := newRunFixture(t)
	url := func(ip string) string { return fmt.Sprintf("'http://%s:%d/'", ip, f.port) }

	// Its own site, by its private address; a neighbour's in another subnet.
	msg := f.sh(t, "vm-web-1", "curl -sS -D - --max-time 10 "+url("10.1.1.4")+" 2>&1", `echo "exit $?"`,
		"curl -sS --max-time 10 "+url("10.1.2.4")+" 2>&1", `echo "exit $?"`, "nc -z -w 3 10.1.2.4 22", `echo "ssh $?"`,
		"nc -z -w 3 10.1.2.4 1433", `echo "sql $?"`)
	for _, want := range []string{"HTTP/1.1 200 OK\r\n", "vm-web-1", "exit 0\n", "vm-db-1", "ssh 0\n", "sql 1\n"} {
		if !strings.Contains(msg, want) {
			t.Fatalf("output lacks %q:\n%s", want, msg)
		}
	}

	// Another network: no route until both sides peer.
	msg = f.sh(t, "vm-web-1", "nc -z -v -w 3 10.2.1.4 22 2>&1", `echo "other $?"`)
	if !strings.Contains(msg, "other 1\n") || !strings.Contains(msg, "timed out") {
		t.Fatalf("an unpeered network answered:\n%s", msg)
	}
	peer := func(from, to string) {
		p, err := f.net.Peerings.BeginCreateOrUpdate(emulatortest.Context(t), "rg-prod", from, from+"-to-"+to, armnetwork.VirtualNetworkPeering{
			Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{RemoteVirtualNetwork: &armnetwork.SubResource{
				ID: emulatortest.Ptr("/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/" + to)},
				AllowVirtualNetworkAccess: emulatortest.Ptr(true)}}, nil)
		if _, err := emulatortest.Done(t, p, err); err != nil {
			t.Fatal(err)
		}
	}
	peer("vnet-prod", "vnet-other")
	if msg = f.sh(t, "vm-web-1", "nc -z -w 3 10.2.1.4 22", `echo "other $?"`); !strings.Contains(msg, "other 1\n") {
		t.Fatalf("a peering Initiated on one side only carried traffic:\n%s", msg)
	}
	peer("vnet-other", "vnet-prod")
	if msg = f.sh(t, "vm-web-1", "nc -z -w 3 10.2.1.4 22", `echo "other $?"`); !strings.Contains(msg, "other 0\n") {
		t.Fatalf("a connected peering did not carry traffic:\n%s", msg)
	}

	// An NSG rule denying the web port on the db subnet drops it: timeout.
	p, err := f.net.Rules.BeginCreateOrUpdate(emulatortest.Context(t), "rg-prod", "nsg-db", "deny-web", armnetwork.SecurityRule{
		Properties: &armnetwork.SecurityRulePropertiesFormat{Priority: emulatortest.Ptr[int32](100), Direction: emulatortest.Ptr(armnetwork.SecurityRuleDirectionInbound),
			Access: emulatortest.Ptr(armnetwork.SecurityRuleAccessDeny), Protocol: emulatortest.Ptr(armnetwork.SecurityRuleProtocolTCP),
			SourceAddressPrefix: emulatortest.Ptr("VirtualNetwork"), SourcePortRange: emulatortest.Ptr("*"), DestinationAddressPrefix: emulatortest.Ptr("*"),
			DestinationPortRange: emulatortest.Ptr(fmt.Sprint(f.port))}}, nil)
	if _, err := emulatortest.Done(t, p, err); err != nil {
		t.Fatal(err)
	}
	msg = f.sh(t, "vm-web-1", "curl -sS --max-time 5 "+url("10.1.2.4")+" 2>&1", `echo "exit $?"`, "nc -z -w 3 10.1.2.4 22", `echo "ssh $?"`)
	if !strings.Contains(msg, "curl: (28)") || !strings.Contains(msg, "exit 28\n") || !strings.Contains(msg, "ssh 0\n") {
		t.Fatalf("the NSG's deny did not drop the web port only:\n%s", msg)
	}
	// The VM's own traffic to itself never crosses its NIC's NSG.
	if msg = f.sh(t, "vm-db-1", "curl -sS --max-time 5 "+url("10.1.2.4")+" 2>&1", `echo "exit $?"`); !strings.Contains(msg, "exit 0\n") {
		t.Fatalf("a VM could not reach its own site:\n%s", msg)
	}
}

func TestRunCommandFilesAreApplicationWrites(t *testing.T) {
	f := newRunFixture(t)
	before := emulatortest.VMSites(t, f.srv.URL())["vm-web-1"]
	msg := f.sh(t, "vm-web-1", "mkdir -p '/var/lib/azuredr'", "echo 'azuredr-canary t' > '/var/lib/azuredr/canary'",
		"date -u +%Y-%m-%dT%H:%M:%S.%NZ >> '/var/lib/azuredr/canary'", "cat '/var/lib/azuredr/canary' 2>&1")
	if !strings.Contains(msg, "azuredr-canary t\n20") {
		t.Fatalf("the marker was not read back:\n%s", msg)
	}
	_, body, header := emulatortest.GetPage(t, before.URL)
	if got, want := header.Get("X-Azuredr-Data-Version"), fmt.Sprint(before.DataVersion.Version+1); got != want {
		t.Fatalf("after the write the site serves data version %s, want %s (%s)", got, want, body)
	}
	if msg = f.sh(t, "vm-web-1", "cat /var/lib/azuredr/canary"); !strings.Contains(msg, "azuredr-canary t\n") {
		t.Fatalf("the file did not persist:\n%s", msg)
	}
	if msg = f.sh(t, "vm-db-1", "cat /var/lib/azuredr/canary 2>&1", "exit 0"); !strings.Contains(msg, "No such file or directory") {
		t.Fatalf("another VM shares the disk:\n%s", msg)
	}
}

func TestRunCommandWindowsAndRefusals(t *testing.T) {
	f := newRunFixture(t)
	st, err := f.run(t, "vm-win-1", "RunPowerShellScript", "Write-Output 'hello'", "Test-NetConnection -ComputerName '10.1.1.4' -Port 22 -InformationLevel Quiet", "Get-Content 'C:\\nope'")
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 2 || *st[0].Code != "ComponentStatus/StdOut/succeeded" || *st[0].Message != "hello\nTrue\n" ||
		*st[1].Code != "ComponentStatus/StdErr/succeeded" || !strings.Contains(*st[1].Message, "Cannot find path 'c:\\nope'") {
		t.Fatalf("windows statuses: %s", show(st))
	}

	_, err = f.run(t, "vm-win-1", "RunShellScript", "echo hi")
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidParameter")
	_, err = f.run(t, "vm-web-1", "RunPowerShellScript", "echo hi")
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidParameter")
	_, err = f.run(t, "vm-web-1", "NoSuchCommand")
	emulatortest.WantARMError(t, err, http.StatusNotFound, "NotFound")

	// Outside the subset: a failed command, never run on the host.
	msg := f.sh(t, "vm-web-1", "rm -rf /tmp/x", `echo "rm $?"`)
	if !strings.Contains(msg, "rm 127\n") || !strings.Contains(msg, "azuredr emulator: the command 'rm' is outside the Run Command subset") {
		t.Fatalf("rm:\n%s", msg)
	}
}

func TestRunCommandOneAtATimePerVM(t *testing.T) {
	f := newRunFixture(t)
	// Slow scripts (a probe that times out costs 60 s of VM time), started
	// together: exactly one is accepted.
	in := armcompute.RunCommandInput{CommandID: emulatortest.Ptr("RunShellScript"), Script: []*string{emulatortest.Ptr("nc -z -w 60 10.9.9.9 22")}}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.vms.BeginRunCommand(emulatortest.Context(t), "rg-prod", "vm-web-1", in, nil)
		}()
	}
	wg.Wait()
	var refused int
	for _, err := range errs {
		if err != nil {
			emulatortest.WantARMError(t, err, http.StatusConflict, "Conflict")
			refused++
		}
	}
	if refused != 1 {
		t.Fatalf("%d of 2 concurrent Run Commands refused, want 1: %v", refused, errs)
	}
}
