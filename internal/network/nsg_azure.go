package network

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// The NSG resource's Azure calls.

// Tags on the NSGs the provider creates.
const (
	tagNetwork   = tags.Network   // the pair's recovery network id
	tagSourceNSG = tags.SourceNSG // when mirroring a production NSG
	roleNSG      = tags.RoleNSG
)

type nsg struct {
	ID       string
	Name     string
	Group    string
	Location string
	Rules    []rule
	Subnets  []string // ids of associated subnets
	Tags     map[string]string
}

func findNSG(ctx context.Context, c *azure.Client, id string) (*nsg, error) {
	rid, err := arm.ParseResourceID(id)
	if err != nil || !strings.EqualFold(rid.ResourceType.String(), "Microsoft.Network/networkSecurityGroups") {
		return nil, fmt.Errorf("%q is not a network security group id", id)
	}
	return getNSG(ctx, c, rid.ResourceGroupName, rid.Name)
}

// getNSG returns the NSG, or (nil, nil) when it does not exist.
func getNSG(ctx context.Context, c *azure.Client, group, name string) (*nsg, error) {
	resp, err := c.SecurityGroups().Get(ctx, group, name, nil)
	if azure.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return nsgFromARM(&resp.SecurityGroup, group), nil
}

func nsgFromARM(in *armnetwork.SecurityGroup, group string) *nsg {
	n := &nsg{ID: deref(in.ID), Name: deref(in.Name), Group: group, Location: deref(in.Location), Tags: map[string]string{}}
	for k, v := range in.Tags {
		n.Tags[k] = deref(v)
	}
	if p := in.Properties; p != nil {
		for _, r := range p.SecurityRules {
			n.Rules = append(n.Rules, ruleFromARM(r))
		}
		for _, s := range p.Subnets {
			n.Subnets = append(n.Subnets, deref(s.ID))
		}
	}
	n.Rules = sortRules(n.Rules)
	return n
}

func putNSG(ctx context.Context, c *azure.Client, group, name, location string, rules []rule, tags map[string]string) (*nsg, error) {
	body := armnetwork.SecurityGroup{Location: &location, Tags: map[string]*string{},
		Properties: &armnetwork.SecurityGroupPropertiesFormat{SecurityRules: []*armnetwork.SecurityRule{}}}
	for k, v := range tags {
		body.Tags[k] = ptr(v)
	}
	for _, r := range sortRules(rules) {
		body.Properties.SecurityRules = append(body.Properties.SecurityRules, r.toARM())
	}
	tflog.Info(ctx, "writing network security group", map[string]any{"resource_group": group, "name": name, "rules": len(rules)})
	poller, err := c.SecurityGroups().BeginCreateOrUpdate(ctx, group, name, body, nil)
	if err != nil {
		return nil, err
	}
	resp, err := azure.Wait(ctx, poller)
	if err != nil {
		return nil, err
	}
	return nsgFromARM(&resp.SecurityGroup, group), nil
}

func deleteNSG(ctx context.Context, c *azure.Client, id string) error {
	rid, err := arm.ParseResourceID(id)
	if err != nil {
		return nil // never created
	}
	tflog.Info(ctx, "deleting network security group", map[string]any{"id": id})
	return azure.Delete(ctx, func() (*runtime.Poller[armnetwork.SecurityGroupsClientDeleteResponse], error) {
		return c.SecurityGroups().BeginDelete(ctx, rid.ResourceGroupName, rid.Name, nil)
	})
}

// associate moves a subnet's NSG from `from` to `to` ("" is none), under
// the network's lock: it reads the subnet and writes it back whole, so
// nothing else on the subnet changes, and no other write of this provider
// on the network runs in between. A subnet already at `to` is left as it is
// (changed is false); one holding an NSG other than from or to is someone
// else's association and is refused.
func associate(ctx context.Context, c *azure.Client, subnetID, from, to string) (changed bool, err error) {
	rid, err := arm.ParseResourceID(subnetID)
	if err != nil || rid.Parent == nil {
		return false, fmt.Errorf("%q is not a subnet id", subnetID)
	}
	unlock, err := azure.LockVirtualNetwork(ctx, subnetID)
	if err != nil {
		return false, err
	}
	defer unlock()
	group, vnetName, name := rid.ResourceGroupName, rid.Parent.Name, rid.Name
	cur, err := c.Subnets().Get(ctx, group, vnetName, name, nil)
	if err != nil {
		return false, err
	}
	s := cur.Subnet
	if s.Properties == nil {
		s.Properties = &armnetwork.SubnetPropertiesFormat{}
	}
	has := ""
	if s.Properties.NetworkSecurityGroup != nil {
		has = deref(s.Properties.NetworkSecurityGroup.ID)
	}
	switch {
	case strings.EqualFold(has, to):
		return false, nil
	case !strings.EqualFold(has, from):
		return false, fmt.Errorf("%w: the subnet %s is now associated with %s, not %s: left as it is", errInput, subnetID, orNone(has), orNone(from))
	}
	if to == "" {
		s.Properties.NetworkSecurityGroup = nil
	} else {
		s.Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: ptr(to)}
	}
	tflog.Info(ctx, "associating subnet", map[string]any{"subnet": subnetID, "nsg": to})
	poller, err := c.Subnets().BeginCreateOrUpdate(ctx, group, vnetName, name, s, nil)
	if err != nil {
		return false, err
	}
	// Accepted: from here the subnet may have changed even if the wait fails.
	_, err = azure.Wait(ctx, poller)
	return true, err
}

// removeNSG clears the associations of an NSG the provider made, then
// deletes it (Azure refuses to delete an NSG in use). One already gone is
// fine.
func removeNSG(ctx context.Context, c *azure.Client, id string) error {
	n, err := findNSG(ctx, c, id)
	if err != nil || n == nil {
		return err
	}
	for _, subnetID := range n.Subnets {
		if _, err := associate(ctx, c, subnetID, n.ID, ""); err != nil {
			return fmt.Errorf("clearing the association of subnet %s: %w", subnetID, err)
		}
	}
	return deleteNSG(ctx, c, id)
}

// nsgID is where an NSG of the client's subscription lives.
func nsgID(c *azure.Client, group, name string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/networkSecurityGroups/%s", c.SubscriptionID, group, name)
}

func orNone(id string) string {
	if id == "" {
		return "no NSG"
	}
	return id
}
