package acctest

import (
	"context"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
)

// Estate is a piece of production a test adds DR to, created through the SDK
// as if it existed before Terraform: a resource group and a virtual network.
type Estate struct {
	Group     string
	Location  string
	NetworkID string
}

// CreateEstate makes resource group `<prefix>-prod` in location with network
// `<prefix>-vnet` (10.10.0.0/16) and subnets web (10.10.1.0/24) and db
// (10.10.2.0/24). It is deleted when the test ends.
func CreateEstate(t *testing.T, prefix, location string) Estate {
	t.Helper()
	ctx := context.Background()
	c := Client(t)
	e := Estate{Group: prefix + "-prod", Location: location}
	if _, err := c.ResourceGroups().CreateOrUpdate(ctx, e.Group, armresources.ResourceGroup{Location: &location}, nil); err != nil {
		t.Fatalf("creating the estate's resource group: %v", err)
	}
	t.Cleanup(func() {
		if p, err := c.ResourceGroups().BeginDelete(ctx, e.Group, nil); err == nil {
			_, _ = p.PollUntilDone(ctx, nil)
		}
	})
	body := armnetwork.VirtualNetwork{
		Location: &location,
		Properties: &armnetwork.VirtualNetworkPropertiesFormat{
			AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{str("10.10.0.0/16")}},
			Subnets: []*armnetwork.Subnet{
				{Name: str("web"), Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: str("10.10.1.0/24")}},
				{Name: str("db"), Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: str("10.10.2.0/24")}},
			},
		},
	}
	p, err := c.VirtualNetworks().BeginCreateOrUpdate(ctx, e.Group, prefix+"-vnet", body, nil)
	if err == nil {
		var resp armnetwork.VirtualNetworksClientCreateOrUpdateResponse
		resp, err = p.PollUntilDone(ctx, nil)
		if err == nil {
			e.NetworkID = *resp.ID
		}
	}
	if err != nil {
		t.Fatalf("creating the estate's network: %v", err)
	}
	return e
}

// CreateNetwork makes an empty network in an existing group and returns its id.
func CreateNetwork(t *testing.T, group, name, location, space string) string {
	t.Helper()
	ctx := context.Background()
	body := armnetwork.VirtualNetwork{Location: &location, Properties: &armnetwork.VirtualNetworkPropertiesFormat{
		AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{&space}}}}
	p, err := Client(t).VirtualNetworks().BeginCreateOrUpdate(ctx, group, name, body, nil)
	if err != nil {
		t.Fatalf("creating network %s: %v", name, err)
	}
	resp, err := p.PollUntilDone(ctx, nil)
	if err != nil {
		t.Fatalf("creating network %s: %v", name, err)
	}
	return *resp.ID
}

func str(s string) *string { return &s }
