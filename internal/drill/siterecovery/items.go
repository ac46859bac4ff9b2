package siterecovery

import (
	"context"
	"fmt"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

// Item is what a drill needs to know of a protected item.
type Item struct {
	ID                   azure.ProtectedItemID
	RawID                string
	SourceVMID           string
	SourceVMName         string
	RecoveryGroup        string // name of the recovery resource group
	RecoveryNetworkIDs   []string
	ProductionNetworkIDs []string
	TestFailoverState    string
	TestVMName           string // TfoAzureVMName, "" before a test failover
	RecoveryVMName       string
	FailoverPointID      string // the point of the last (test) failover
	// The item's NIC settings (vmNics), for an update that keeps them.
	NICs                      []azure.ItemNIC
	TestFailoverNIC           azure.TestFailoverNIC
	SelectedRecoveryNetworkID string
}

// FindItem reads the protected item raw names (one GET, through
// azure.FindProtectedItem: a missing item is its *azure.NotFoundError).
func FindItem(ctx context.Context, c *azure.Client, raw string) (*Item, error) {
	id, err := azure.ParseProtectedItemID(raw)
	if err != nil {
		return nil, err
	}
	item, err := azure.FindProtectedItem(ctx, c, id)
	if err != nil {
		return nil, err
	}
	return ItemOf(id, raw, item)
}

// ItemOf reads what a drill needs of an item Site Recovery returned: from
// a GET, or from the end of a test failover or its cleanup (their Location
// URL answers the item), which spares a GET.
func ItemOf(id azure.ProtectedItemID, raw string, item *asr.ReplicationProtectedItem) (*Item, error) {
	p := item.Properties
	if p == nil {
		return nil, fmt.Errorf("Site Recovery returned %s without properties", raw)
	}
	info := &Item{ID: id, RawID: raw, SourceVMName: deref(p.FriendlyName), TestFailoverState: deref(p.TestFailoverState),
		FailoverPointID: deref(p.FailoverRecoveryPointID)}
	a2a, ok := p.ProviderSpecificDetails.(*asr.A2AReplicationDetails)
	if !ok || a2a == nil {
		return nil, fmt.Errorf("%s is not an Azure-to-Azure (A2A) replicated VM", raw)
	}
	info.SourceVMID = deref(a2a.FabricObjectID)
	if info.SourceVMID != "" {
		info.SourceVMName = drill.NameOf(info.SourceVMID)
	}
	info.RecoveryGroup = groupOf(deref(a2a.RecoveryAzureResourceGroupID))
	info.TestVMName = deref(a2a.TfoAzureVMName)
	info.RecoveryVMName = deref(a2a.RecoveryAzureVMName)
	info.NICs, info.TestFailoverNIC = azure.ItemNICsOf(a2a), azure.TestFailoverNICOf(a2a)
	info.SelectedRecoveryNetworkID = deref(a2a.SelectedRecoveryAzureNetworkID)
	addNet := func(list *[]string, s string) {
		if n := NetworkOf(s); n != "" {
			*list = append(*list, n)
		}
	}
	addNet(&info.RecoveryNetworkIDs, deref(a2a.SelectedRecoveryAzureNetworkID))
	for _, nic := range a2a.VMNics {
		if nic == nil {
			continue
		}
		addNet(&info.RecoveryNetworkIDs, deref(nic.RecoveryVMNetworkID))
		addNet(&info.ProductionNetworkIDs, deref(nic.VMNetworkName))
	}
	return info, nil
}
