package failover

import (
	"context"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// The failover's own Site Recovery calls (api-version 2023-06-01, SDK
// armrecoveryservicessiterecovery/v2 v2.2.0): unplanned failover, commit
// and re-protect, each started and waited for. A2A has no planned
// failover: a failover with the primary reachable is an unplanned one
// with sourceSiteOperations Required (Site Recovery shuts the source VMs
// down first).

// Site Recovery failover directions.
const (
	dirPrimaryToRecovery = "PrimaryToRecovery"
	dirRecoveryToPrimary = "RecoveryToPrimary"
)

// containsFold reports whether list holds s, in any case.
func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// unplannedFailover fails the item over the way dir says at pointID (""
// for Site Recovery's latest), shutting the source VM down first when
// shutdown is set, and waits for it. The job is the operation's Site
// Recovery job (known once Azure accepted it, also when it then fails).
func unplannedFailover(ctx context.Context, c *azure.Client, id azure.ProtectedItemID, dir, pointID string, shutdown bool) (azure.Job, error) {
	a2a := &asr.A2AUnplannedFailoverInput{InstanceType: ptr("A2A")}
	if pointID != "" {
		a2a.RecoveryPointID = ptr(pointID)
	}
	ops := "NotRequired"
	if shutdown {
		ops = "Required"
	}
	in := asr.UnplannedFailoverInput{Properties: &asr.UnplannedFailoverInputProperties{
		FailoverDirection:       ptr(dir),
		SourceSiteOperations:    ptr(ops),
		ProviderSpecificDetails: a2a,
	}}
	poller, job, err := azure.StartJob(ctx, func(ctx context.Context) (*runtime.Poller[asr.ReplicationProtectedItemsClientUnplannedFailoverResponse], error) {
		return c.ProtectedItems().BeginUnplannedFailover(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
	})
	return job, waitFor(ctx, poller, err)
}

// commit makes the failed-over VM the item's production.
func commit(ctx context.Context, c *azure.Client, id azure.ProtectedItemID) (azure.Job, error) {
	poller, job, err := azure.StartJob(ctx, func(ctx context.Context) (*runtime.Poller[asr.ReplicationProtectedItemsClientFailoverCommitResponse], error) {
		return c.ProtectedItems().BeginFailoverCommit(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, nil)
	})
	return job, waitFor(ctx, poller, err)
}

// reprotect sends the complete re-protect input (reprotect_input.go) and
// waits for the operation (not for the initial replication that follows).
func reprotect(ctx context.Context, c *azure.Client, id azure.ProtectedItemID, in asr.ReverseReplicationInput) (azure.Job, error) {
	poller, job, err := azure.StartJob(ctx, func(ctx context.Context) (*runtime.Poller[asr.ReplicationProtectedItemsClientReprotectResponse], error) {
		return c.ProtectedItems().BeginReprotect(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
	})
	return job, waitFor(ctx, poller, err)
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// waitFor waits for the operation a Begin call started, or returns the
// error it was refused with.
func waitFor[T any](ctx context.Context, poller *runtime.Poller[T], err error) error {
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}
