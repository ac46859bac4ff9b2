package testfailover

import (
	"context"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// The test failover's own Site Recovery calls: starting it and its
// cleanup, and reading ARM's refusals.

// startTestFailover starts the item's test failover into network and names
// its Site Recovery job. Both operations are polled at their Location
// (azure.PollLocation): their result is the item, which the drill reads.
func startTestFailover(ctx context.Context, c *azure.Client, id azure.ProtectedItemID, network, pointID string) (*runtime.Poller[asr.ReplicationProtectedItemsClientTestFailoverResponse], azure.Job, error) {
	a2a := &asr.A2ATestFailoverInput{InstanceType: ptr("A2A")}
	if pointID != "" {
		a2a.RecoveryPointID = ptr(pointID)
	}
	in := asr.TestFailoverInput{Properties: &asr.TestFailoverInputProperties{
		FailoverDirection:       ptr("PrimaryToRecovery"),
		NetworkType:             ptr("VmNetworkAsInput"),
		NetworkID:               ptr(network),
		ProviderSpecificDetails: a2a,
	}}
	return azure.StartJobAtLocation(ctx, c, func(ctx context.Context) (*runtime.Poller[asr.ReplicationProtectedItemsClientTestFailoverResponse], error) {
		return c.ProtectedItems().BeginTestFailover(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
	})
}

// startCleanup starts the item's test failover cleanup and names its Site
// Recovery job.
func startCleanup(ctx context.Context, c *azure.Client, id azure.ProtectedItemID, comment string) (*runtime.Poller[asr.ReplicationProtectedItemsClientTestFailoverCleanupResponse], azure.Job, error) {
	in := asr.TestFailoverCleanupInput{Properties: &asr.TestFailoverCleanupInputProperties{Comments: ptr(comment)}}
	return azure.StartJobAtLocation(ctx, c, func(ctx context.Context) (*runtime.Poller[asr.ReplicationProtectedItemsClientTestFailoverCleanupResponse], error) {
		return c.ProtectedItems().BeginTestFailoverCleanup(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
	})
}

// isStatus reports an ARM error with one of these HTTP statuses.
func isStatus(err error, codes ...int) bool {
	e, ok := azure.ParseError(err)
	if !ok {
		return false
	}
	for _, c := range codes {
		if e.StatusCode == c {
			return true
		}
	}
	return false
}

// refused reports an ARM 4xx: the request was answered and refused, so it
// started nothing.
func refused(err error) bool {
	e, ok := azure.ParseError(err)
	return ok && e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusRequestTimeout
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
