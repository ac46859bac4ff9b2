package siterecovery

import (
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
// polling URLs, as Site Recovery answers. The plan-level POST actions A2A
// has (test failover and its cleanup, unplanned failover, commit,
// re-protect) are in plans_ops.go and plans_run.go; the plan's state and
// allowed operations, derived from its items', in plans_state.go.
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
	planItemInPlanCode = "ReplicationProtectedItemPartOfRecoveryPlan"
)

// recoveryPlan is a stored recovery plan: its GET body.
type recoveryPlan = srResource[recoveryPlanProperties]

type recoveryPlanProperties struct {
	FriendlyName               string     `json:"friendlyName"`
	PrimaryFabricID            string     `json:"primaryFabricId"`
	PrimaryFabricFriendlyName  string     `json:"primaryFabricFriendlyName"`
	RecoveryFabricID           string     `json:"recoveryFabricId"`
	RecoveryFabricFriendlyName string     `json:"recoveryFabricFriendlyName"`
	FailoverDeploymentModel    string     `json:"failoverDeploymentModel"`
	ReplicationProviders       []string   `json:"replicationProviders"`
	AllowedOperations          []string   `json:"allowedOperations"`
	LastPlannedFailoverTime    *time.Time `json:"lastPlannedFailoverTime,omitempty"`
	LastUnplannedFailoverTime  *time.Time `json:"lastUnplannedFailoverTime,omitempty"`
	LastTestFailoverTime       *time.Time `json:"lastTestFailoverTime,omitempty"`
	// CurrentScenario is the last plan operation (its job) and
	// CurrentScenarioStatus its state ("InProgress", "Succeeded",
	// "Failed", "Suspended"): all null until one has run, as Azure shows
	// a new plan.
	CurrentScenario                  *planScenario         `json:"currentScenario"`
	CurrentScenarioStatus            *string               `json:"currentScenarioStatus"`
	CurrentScenarioStatusDescription *string               `json:"currentScenarioStatusDescription"`
	Groups                           []planGroup           `json:"groups"`
	ProviderSpecificDetails          []planProviderDetails `json:"providerSpecificDetails"`
	// Run is the plan operation running (plans_run.go); never shown.
	Run *planRun `json:"run,omitempty"`
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
		build: buildRecoveryPlan, update: updateRecoveryPlan, view: s.viewRecoveryPlan,
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
	// Azure shows [] unless the plan was created with A2A details (zones).
	details := []planProviderDetails{}
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
