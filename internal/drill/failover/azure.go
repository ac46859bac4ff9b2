package failover

import (
	"context"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// The failover's own Site Recovery calls: planned and unplanned failover,
// commit and re-protect, each started and waited for.

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

// plannedFailover fails the item over the way dir says, after a final
// sync, and waits for it.
func plannedFailover(ctx context.Context, c *azure.Client, id azure.ProtectedItemID, dir string) error {
	in := asr.PlannedFailoverInput{Properties: &asr.PlannedFailoverInputProperties{FailoverDirection: ptr(dir)}}
	poller, err := c.ProtectedItems().BeginPlannedFailover(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
	return waitFor(ctx, poller, err)
}

// unplannedFailover fails the item over to the recovery region at pointID
// ("" for Site Recovery's latest) without the primary, and waits for it.
func unplannedFailover(ctx context.Context, c *azure.Client, id azure.ProtectedItemID, pointID string) error {
	a2a := &asr.A2AUnplannedFailoverInput{InstanceType: ptr("A2A")}
	if pointID != "" {
		a2a.RecoveryPointID = ptr(pointID)
	}
	in := asr.UnplannedFailoverInput{Properties: &asr.UnplannedFailoverInputProperties{
		FailoverDirection:       ptr(dirPrimaryToRecovery),
		SourceSiteOperations:    ptr("NotRequired"),
		ProviderSpecificDetails: a2a,
	}}
	poller, err := c.ProtectedItems().BeginUnplannedFailover(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
	return waitFor(ctx, poller, err)
}

// commit makes the failed-over VM the item's production.
func commit(ctx context.Context, c *azure.Client, id azure.ProtectedItemID) error {
	poller, err := c.ProtectedItems().BeginFailoverCommit(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, nil)
	return waitFor(ctx, poller, err)
}

// reprotect starts replication the way dir says and waits for the
// operation (not for the initial replication that follows).
func reprotect(ctx context.Context, c *azure.Client, id azure.ProtectedItemID, dir string) error {
	in := asr.ReverseReplicationInput{Properties: &asr.ReverseReplicationInputProperties{FailoverDirection: ptr(dir)}}
	poller, err := c.ProtectedItems().BeginReprotect(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
	return waitFor(ctx, poller, err)
}

func ptr[T any](v T) *T { return &v }

// waitFor waits for the operation a Begin call started, or returns the
// error it was refused with.
func waitFor[T any](ctx context.Context, poller *runtime.Poller[T], err error) error {
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}
