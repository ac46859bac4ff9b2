package azure

import "testing"

// NewClient builds every SDK client up front, so the factory methods never
// fail (or panic) on a request path: each returns the one client it built.
func TestNewClientBuildsEverySDKClient(t *testing.T) {
	cl, err := NewClient(Config{SubscriptionID: sub, ResourceManagerEndpoint: "http://127.0.0.1:9"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.sdkClients) != len(factories) || len(factories) < 20 {
		t.Fatalf("built %d SDK clients for %d factories; want one per factory (20 or more)", len(cl.sdkClients), len(factories))
	}
	for i, v := range cl.sdkClients {
		if v == nil {
			t.Errorf("factory %d built nothing", i)
		}
	}
	if cl.ProtectedItems() != cl.ProtectedItems() || cl.ResourceGroups() == nil || cl.TrafficManagerEndpoints() == nil {
		t.Error("a factory method must return the client NewClient built, the same one every call")
	}
}
