package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

// networkSecurityGroups serves Microsoft.Network networkSecurityGroups and
// their securityRules. NSG writes are long-running; rule writes answer at
// once with a terminal provisioningState.
type networkSecurityGroups struct{ s *Server }

const (
	nsgPath     = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}"
	rulePath    = nsgPath + "/securityRules/{securityRuleName}"
	nsgListPath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/networkSecurityGroups"
	nsgAllPath  = "/subscriptions/{subscriptionId}/providers/Microsoft.Network/networkSecurityGroups"
)

func (g *networkSecurityGroups) routes() []route {
	return []route{
		{method: http.MethodPut, pattern: nsgPath, operation: "NetworkSecurityGroups_CreateOrUpdate", handle: g.put},
		{method: http.MethodGet, pattern: nsgPath, operation: "NetworkSecurityGroups_Get", handle: g.get},
		{method: http.MethodDelete, pattern: nsgPath, operation: "NetworkSecurityGroups_Delete", handle: g.delete},
		{method: http.MethodGet, pattern: nsgListPath, operation: "NetworkSecurityGroups_List", handle: g.list},
		{method: http.MethodGet, pattern: nsgAllPath, operation: "NetworkSecurityGroups_ListAll", handle: g.list},
		{method: http.MethodPut, pattern: rulePath, operation: "SecurityRules_CreateOrUpdate", handle: g.putRule},
		{method: http.MethodGet, pattern: rulePath, operation: "SecurityRules_Get", handle: g.getRule},
		{method: http.MethodDelete, pattern: rulePath, operation: "SecurityRules_Delete", handle: g.deleteRule},
		{method: http.MethodGet, pattern: nsgPath + "/securityRules", operation: "SecurityRules_List", handle: g.listRules},
	}
}

func (g *networkSecurityGroups) operationKinds() []lro.Kind {
	return []lro.Kind{
		lro.ProvisioningKind(kindNSGWrite, networkNamespace, networkWriteDuration),
		{Name: kindNSGDelete, Namespace: networkNamespace, Duration: networkDeleteDuration,
			Complete: func(tx *store.Tx, op *lro.Operation) error { tx.Delete(op.ResourceID); return nil }},
	}
}

func (g *networkSecurityGroups) id(req *request) string {
	return networkID(req.param("subscriptionId"), req.param("resourceGroupName"), "networkSecurityGroups", req.param("networkSecurityGroupName"))
}

func (g *networkSecurityGroups) find(r store.Reader, req *request) (*nsgRecord, error) {
	if _, err := requireGroup(r, req); err != nil {
		return nil, err
	}
	n, ok, err := getNSG(r, g.id(req))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceNotFound(nsgType, req.param("networkSecurityGroupName"), req.param("resourceGroupName"))
	}
	return n, nil
}

func (g *networkSecurityGroups) put(req *request) (arm.Response, error) {
	var in nsgRecord
	if err := req.decode(&in); err != nil {
		return arm.Response{}, err
	}
	location := regions.Canonical(in.Location)
	if location == "" {
		return arm.Response{}, arm.LocationNotAvailableForResourceType(in.Location, nsgType, regions.Names())
	}
	var resp arm.Response
	err := g.s.store.Update(func(tx *store.Tx) error {
		if _, err := g.s.requireWritableGroup(tx, req.param("subscriptionId"), req.param("resourceGroupName")); err != nil {
			return err
		}
		id := g.id(req)
		cur, exists, err := getNSG(tx, id)
		if err != nil {
			return err
		}
		n := &nsgRecord{ID: id, Name: req.param("networkSecurityGroupName"), Type: nsgType, Location: location, Tags: in.Tags, Etag: newEtag(),
			Properties: nsgProperties{SecurityRules: in.Properties.SecurityRules, ProvisioningState: "Updating", ResourceGUID: arm.NewGUID()}}
		status := http.StatusCreated
		if exists {
			if cur.Location != location {
				return arm.BadRequest("InvalidResourceLocation", "The resource '%s' already exists in location '%s'; it cannot move to '%s'.", n.Name, cur.Location, location)
			}
			n.Properties.ResourceGUID, status = cur.Properties.ResourceGUID, http.StatusOK
		}
		if n.Properties.SecurityRules == nil {
			n.Properties.SecurityRules = []ruleRecord{}
		}
		if err := validateRules(n); err != nil {
			return err
		}
		op, err := g.s.ops.Start(tx, lro.Spec{Kind: kindNSGWrite, ResourceID: id, Location: location, Method: http.MethodPut, APIVersion: req.apiVersion})
		if err != nil {
			return err
		}
		if err := putJSON(tx, id, n); err != nil {
			return err
		}
		resp = g.s.ops.WithPolling(req.base, op, arm.JSON(status, g.s.viewNSG(tx, n)))
		return nil
	})
	return resp, err
}

var (
	ruleProtocols  = map[string]string{"tcp": "Tcp", "udp": "Udp", "icmp": "Icmp", "esp": "Esp", "ah": "Ah", "*": "*"}
	ruleAccess     = map[string]string{"allow": "Allow", "deny": "Deny"}
	ruleDirections = map[string]string{"inbound": "Inbound", "outbound": "Outbound"}
)

// validateRules applies Azure's checks to the rules and completes their ids.
func validateRules(n *nsgRecord) error {
	names := map[string]bool{}
	slots := map[string]string{}
	for i := range n.Properties.SecurityRules {
		r := &n.Properties.SecurityRules[i]
		p := &r.Properties
		if r.Name == "" || names[strings.ToLower(r.Name)] {
			return arm.BadRequest("DuplicateResourceName", "Network security group %s has more than one rule named '%s' (or one without a name).", n.Name, r.Name)
		}
		names[strings.ToLower(r.Name)] = true
		var ok1, ok2, ok3 bool
		p.Protocol, ok1 = ruleProtocols[strings.ToLower(p.Protocol)]
		p.Access, ok2 = ruleAccess[strings.ToLower(p.Access)]
		p.Direction, ok3 = ruleDirections[strings.ToLower(p.Direction)]
		if !ok1 || !ok2 || !ok3 {
			return arm.BadRequest("InvalidRequestFormat", "Cannot parse the request: security rule %s needs protocol (Tcp, Udp, Icmp, Esp, Ah, *), access (Allow, Deny) and direction (Inbound, Outbound).", r.Name)
		}
		if p.Priority < 100 || p.Priority > 4096 {
			return arm.BadRequest("SecurityRuleInvalidPriority", "Security rule %s has invalid Priority %d. Value provided: %d Allowed range 100-4096.", r.Name, p.Priority, p.Priority)
		}
		slot := fmt.Sprintf("%s/%d", p.Direction, p.Priority)
		if other, taken := slots[slot]; taken {
			return arm.BadRequest("SecurityRuleConflict", "Security rule %s conflicts with rule %s. Rules cannot have the same Priority and Direction.", r.Name, other)
		}
		slots[slot] = r.Name
		for _, ports := range [][]string{append([]string{p.SourcePortRange}, p.SourcePortRanges...), append([]string{p.DestinationPortRange}, p.DestinationPortRanges...)} {
			for _, pr := range ports {
				if pr != "" && !validPortRange(pr) {
					return arm.BadRequest("SecurityRuleInvalidPortRange", "Security rule %s has invalid Port range. Value provided: %s. Value should be an integer OR integer range with '-' delimiter. Valid range 0-65535.", r.Name, pr)
				}
			}
		}
		r.ID, r.Type, r.Etag = n.ID+"/securityRules/"+r.Name, ruleType, newEtag()
		p.ProvisioningState = "Succeeded"
	}
	return nil
}

func validPortRange(s string) bool {
	if s == "*" {
		return true
	}
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		hi = lo
	}
	a, errA := strconv.Atoi(lo)
	b, errB := strconv.Atoi(hi)
	return errA == nil && errB == nil && a >= 0 && b <= 65535 && a <= b
}

// defaultRules are the six rules Azure puts in every NSG.
func defaultRules(nsgID string) []ruleRecord {
	rule := func(name, direction, access, source, destination string, priority int) ruleRecord {
		return ruleRecord{ID: nsgID + "/defaultSecurityRules/" + name, Name: name, Type: "Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
			Properties: ruleProperties{Protocol: "*", SourcePortRange: "*", DestinationPortRange: "*", SourceAddressPrefix: source,
				DestinationAddressPrefix: destination, Access: access, Priority: priority, Direction: direction, ProvisioningState: "Succeeded"}}
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

// viewNSG is the NSG as ARM shows it: defaults, and the subnets associated
// with it, found now.
func (s *Server) viewNSG(r store.Reader, n *nsgRecord) *nsgRecord {
	out := *n
	out.Properties.DefaultSecurityRules = defaultRules(n.ID)
	out.Properties.Subnets = s.subnetsUsing(r, n.ID)
	return &out
}

// subnetsUsing lists the subnets of the NSG's subscription associated with it.
func (s *Server) subnetsUsing(r store.Reader, nsgID string) []subResource {
	sub, _, _ := strings.Cut(strings.TrimPrefix(strings.ToLower(nsgID), "/subscriptions/"), "/")
	vnets, _ := networkRecords[vnetRecord](r, "/subscriptions/"+sub+"/", vnetType)
	var out []subResource
	for _, v := range vnets {
		for _, sn := range v.Properties.Subnets {
			if g := sn.Properties.NetworkSecurityGroup; g != nil && strings.EqualFold(g.ID, nsgID) {
				out = append(out, subResource{ID: sn.ID})
			}
		}
	}
	return out
}

func (g *networkSecurityGroups) get(req *request) (arm.Response, error) {
	n, err := g.find(g.s.store, req)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, g.s.viewNSG(g.s.store, n)), nil
}

func (g *networkSecurityGroups) list(req *request) (arm.Response, error) {
	prefix := "/subscriptions/" + req.param("subscriptionId") + "/"
	if req.param("resourceGroupName") != "" {
		rg, err := requireGroup(g.s.store, req)
		if err != nil {
			return arm.Response{}, err
		}
		prefix = rg.ID + "/"
	}
	all, err := networkRecords[nsgRecord](g.s.store, prefix, nsgType)
	if err != nil {
		return arm.Response{}, err
	}
	out := make([]*nsgRecord, len(all))
	for i, n := range all {
		out[i] = g.s.viewNSG(g.s.store, n)
	}
	return arm.JSON(http.StatusOK, list[*nsgRecord]{Value: out}), nil
}

func (g *networkSecurityGroups) delete(req *request) (arm.Response, error) {
	var resp arm.Response
	err := g.s.store.Update(func(tx *store.Tx) error {
		n, err := g.find(tx, req)
		if err != nil {
			return err
		}
		if used := g.s.subnetsUsing(tx, n.ID); len(used) > 0 {
			return arm.BadRequest("InUseNetworkSecurityGroupCannotBeDeleted", "Network security group %s cannot be deleted because it is in use by the following resources: %s. In order to delete the Network security group, remove the association with the resource(s).", n.ID, used[0].ID)
		}
		op, err := g.s.ops.Start(tx, lro.Spec{Kind: kindNSGDelete, ResourceID: n.ID, Location: n.Location, Method: http.MethodDelete, APIVersion: req.apiVersion})
		if err != nil {
			return err
		}
		n.Properties.ProvisioningState = "Deleting"
		resp = g.s.ops.Accepted(req.base, op)
		return putJSON(tx, n.ID, n)
	})
	return resp, err
}

// writeRules changes an NSG's rules in one transaction, refusing while the
// NSG itself is being written.
func (g *networkSecurityGroups) writeRules(req *request, change func(n *nsgRecord) (arm.Response, error)) (arm.Response, error) {
	var resp arm.Response
	err := g.s.store.Update(func(tx *store.Tx) error {
		if _, err := g.s.requireWritableGroup(tx, req.param("subscriptionId"), req.param("resourceGroupName")); err != nil {
			return err
		}
		n, err := g.find(tx, req)
		if err != nil {
			return err
		}
		if op, busy, err := g.s.ops.InFlight(tx, n.ID); err != nil {
			return err
		} else if busy {
			return arm.AnotherOperationInProgress(n.ID, op.ID)
		}
		if resp, err = change(n); err != nil {
			return err
		}
		n.Etag = newEtag()
		return putJSON(tx, n.ID, n)
	})
	return resp, err
}

func (g *networkSecurityGroups) putRule(req *request) (arm.Response, error) {
	var in ruleRecord
	if err := req.decode(&in); err != nil {
		return arm.Response{}, err
	}
	name := req.param("securityRuleName")
	return g.writeRules(req, func(n *nsgRecord) (arm.Response, error) {
		in.Name = name
		status := http.StatusCreated
		rules := append([]ruleRecord{}, n.Properties.SecurityRules...)
		replaced := false
		for i := range rules {
			if strings.EqualFold(rules[i].Name, name) {
				in.Name, rules[i], replaced, status = rules[i].Name, in, true, http.StatusOK
			}
		}
		if !replaced {
			rules = append(rules, in)
		}
		trial := *n
		trial.Properties.SecurityRules = rules
		if err := validateRules(&trial); err != nil {
			return arm.Response{}, err
		}
		n.Properties.SecurityRules = trial.Properties.SecurityRules
		for _, r := range n.Properties.SecurityRules {
			if strings.EqualFold(r.Name, name) {
				return arm.JSON(status, r), nil
			}
		}
		return arm.Response{}, arm.Internal(nil)
	})
}

func (g *networkSecurityGroups) getRule(req *request) (arm.Response, error) {
	n, err := g.find(g.s.store, req)
	if err != nil {
		return arm.Response{}, err
	}
	for _, r := range n.Properties.SecurityRules {
		if strings.EqualFold(r.Name, req.param("securityRuleName")) {
			return arm.JSON(http.StatusOK, r), nil
		}
	}
	return arm.Response{}, arm.ResourceNotFound(ruleType, n.Name+"/"+req.param("securityRuleName"), req.param("resourceGroupName"))
}

func (g *networkSecurityGroups) listRules(req *request) (arm.Response, error) {
	n, err := g.find(g.s.store, req)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, list[ruleRecord]{Value: n.Properties.SecurityRules}), nil
}

func (g *networkSecurityGroups) deleteRule(req *request) (arm.Response, error) {
	return g.writeRules(req, func(n *nsgRecord) (arm.Response, error) {
		kept := n.Properties.SecurityRules[:0:0]
		for _, r := range n.Properties.SecurityRules {
			if !strings.EqualFold(r.Name, req.param("securityRuleName")) {
				kept = append(kept, r)
			}
		}
		if len(kept) == len(n.Properties.SecurityRules) {
			return arm.Empty(http.StatusNoContent), nil
		}
		n.Properties.SecurityRules = kept
		return arm.Empty(http.StatusOK), nil
	})
}
