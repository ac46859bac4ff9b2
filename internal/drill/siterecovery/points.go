package siterecovery

import (
	"context"
	"sort"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

// ListPoints returns the item's recovery points, newest first (what
// drill.ChoosePoint chooses from).
func ListPoints(ctx context.Context, c *azure.Client, id azure.ProtectedItemID) ([]drill.Point, error) {
	var out []drill.Point
	pager := c.RecoveryPoints().NewListByReplicationProtectedItemsPager(id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, rp := range page.Value {
			if rp != nil && rp.Properties != nil && rp.Properties.RecoveryPointTime != nil {
				out = append(out, drill.Point{ID: deref(rp.ID), Time: *rp.Properties.RecoveryPointTime, Type: deref(rp.Properties.RecoveryPointType)})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out, nil
}
