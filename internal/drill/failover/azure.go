package failover

import (
	"context"
	"strings"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// The failover's own Site Recovery calls: the item's protection status,
// planned and unplanned failover, commit and re-protect.

// Site Recovery failover directions.
const (
	dirPrimaryToRecovery = "PrimaryToRecovery"
	dirRecoveryToPrimary = "RecoveryToPrimary"
)

// status is where an item stands for a failover.
type status struct {
	protection, active string
	allowed            []string
}

// itemStatus reads the item's protection state, active location and
// allowed operations.
func itemStatus(ctx context.Context, c *azure.Client, id azure.ProtectedItemID) (status, error) {
	item, err := azure.FindProtectedItem(ctx, c, id)
	if err != nil {
		return status{}, err
	}
	var st status
	if p := item.Properties; p != nil {
		st.protection, st.active = deref(p.ProtectionState), deref(p.ActiveLocation)
		for _, a := range p.AllowedOperations {
			if a != nil {
				st.allowed = append(st.allowed, *a)
			}
		}
	}
	return st, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func plannedFailover(ctx context.Context, c *azure.Client, id azure.ProtectedItemID, dir string) error {
	in := asr.PlannedFailoverInput{Properties: &asr.PlannedFailoverInputProperties{FailoverDirection: ptr(dir)}}
	poller, err := c.ProtectedItems().BeginPlannedFailover(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}

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
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}

func commit(ctx context.Context, c *azure.Client, id azure.ProtectedItemID) error {
	poller, err := c.ProtectedItems().BeginFailoverCommit(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, nil)
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}

// reprotect starts replication the way dir says and waits for the
// operation (not for the initial replication that follows).
func reprotect(ctx context.Context, c *azure.Client, id azure.ProtectedItemID, dir string) error {
	in := asr.ReverseReplicationInput{Properties: &asr.ReverseReplicationInputProperties{FailoverDirection: ptr(dir)}}
	poller, err := c.ProtectedItems().BeginReprotect(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
