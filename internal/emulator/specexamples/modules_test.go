package specexamples_test

import (
	"encoding/json"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/trafficmanager/armtrafficmanager"
)

// sdkModule is one SDK module whose examples are replayed: its module path
// (as go.mod requires it), the package name its examples use, and its client
// factory constructor (the examples build every client from a factory).
type sdkModule struct {
	path       string
	pkg        string
	newFactory any
}

// modules are the SDK modules the emulator's namespaces answer (the versions
// are go.mod's; the examples of a module version are its spec's).
var modules = []sdkModule{
	{"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources", "armresources", armresources.NewClientFactory},
	{"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6", "armnetwork", armnetwork.NewClientFactory},
	{"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6", "armcompute", armcompute.NewClientFactory},
	{"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/trafficmanager/armtrafficmanager", "armtrafficmanager", armtrafficmanager.NewClientFactory},
	{"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices", "armrecoveryservices", armrecoveryservices.NewClientFactory},
	{"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2", "armrecoveryservicessiterecovery", asr.NewClientFactory},
	{"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage", "armstorage", armstorage.NewClientFactory},
}

// factory calls the module's NewClientFactory.
func (m sdkModule) factory(t *testing.T, sub string, cred azcore.TokenCredential, opts *arm.ClientOptions) reflect.Value {
	t.Helper()
	out := reflect.ValueOf(m.newFactory).Call([]reflect.Value{reflect.ValueOf(sub), reflect.ValueOf(cred), reflect.ValueOf(opts)})
	if err, _ := out[1].Interface().(error); err != nil {
		t.Fatalf("%s.NewClientFactory: %v", m.pkg, err)
	}
	return out[0]
}

// moduleDirs finds each module's directory in the module cache with one
// `go list -m -json` (offline: go.mod names the versions, `go mod download`
// put them in the cache).
func moduleDirs(t *testing.T) map[string]string {
	t.Helper()
	args := []string{"list", "-m", "-json"}
	for _, m := range modules {
		args = append(args, m.path)
	}
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		t.Fatalf("go list -m: %v (run `go mod download`)", err)
	}
	dirs := map[string]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var mod struct{ Path, Version, Dir string }
		if err := dec.Decode(&mod); err != nil {
			t.Fatalf("go list -m output: %v", err)
		}
		if mod.Dir == "" {
			t.Fatalf("module %s@%s is not in the module cache (run `go mod download`)", mod.Path, mod.Version)
		}
		dirs[mod.Path] = mod.Dir
	}
	return dirs
}
