package network

import (
	"net/http"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Network security groups and their security rules. An NSG's record holds
// its rules; its six default rules and its subnets (the subnets associated
// with it, found in the networks of its subscription) are derived on read.

type networkSecurityGroups struct {
	*networkResources[nsgRecord, *nsgRecord]
}

func (s *Service) networkSecurityGroups() *networkSecurityGroups {
	g := &networkSecurityGroups{&networkResources[nsgRecord, *nsgRecord]{s: s, collection: "networkSecurityGroups", typ: nsgType,
		param: "networkSecurityGroupName", operations: "NetworkSecurityGroups", build: buildNSG,
		view: func(r store.Reader, n *nsgRecord) any { return s.viewNSG(r, n) }}}
	g.beforeDelete = func(r store.Reader, n *nsgRecord) error {
		if users := s.subnetsUsing(r, n.ID); len(users) > 0 {
			return arm.InUseNetworkSecurityGroupCannotBeDeleted(n.ID, users)
		}
		return nil
	}
	return g
}

// Routes adds the read-only default rules to the NSG's own routes.
func (g *networkSecurityGroups) Routes() []service.Route {
	defaults := g.path() + "/defaultSecurityRules"
	return append(g.networkResources.Routes(),
		service.Route{Method: http.MethodGet, Pattern: defaults, Operation: "DefaultSecurityRules_List", Handle: g.listDefaults},
		service.Route{Method: http.MethodGet, Pattern: defaults + "/{defaultSecurityRuleName}", Operation: "DefaultSecurityRules_Get", Handle: g.getDefault},
	)
}

func (s *Service) securityRules(nsgs *networkSecurityGroups) service.ResourceType {
	return &inlineChildren[nsgRecord, ruleRecord, *nsgRecord, *ruleRecord]{
		parent: nsgs.networkResources, collection: "securityRules", typ: ruleType, param: "securityRuleName",
		operations: "SecurityRules",
		items:      func(n *nsgRecord) *[]ruleRecord { return &n.Properties.SecurityRules },
		prepare:    func(_ *store.Tx, n *nsgRecord, _, _ *ruleRecord) error { return validateRules(n) },
		view:       func(_ store.Reader, n *nsgRecord, r *ruleRecord) any { return sharedEtag([]ruleRecord{*r}, n.Etag)[0] },
	}
}

// buildNSG is the NSG a PUT stores: the body's rules replace the stored ones.
func buildNSG(_ *store.Tx, in, cur *nsgRecord, id, name string) (*nsgRecord, error) {
	n := &nsgRecord{TrackedResource: NewTrackedResource(id, name, nsgType, in.Location, in.Tags),
		Properties: nsgProperties{SecurityRules: in.Properties.SecurityRules, ProvisioningState: service.StateUpdating, ResourceGUID: arm.NewGUID()}}
	if cur != nil {
		n.ID, n.Name, n.Properties.ResourceGUID = cur.ID, cur.Name, cur.Properties.ResourceGUID
	}
	if n.Properties.SecurityRules == nil {
		n.Properties.SecurityRules = []ruleRecord{}
	}
	for i := range n.Properties.SecurityRules {
		n.Properties.SecurityRules[i].Properties.ProvisioningState = service.StateUpdating
	}
	return n, validateRules(n)
}

// defaultRules are the six rules Azure puts in every NSG.
func defaultRules(nsgID string) []ruleRecord {
	rule := func(name, direction, access, source, destination string, priority int) ruleRecord {
		return ruleRecord{childResource: childResource{ID: childID(nsgID, "defaultSecurityRules", name), Name: name, Type: defaultRuleType},
			Properties: ruleProperties{Description: defaultRuleDescriptions[name], Protocol: "*", SourcePortRange: "*", DestinationPortRange: "*",
				SourceAddressPrefix: source, DestinationAddressPrefix: destination, Access: access, Priority: &priority,
				Direction: direction, ProvisioningState: service.StateSucceeded}}
	}
	return []ruleRecord{
		rule("AllowVnetInBound", "Inbound", "Allow", "VirtualNetwork", "VirtualNetwork", 65000),
		rule("AllowAzureLoadBalancerInBound", "Inbound", "Allow", "AzureLoadBalancer", "*", 65001),
		rule("DenyAllInBound", "Inbound", "Deny", "*", "*", 65500),
		rule("AllowVnetOutBound", "Outbound", "Allow", "VirtualNetwork", "VirtualNetwork", 65000),
		rule("AllowInternetOutBound", "Outbound", "Allow", "*", "Internet", 65001),
		rule("DenyAllOutBound", "Outbound", "Deny", "*", "*", 65500),
	}
}

var defaultRuleDescriptions = map[string]string{
	"AllowVnetInBound":              "Allow inbound traffic from all VMs in VNET",
	"AllowAzureLoadBalancerInBound": "Allow inbound traffic from azure load balancer",
	"DenyAllInBound":                "Deny all inbound traffic",
	"AllowVnetOutBound":             "Allow outbound traffic from all VMs to all VMs in VNET",
	"AllowInternetOutBound":         "Allow outbound traffic from all VMs to Internet",
	"DenyAllOutBound":               "Deny all outbound traffic",
}

// viewNSG is the NSG as ARM shows it: its state, its rules sharing its etag,
// the defaults, and the subnets associated with it, found now.
func (s *Service) viewNSG(r store.Reader, n *nsgRecord) *nsgRecord {
	out := *n
	out.Properties.ProvisioningState = s.shownState(r, n.ID, n.Properties.ProvisioningState)
	out.Properties.SecurityRules = sharedEtag(n.Properties.SecurityRules, n.Etag)
	out.Properties.DefaultSecurityRules = defaultRules(n.ID)
	out.Properties.Subnets = nil
	for _, id := range s.subnetsUsing(r, n.ID) {
		out.Properties.Subnets = append(out.Properties.Subnets, SubResource{ID: id})
	}
	return &out
}

// subnetsUsing lists the ids of the subnets associated with the NSG (only
// networks of its own subscription may use it).
func (s *Service) subnetsUsing(r store.Reader, nsgID string) []string {
	vnets, _ := service.Records[VNet](r, "/subscriptions/"+SubscriptionOf(nsgID)+"/", VNetType)
	var out []string
	for _, v := range vnets {
		for _, sn := range v.Properties.Subnets {
			if g := sn.Properties.NetworkSecurityGroup; g != nil && strings.EqualFold(g.ID, nsgID) {
				out = append(out, sn.ID)
			}
		}
	}
	return out
}

// CheckGroupDeletion refuses to delete a resource group holding an NSG that
// a subnet outside the group still uses, as ARM does (it cannot delete the
// NSG); the group's own networks go with it.
func (g *networkSecurityGroups) CheckGroupDeletion(r store.Reader, groupID string) error {
	nsgs, err := service.Records[nsgRecord](r, groupID+"/", nsgType)
	if err != nil {
		return err
	}
	for _, n := range nsgs {
		var outside []string
		for _, id := range g.s.subnetsUsing(r, n.ID) {
			if !inGroup(id, groupID) {
				outside = append(outside, id)
			}
		}
		if len(outside) > 0 {
			return arm.InUseNetworkSecurityGroupCannotBeDeleted(n.ID, outside)
		}
	}
	return nil
}

func (g *networkSecurityGroups) listDefaults(req *service.Request) (arm.Response, error) {
	n, err := g.find(g.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, service.List[ruleRecord]{Value: defaultRules(n.ID)}), nil
}

func (g *networkSecurityGroups) getDefault(req *service.Request) (arm.Response, error) {
	n, err := g.find(g.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	rules := defaultRules(n.ID)
	if i := IndexByName(rules, req.Param("defaultSecurityRuleName")); i >= 0 {
		return arm.JSON(http.StatusOK, rules[i]), nil
	}
	return arm.Response{}, arm.ResourceNotFound(nsgType, n.Name+"/defaultSecurityRules/"+req.Param("defaultSecurityRuleName"), req.Param("resourceGroupName"))
}
