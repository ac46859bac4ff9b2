package siterecovery

import (
	"context"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// Status is where an item stands for a failover: its protection state,
// its active location and the operations Site Recovery allows on it now.
type Status struct {
	Protection, Active string
	Allowed            []string
}

// FindStatus reads an item's status (one GET; any replication provider,
// not only A2A).
func FindStatus(ctx context.Context, c *azure.Client, id azure.ProtectedItemID) (Status, error) {
	item, err := azure.FindProtectedItem(ctx, c, id)
	if err != nil {
		return Status{}, err
	}
	var st Status
	if p := item.Properties; p != nil {
		st.Protection, st.Active = deref(p.ProtectionState), deref(p.ActiveLocation)
		for _, a := range p.AllowedOperations {
			if a != nil {
				st.Allowed = append(st.Allowed, *a)
			}
		}
	}
	return st, nil
}
