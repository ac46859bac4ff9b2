package siterecovery

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Site Recovery recovery plans (armrecoveryservicessiterecovery/v2 v2.2.0,
// api-version 2023-06-01): ordered groups of protected items that fail over
// together, with actions before and after each group.
//
//	PUT    {v}/replicationRecoveryPlans/{plan}   BeginCreate (CreateRecoveryPlanInput)
//	GET    {v}/replicationRecoveryPlans/{plan}   Get
//	GET    {v}/replicationRecoveryPlans          NewListPager
//	PATCH  {v}/replicationRecoveryPlans/{plan}   BeginUpdate (UpdateRecoveryPlanInput: groups)
//	DELETE {v}/replicationRecoveryPlans/{plan}   BeginDelete
//
// All served by the shared srObjects handler: every write is a 202 with
// polling URLs, as Site Recovery answers. The plan-level POST actions
// (testFailover, plannedFailover...) are not served (404
// InvalidResourceType): drills fail over the items group by group.
//
// As Azure does, a plan's groups are one "Shutdown" group, one "Failover"
// group, then the "Boot" groups in their order; a body may leave the first
// two out (the REST spec's create example does) and they are added, empty.
// Protected items live in Boot groups only. The validation
// (resolvePlanGroups) enforces Azure's limits and names the offending
// property. Protected items a plan holds cannot be removed
// (planItemGuards, 409 naming the plans).

const (
	recoveryPlanType          = vaultType + "/replicationRecoveryPlans"
	recoveryPlansCollection   = "replicationRecoveryPlans"
	recoveryPlanWriteDuration = 30 * time.Second

	planGroupShutdown = "Shutdown"
	planGroupFailover = "Failover"
	planGroupBoot     = "Boot"

	planActionScript   = "ScriptActionDetails"
	planActionManual   = "ManualActionDetails"
	planActionRunbook  = "AutomationRunbookActionDetails"
	planLocationPrim   = "Primary"
	planLocationRecov  = "Recovery"
	maxPlanItems       = 100 // Azure's limits per recovery plan
	maxPlanBootGroups  = 7
	maxPlanActionName  = 128
	defaultPlanDeploy  = "ResourceManager"
	planScenarioIdle   = "None"
	planItemInPlanCode = "ReplicationProtectedItemPartOfRecoveryPlan"
)

// recoveryPlan is a stored recovery plan: its GET body.
type recoveryPlan = srResource[recoveryPlanProperties]

type recoveryPlanProperties struct {
	FriendlyName               string                `json:"friendlyName"`
	PrimaryFabricID            string                `json:"primaryFabricId"`
	PrimaryFabricFriendlyName  string                `json:"primaryFabricFriendlyName"`
	RecoveryFabricID           string                `json:"recoveryFabricId"`
	RecoveryFabricFriendlyName string                `json:"recoveryFabricFriendlyName"`
	FailoverDeploymentModel    string                `json:"failoverDeploymentModel"`
	ReplicationProviders       []string              `json:"replicationProviders"`
	AllowedOperations          []string              `json:"allowedOperations"`
	LastPlannedFailoverTime    *time.Time            `json:"lastPlannedFailoverTime,omitempty"`
	LastUnplannedFailoverTime  *time.Time            `json:"lastUnplannedFailoverTime,omitempty"`
	LastTestFailoverTime       *time.Time            `json:"lastTestFailoverTime,omitempty"`
	CurrentScenario            planScenario          `json:"currentScenario"`
	Groups                     []planGroup           `json:"groups"`
	ProviderSpecificDetails    []planProviderDetails `json:"providerSpecificDetails"`
}

type planScenario struct {
	ScenarioName string     `json:"scenarioName"`
	JobID        string     `json:"jobId,omitempty"`
	StartTime    *time.Time `json:"startTime,omitempty"`
}

type planProviderDetails struct {
	InstanceType string `json:"instanceType"`
	PrimaryZone  string `json:"primaryZone,omitempty"`
	RecoveryZone string `json:"recoveryZone,omitempty"`
}

// planGroup is RecoveryPlanGroup, in requests and responses alike.
type planGroup struct {
	GroupType                 string       `json:"groupType"`
	ReplicationProtectedItems []planItem   `json:"replicationProtectedItems"`
	StartGroupActions         []planAction `json:"startGroupActions"`
	EndGroupActions           []planAction `json:"endGroupActions"`
}

type planItem struct {
	ID               string `json:"id"`
	VirtualMachineID string `json:"virtualMachineId,omitempty"`
}

// planAction is RecoveryPlanAction; customDetails is one of the three
// instance types, flattened.
type planAction struct {
	ActionName         string            `json:"actionName"`
	FailoverTypes      []string          `json:"failoverTypes"`
	FailoverDirections []string          `json:"failoverDirections"`
	CustomDetails      planActionDetails `json:"customDetails"`
}

type planActionDetails struct {
	InstanceType   string `json:"instanceType"`
	Path           string `json:"path,omitempty"`
	Timeout        string `json:"timeout,omitempty"`
	FabricLocation string `json:"fabricLocation,omitempty"`
	Description    string `json:"description,omitempty"`
	RunbookID      string `json:"runbookId,omitempty"`
}

// recoveryPlanInput is CreateRecoveryPlanInput and UpdateRecoveryPlanInput.
type recoveryPlanInput struct {
	Properties *struct {
		PrimaryFabricID         *string               `json:"primaryFabricId"`
		RecoveryFabricID        *string               `json:"recoveryFabricId"`
		FailoverDeploymentModel *string               `json:"failoverDeploymentModel"`
		Groups                  []planGroup           `json:"groups"`
		ProviderSpecificInput   []planProviderDetails `json:"providerSpecificInput"`
	} `json:"properties"`
}

func (s *Service) recoveryPlans() *srObjects[recoveryPlanProperties] {
	return &srObjects[recoveryPlanProperties]{s: s, typ: recoveryPlanType, operations: "ReplicationRecoveryPlans",
		levels:        []srLevel{{collection: recoveryPlansCollection, param: "recoveryPlanName"}},
		writeDuration: recoveryPlanWriteDuration, deleteDuration: recoveryPlanWriteDuration,
		build: buildRecoveryPlan, update: updateRecoveryPlan, view: viewRecoveryPlan,
		deleteOp: "ReplicationRecoveryPlans_Delete"}
}

func buildRecoveryPlan(tx *store.Tx, req *service.Request, at srPlace, _ *recoveryPlan) (*recoveryPlan, error) {
	var in recoveryPlanInput
	if err := req.Decode(&in); err != nil {
		return nil, err
	}
	p := in.Properties
	if p == nil {
		return nil, arm.InvalidProperty("properties", "required: give primaryFabricId, recoveryFabricId and groups")
	}
	primary, err := planFabric(tx, at, "properties.primaryFabricId", p.PrimaryFabricID)
	if err != nil {
		return nil, err
	}
	recovery, err := planFabric(tx, at, "properties.recoveryFabricId", p.RecoveryFabricID)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(primary.ID, recovery.ID) {
		return nil, arm.SiteRecoveryInvalidReference("InvalidRecoveryFabric", "properties.recoveryFabricId",
			"the recovery fabric must be another region's fabric than the primary fabric '%s'", primary.Name)
	}
	model := defaultPlanDeploy
	if p.FailoverDeploymentModel != nil {
		switch *p.FailoverDeploymentModel {
		case "ResourceManager", "Classic", "NotApplicable":
			model = *p.FailoverDeploymentModel
		default:
			return nil, arm.InvalidProperty("properties.failoverDeploymentModel",
				"'%s' is not one of ResourceManager, Classic, NotApplicable", *p.FailoverDeploymentModel)
		}
	}
	details := []planProviderDetails{{InstanceType: instanceA2A}}
	for i, d := range p.ProviderSpecificInput {
		if d.InstanceType != instanceA2A {
			return nil, arm.InvalidProperty(fmt.Sprintf("properties.providerSpecificInput[%d].instanceType", i),
				"'%s' is not supported; the emulator serves Azure-to-Azure recovery plans, instanceType \"A2A\"", d.InstanceType)
		}
		details = []planProviderDetails{d}
	}
	plan := &recoveryPlan{Properties: recoveryPlanProperties{
		FriendlyName:               at.name,
		PrimaryFabricID:            primary.ID,
		PrimaryFabricFriendlyName:  primary.Properties.FriendlyName,
		RecoveryFabricID:           recovery.ID,
		RecoveryFabricFriendlyName: recovery.Properties.FriendlyName,
		FailoverDeploymentModel:    model,
		ReplicationProviders:       []string{instanceA2A},
		CurrentScenario:            planScenario{ScenarioName: planScenarioIdle},
		ProviderSpecificDetails:    details,
	}}
	plan.ID = at.id
	groups, err := resolvePlanGroups(tx, plan, p.Groups, "properties.groups")
	if err != nil {
		return nil, err
	}
	plan.Properties.Groups = groups
	return plan, nil
}

// updateRecoveryPlan applies UpdateRecoveryPlanInput: the groups, replaced
// as a whole.
func updateRecoveryPlan(tx *store.Tx, req *service.Request, _ srPlace, cur *recoveryPlan) error {
	var in recoveryPlanInput
	if err := req.Decode(&in); err != nil {
		return err
	}
	if in.Properties == nil || in.Properties.Groups == nil {
		return arm.InvalidProperty("properties.groups", "required: the plan's groups, in order")
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"primaryFabricId", in.Properties.PrimaryFabricID}, {"recoveryFabricId", in.Properties.RecoveryFabricID}} {
		if f.v != nil {
			return arm.InvalidProperty("properties."+f.name, "cannot be updated; create another recovery plan to change fabrics")
		}
	}
	groups, err := resolvePlanGroups(tx, cur, in.Properties.Groups, "properties.groups")
	if err != nil {
		return err
	}
	cur.Properties.Groups = groups
	return nil
}

// planFabric resolves a fabric id of the vault.
func planFabric(r store.Reader, at srPlace, property string, id *string) (*replicationFabric, error) {
	if id == nil || *id == "" {
		return nil, arm.InvalidProperty(property, "required: the id of a fabric of vault '%s'", at.vault.Name)
	}
	if !strings.EqualFold(vaultIDOf(*id), at.vault.ID) || !strings.EqualFold(lastCollection(*id), fabricsCollection) {
		return nil, arm.SiteRecoveryInvalidReference("FabricNotFound", property,
			"'%s' is not a fabric of vault '%s' (%s/%s/<name>)", *id, at.vault.Name, at.vault.ID, fabricsCollection)
	}
	f, ok, err := fabricOf(r, *id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.SiteRecoveryInvalidReference("FabricNotFound", property,
			"the vault '%s' has no fabric '%s'; create it first", at.vault.Name, lastSegment(*id))
	}
	return f, nil
}

// lastCollection is the collection segment before an id's last name.
func lastCollection(id string) string {
	parent, _ := service.SplitChildID(id)
	if parent == "" {
		return ""
	}
	return id[len(parent)+1 : strings.LastIndex(id, "/")]
}

// resolvePlanGroups validates groups against Azure's rules and returns them
// as stored: Shutdown, Failover, then the Boot groups; items with the ids
// and VM ids as stored; nil lists as empty ones.
func resolvePlanGroups(r store.Reader, plan *recoveryPlan, in []planGroup, path string) ([]planGroup, error) {
	if len(in) == 0 {
		return nil, arm.InvalidProperty(path, "required: at least one Boot group with the protected items to fail over")
	}
	// Each group with its index in the request (-1: added here), for
	// error paths.
	type indexed struct {
		g  planGroup
		at int
	}
	var shutdown, failover *indexed
	var boot []indexed
	for i, g := range in {
		gp := fmt.Sprintf("%s[%d]", path, i)
		switch g.GroupType {
		case planGroupShutdown, planGroupFailover:
			if len(boot) > 0 {
				return nil, arm.InvalidProperty(gp+".groupType", "the %s group must come before the Boot groups", g.GroupType)
			}
			slot := &shutdown
			if g.GroupType == planGroupFailover {
				slot = &failover
			} else if failover != nil {
				return nil, arm.InvalidProperty(gp+".groupType", "the Shutdown group must come before the Failover group")
			}
			if *slot != nil {
				return nil, arm.InvalidProperty(gp+".groupType", "a recovery plan has one %s group", g.GroupType)
			}
			if len(g.ReplicationProtectedItems) > 0 {
				return nil, arm.InvalidProperty(gp+".replicationProtectedItems",
					"the %s group holds no protected items; put them in Boot groups", g.GroupType)
			}
			*slot = &indexed{g: g, at: i}
		case planGroupBoot:
			boot = append(boot, indexed{g: g, at: i})
		default:
			return nil, arm.InvalidProperty(gp+".groupType", "'%s' is not one of Shutdown, Failover, Boot", g.GroupType)
		}
	}
	if len(boot) == 0 {
		return nil, arm.InvalidProperty(path, "a recovery plan needs at least one Boot group")
	}
	if len(boot) > maxPlanBootGroups {
		return nil, arm.BadRequest("RecoveryPlanGroupLimitExceeded",
			"%s: the recovery plan has %d Boot groups; Azure allows at most %d. Merge groups that can start together.", path, len(boot), maxPlanBootGroups)
	}
	all := make([]indexed, 0, 2+len(boot))
	for _, x := range []struct {
		g   *indexed
		typ string
	}{{shutdown, planGroupShutdown}, {failover, planGroupFailover}} {
		if x.g == nil {
			x.g = &indexed{g: planGroup{GroupType: x.typ}, at: -1}
		}
		all = append(all, *x.g)
	}
	all = append(all, boot...)

	seenItems := map[string]string{}   // lower-cased id -> where
	seenActions := map[string]string{} // lower-cased name -> where
	total := 0
	out := make([]planGroup, 0, len(all))
	for _, x := range all {
		g := x.g
		gp := fmt.Sprintf("%s[%d]", path, x.at)
		items := make([]planItem, 0, len(g.ReplicationProtectedItems))
		for j, it := range g.ReplicationProtectedItems {
			ip := fmt.Sprintf("%s.replicationProtectedItems[%d].id", gp, j)
			resolved, err := planProtectedItem(r, plan, ip, it.ID)
			if err != nil {
				return nil, err
			}
			key := strings.ToLower(resolved.ID)
			if where, dup := seenItems[key]; dup {
				return nil, arm.InvalidProperty(ip, "the protected item '%s' is already in the plan at %s; an item belongs to one group", resolved.ID, where)
			}
			seenItems[key] = ip
			items = append(items, resolved)
			total++
		}
		if total > maxPlanItems {
			return nil, arm.BadRequest("RecoveryPlanProtectedItemLimitExceeded",
				"%s: the recovery plan holds more than %d protected items, Azure's limit. Split the application into several plans.", path, maxPlanItems)
		}
		g.ReplicationProtectedItems = items
		for _, acts := range []struct {
			name string
			list *[]planAction
		}{{"startGroupActions", &g.StartGroupActions}, {"endGroupActions", &g.EndGroupActions}} {
			if *acts.list == nil {
				*acts.list = []planAction{}
			}
			for k := range *acts.list {
				ap := fmt.Sprintf("%s.%s[%d]", gp, acts.name, k)
				a := &(*acts.list)[k]
				if err := checkPlanAction(a, ap); err != nil {
					return nil, err
				}
				key := strings.ToLower(a.ActionName)
				if where, dup := seenActions[key]; dup {
					return nil, arm.InvalidProperty(ap+".actionName", "the action name '%s' is already used at %s; action names are unique within a recovery plan", a.ActionName, where)
				}
				seenActions[key] = ap
			}
		}
		out = append(out, g)
	}
	return out, nil
}

// planProtectedItem checks id names a protected item of the plan's vault,
// replicating from the plan's primary fabric, and returns it as stored.
func planProtectedItem(r store.Reader, plan *recoveryPlan, property, id string) (planItem, error) {
	if id == "" {
		return planItem{}, arm.InvalidProperty(property, "required: the id of a replication protected item")
	}
	vault := vaultIDOf(plan.ID)
	if !strings.EqualFold(vaultIDOf(id), vault) {
		return planItem{}, arm.SiteRecoveryInvalidReference("ProtectedItemNotFound", property,
			"'%s' is not a protected item of vault '%s'; a recovery plan holds items of its own vault", id, lastSegment(vault))
	}
	it, ok, err := service.GetJSON[protectedItemRecord](r, id)
	if err != nil {
		return planItem{}, err
	}
	if !ok || !strings.EqualFold(it.Type, protectedItemType) {
		return planItem{}, arm.SiteRecoveryInvalidReference("ProtectedItemNotFound", property,
			"the protected item '%s' does not exist in vault '%s'; enable replication of the VM first", id, lastSegment(vault))
	}
	if !strings.HasPrefix(strings.ToLower(it.ID), strings.ToLower(plan.Properties.PrimaryFabricID)+"/") {
		return planItem{}, arm.SiteRecoveryInvalidReference("ProtectedItemNotInPrimaryFabric", property,
			"the protected item '%s' replicates from another fabric than the plan's primary fabric '%s'", it.ID, lastSegment(plan.Properties.PrimaryFabricID))
	}
	if it.Properties.Phase == phaseDisabling {
		return planItem{}, arm.SiteRecoveryConflict("ProtectionBeingDisabled",
			"%s: protection of '%s' is being disabled; it cannot join a recovery plan", property, it.ID)
	}
	return planItem{ID: it.ID, VirtualMachineID: it.Properties.VMID}, nil
}

var (
	planFailoverTypes = map[string]bool{"TestFailover": true, "TestFailoverCleanup": true, "PlannedFailover": true, "UnplannedFailover": true,
		"ReverseReplicate": true, "Commit": true, "Failback": true, "FinalizeFailback": true, "CancelFailover": true, "ChangePit": true,
		"RepairReplication": true, "SwitchProtection": true, "CompleteMigration": true, "DisableProtection": true}
	planDirections = map[string]bool{"PrimaryToRecovery": true, "RecoveryToPrimary": true}
)

// checkPlanAction validates one action: a name, failover types and
// directions, and details of a known instance type with what it needs.
func checkPlanAction(a *planAction, path string) error {
	switch name := strings.TrimSpace(a.ActionName); {
	case name == "":
		return arm.InvalidProperty(path+".actionName", "required: a name for the action, unique within the plan")
	case len(a.ActionName) > maxPlanActionName:
		return arm.InvalidProperty(path+".actionName", "at most %d characters", maxPlanActionName)
	}
	if len(a.FailoverTypes) == 0 {
		return arm.InvalidProperty(path+".failoverTypes", "required: the failover types the action runs for, e.g. [\"TestFailover\", \"PlannedFailover\", \"UnplannedFailover\"]")
	}
	for i, t := range a.FailoverTypes {
		if !planFailoverTypes[t] {
			return arm.InvalidProperty(fmt.Sprintf("%s.failoverTypes[%d]", path, i), "'%s' is not a failover type", t)
		}
	}
	if len(a.FailoverDirections) == 0 {
		return arm.InvalidProperty(path+".failoverDirections", "required: [\"PrimaryToRecovery\"], [\"RecoveryToPrimary\"] or both")
	}
	for i, d := range a.FailoverDirections {
		if !planDirections[d] {
			return arm.InvalidProperty(fmt.Sprintf("%s.failoverDirections[%d]", path, i), "'%s' is not one of PrimaryToRecovery, RecoveryToPrimary", d)
		}
	}
	d := &a.CustomDetails
	dp := path + ".customDetails"
	checkLocation := func() error {
		if d.FabricLocation != planLocationPrim && d.FabricLocation != planLocationRecov {
			return arm.InvalidProperty(dp+".fabricLocation", "'%s' is not one of Primary, Recovery", d.FabricLocation)
		}
		return nil
	}
	switch d.InstanceType {
	case planActionScript:
		if strings.TrimSpace(d.Path) == "" {
			return arm.InvalidProperty(dp+".path", "required: the script to run")
		}
		if strings.TrimSpace(d.Timeout) == "" {
			return arm.InvalidProperty(dp+".timeout", "required: how long the script may run, an ISO 8601 duration such as \"PT10M\"")
		}
		if _, err := parseISODuration(d.Timeout); err != nil {
			return arm.InvalidProperty(dp+".timeout", "'%s' is not an ISO 8601 duration such as \"PT10M\": %v", d.Timeout, err)
		}
		if err := checkLocation(); err != nil {
			return err
		}
		d.Description, d.RunbookID = "", ""
	case planActionManual:
		d.Path, d.Timeout, d.FabricLocation, d.RunbookID = "", "", "", ""
	case planActionRunbook:
		if !strings.Contains(strings.ToLower(d.RunbookID), "/providers/microsoft.automation/automationaccounts/") {
			return arm.InvalidProperty(dp+".runbookId", "required: the ARM id of an Azure Automation runbook")
		}
		if err := checkLocation(); err != nil {
			return err
		}
		d.Path, d.Description = "", ""
	default:
		return arm.InvalidProperty(dp+".instanceType", "'%s' is not one of %s, %s, %s", d.InstanceType, planActionScript, planActionManual, planActionRunbook)
	}
	return nil
}

// parseISODuration reads the ISO 8601 durations Site Recovery uses for
// action timeouts: PnDTnHnMnS (each part optional, at least one).
func parseISODuration(s string) (time.Duration, error) {
	in := strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(in, "P") || len(in) < 3 {
		return 0, fmt.Errorf("expected P[nD]T[nH][nM][nS]")
	}
	in = in[1:]
	var total time.Duration
	inTime := false
	num := ""
	for _, c := range in {
		switch {
		case c >= '0' && c <= '9' || c == '.':
			num += string(c)
			continue
		case c == 'T':
			if inTime || num != "" {
				return 0, fmt.Errorf("misplaced T")
			}
			inTime = true
			continue
		}
		if num == "" {
			return 0, fmt.Errorf("a number must precede %c", c)
		}
		var v float64
		if _, err := fmt.Sscanf(num, "%g", &v); err != nil {
			return 0, err
		}
		unit := time.Duration(0)
		switch {
		case c == 'D' && !inTime:
			unit = 24 * time.Hour
		case c == 'H' && inTime:
			unit = time.Hour
		case c == 'M' && inTime:
			unit = time.Minute
		case c == 'S' && inTime:
			unit = time.Second
		default:
			return 0, fmt.Errorf("unexpected %c", c)
		}
		total += time.Duration(v * float64(unit))
		num = ""
	}
	if num != "" {
		return 0, fmt.Errorf("a unit must follow %s", num)
	}
	if total <= 0 {
		return 0, fmt.Errorf("must be positive")
	}
	return total, nil
}

// viewRecoveryPlan fills what GET derives: the operations the plan allows
// now (a test failover cleanup while one of its items has a test failover
// pending).
func viewRecoveryPlan(r store.Reader, p *recoveryPlan) {
	ops := []string{"PlannedFailover", "UnplannedFailover", "TestFailover"}
	for _, g := range p.Properties.Groups {
		for _, it := range g.ReplicationProtectedItems {
			if testFailoverPending(r, it.ID) {
				ops = []string{"TestFailoverCleanup"}
			}
		}
	}
	p.Properties.AllowedOperations = ops
	if p.Properties.ReplicationProviders == nil {
		p.Properties.ReplicationProviders = []string{instanceA2A}
	}
}

// testFailoverPending reads only the item's test failover state, so the
// plan does not depend on the rest of the item's record.
func testFailoverPending(r store.Reader, itemID string) bool {
	raw, ok := r.Get(itemID)
	if !ok {
		return false
	}
	var it struct {
		Properties struct {
			Failover struct {
				TestFailoverState string `json:"testFailoverState"`
			} `json:"failover"`
		} `json:"properties"`
	}
	if json.Unmarshal(raw, &it) != nil {
		return false
	}
	s := it.Properties.Failover.TestFailoverState
	return s != "" && s != "None"
}

// plansHolding returns the ids of the recovery plans of the item's vault
// that hold the item.
func plansHolding(r store.Reader, itemID string) ([]string, error) {
	vault := vaultIDOf(itemID)
	if vault == "" {
		return nil, nil
	}
	plans, err := objectsOfType[recoveryPlanProperties](r, vault, recoveryPlansCollection)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range plans {
		for _, g := range p.Properties.Groups {
			for _, it := range g.ReplicationProtectedItems {
				if strings.EqualFold(it.ID, itemID) {
					out = append(out, p.ID)
				}
			}
		}
	}
	return out, nil
}

// planItemGuards refuses disabling (POST .../remove) or purging (DELETE)
// a protected item a recovery plan holds, as Site Recovery does: 409
// naming the plans.
func (s *Service) planItemGuards() map[string]func(*service.Request) error {
	guard := func(req *service.Request) error {
		id := "/subscriptions/" + req.Param("subscriptionId") + "/resourceGroups/" + req.Param("resourceGroupName") +
			"/providers/" + vaultType + "/" + req.Param("resourceName") +
			"/" + fabricsCollection + "/" + req.Param("fabricName") +
			"/" + containersCollection + "/" + req.Param("protectionContainerName") +
			"/" + protectedItemsCollection + "/" + req.Param("replicatedProtectedItemName")
		plans, err := plansHolding(s.Store, id)
		if err != nil {
			return err
		}
		if len(plans) > 0 {
			return arm.SiteRecoveryConflict(planItemInPlanCode,
				"The protected item '%s' is part of the recovery plan(s) %s. Remove it from the recovery plan(s), then retry.",
				req.Param("replicatedProtectedItemName"), strings.Join(plans, ", "))
		}
		return nil
	}
	return map[string]func(*service.Request) error{
		"ReplicationProtectedItems_Delete": guard,
		"ReplicationProtectedItems_Purge":  guard,
	}
}

// recoveryPlanResource is the resource type in the route table: the
// shared handler's routes, plus the guards on protected items.
type recoveryPlanResource struct {
	*srObjects[recoveryPlanProperties]
}

func newRecoveryPlans(s *Service) recoveryPlanResource {
	return recoveryPlanResource{s.recoveryPlans()}
}

func (t recoveryPlanResource) OperationGuards() map[string]func(*service.Request) error {
	return t.s.planItemGuards()
}
