package siterecovery

import (
	"fmt"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Validating a recovery plan's groups, their items and their pre and post
// actions against Site Recovery's rules.

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
