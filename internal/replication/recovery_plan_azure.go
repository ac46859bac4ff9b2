package replication

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// The recovery plan in Site Recovery terms, and the reading of a plan back
// as ordered groups (ReadRecoveryPlan) that the drill engine and
// azuredr_test_failover use.
//
// How an azuredr plan is stored in the vault (a Site Recovery recovery plan,
// so the portal and Azure's own plan failovers see the same thing):
//
//   - groups: an empty "Shutdown" and an empty "Failover" group first, as
//     Azure shows every plan, then one "Boot" group per azuredr group, in
//     order, holding its replicated VMs (protected items);
//   - pre_action -> the Boot group's startGroupActions, post_action -> its
//     endGroupActions, in order; each runs for test, planned and unplanned
//     failovers in both directions;
//   - a script action -> ScriptActionDetails{path: the command, its words
//     joined shell-safely (ShellJoin: a word with anything but letters,
//     digits and -_./:=@%+, goes in single quotes), timeout: ISO 8601
//     ("PT5M"), fabricLocation: "Primary"};
//   - a manual action -> ManualActionDetails{description}; a required step
//     has its description prefixed with "[required]" (RequiredPrefix), the
//     one thing Azure has no field for.
//
// Reading reverses it exactly (ShellSplit, the prefix, the ISO duration).
// Actions someone added to the Shutdown or Failover group (they run before
// the first Boot group) read as pre actions of the first group; an
// Automation runbook action reads as Type "runbook" with the runbook's id as
// Description.

// Action types of PlanAction.
const (
	ActionScript  = "script"
	ActionManual  = "manual"
	ActionRunbook = "runbook" // only read: a plan changed in the portal

	// RequiredPrefix marks a required manual step in the stored description.
	RequiredPrefix = "[required]"

	// DefaultActionTimeout is a script's timeout when none is given.
	DefaultActionTimeout = 5 * time.Minute
)

// RecoveryPlan is a recovery plan as drills run it: groups in order; the
// members of a group fail over in parallel.
type RecoveryPlan struct {
	ID     string
	Name   string
	Groups []PlanGroup
}

// PlanGroup is one step of a plan: Pre actions, then the failover of Items
// (protected item ids, as azuredr_replicated_vm ids), then Post actions.
type PlanGroup struct {
	Items     []string
	Pre, Post []PlanAction
}

// PlanAction is a step between groups.
type PlanAction struct {
	Name string
	// Type is ActionScript, ActionManual or (read only) ActionRunbook.
	Type string
	// Command is a script's argv: a local command the drill runs with the
	// drill's context in its environment.
	Command []string
	// Timeout bounds a script (DefaultActionTimeout when Azure has none).
	Timeout time.Duration
	// Description is a manual step's instruction (a runbook's id).
	Description string
	// Required: in an unattended drill, a required manual step fails the
	// drill; one not required is logged as skipped.
	Required bool
}

// ItemCount is the number of protected items in the plan.
func (p *RecoveryPlan) ItemCount() int {
	n := 0
	for _, g := range p.Groups {
		n += len(g.Items)
	}
	return n
}

// ReadRecoveryPlan reads the plan planID (a replicationRecoveryPlans id)
// through the SDK. A plan that does not exist is an error for which
// azure.IsNotFound is true.
func ReadRecoveryPlan(ctx context.Context, c *azure.Client, planID string) (*RecoveryPlan, error) {
	ref, err := parsePlanID(planID)
	if err != nil {
		return nil, err
	}
	resp, err := c.RecoveryPlans().Get(ctx, ref.Vault, ref.Group, ref.Name, nil)
	if err != nil {
		return nil, err
	}
	return planFromAzure(ref, resp.RecoveryPlan), nil
}

func planFromAzure(ref planRef, p asr.RecoveryPlan) *RecoveryPlan {
	out := &RecoveryPlan{ID: ref.String(), Name: ref.Name}
	if p.ID != nil {
		out.ID = *p.ID
	}
	if p.Name != nil {
		out.Name = *p.Name
	}
	if p.Properties == nil {
		return out
	}
	var early []PlanAction // Shutdown and Failover groups' actions
	for _, g := range p.Properties.Groups {
		if g == nil || g.GroupType == nil {
			continue
		}
		pre, post := actionsFromAzure(g.StartGroupActions), actionsFromAzure(g.EndGroupActions)
		if *g.GroupType != asr.RecoveryPlanGroupTypeBoot {
			early = append(append(early, pre...), post...)
			continue
		}
		pg := PlanGroup{Pre: pre, Post: post}
		for _, it := range g.ReplicationProtectedItems {
			if it != nil && it.ID != nil {
				pg.Items = append(pg.Items, *it.ID)
			}
		}
		out.Groups = append(out.Groups, pg)
	}
	if len(early) > 0 {
		if len(out.Groups) == 0 {
			out.Groups = append(out.Groups, PlanGroup{})
		}
		out.Groups[0].Pre = append(early, out.Groups[0].Pre...)
	}
	return out
}

func actionsFromAzure(in []*asr.RecoveryPlanAction) []PlanAction {
	var out []PlanAction
	for _, a := range in {
		if a == nil {
			continue
		}
		pa := PlanAction{Name: valueOf(a.ActionName)}
		switch d := a.CustomDetails.(type) {
		case *asr.RecoveryPlanScriptActionDetails:
			pa.Type = ActionScript
			pa.Command = commandFromPath(valueOf(d.Path))
			pa.Timeout = DefaultActionTimeout
			if t, err := parseISODuration(valueOf(d.Timeout)); err == nil {
				pa.Timeout = t
			}
		case *asr.RecoveryPlanManualActionDetails:
			pa.Type = ActionManual
			pa.Description, pa.Required = decodeManual(valueOf(d.Description))
		case *asr.RecoveryPlanAutomationRunbookActionDetails:
			pa.Type = ActionRunbook
			pa.Description = valueOf(d.RunbookID)
			pa.Timeout = DefaultActionTimeout
			if t, err := parseISODuration(valueOf(d.Timeout)); err == nil {
				pa.Timeout = t
			}
		default:
			pa.Type = "unknown"
		}
		out = append(out, pa)
	}
	return out
}

// commandFromPath reads a stored script path back into words; a path that
// is not valid shell quoting (written outside azuredr) is one word.
func commandFromPath(path string) []string {
	words, err := ShellSplit(path)
	if err != nil || len(words) == 0 {
		return []string{path}
	}
	return words
}

// decodeManual splits a stored description into the description and the
// required flag.
func decodeManual(stored string) (string, bool) {
	if !strings.HasPrefix(stored, RequiredPrefix) {
		return stored, false
	}
	return strings.TrimPrefix(strings.TrimPrefix(stored, RequiredPrefix), " "), true
}

// encodeManual is decodeManual's inverse.
func encodeManual(description string, required bool) string {
	if !required {
		return description
	}
	if description == "" {
		return RequiredPrefix
	}
	return RequiredPrefix + " " + description
}

// planGroupsToAzure builds the groups Site Recovery stores.
func planGroupsToAzure(groups []PlanGroup) []*asr.RecoveryPlanGroup {
	empty := func(t asr.RecoveryPlanGroupType) *asr.RecoveryPlanGroup {
		return &asr.RecoveryPlanGroup{GroupType: &t, ReplicationProtectedItems: []*asr.RecoveryPlanProtectedItem{},
			StartGroupActions: []*asr.RecoveryPlanAction{}, EndGroupActions: []*asr.RecoveryPlanAction{}}
	}
	out := []*asr.RecoveryPlanGroup{empty(asr.RecoveryPlanGroupTypeShutdown), empty(asr.RecoveryPlanGroupTypeFailover)}
	for _, g := range groups {
		bg := empty(asr.RecoveryPlanGroupTypeBoot)
		for _, id := range g.Items {
			bg.ReplicationProtectedItems = append(bg.ReplicationProtectedItems, &asr.RecoveryPlanProtectedItem{ID: ptrTo(id)})
		}
		bg.StartGroupActions = actionsToAzure(g.Pre)
		bg.EndGroupActions = actionsToAzure(g.Post)
		out = append(out, bg)
	}
	return out
}

func actionsToAzure(in []PlanAction) []*asr.RecoveryPlanAction {
	out := []*asr.RecoveryPlanAction{}
	for _, a := range in {
		ra := &asr.RecoveryPlanAction{
			ActionName: ptrTo(a.Name),
			FailoverTypes: []*asr.ReplicationProtectedItemOperation{ptrTo(asr.ReplicationProtectedItemOperationTestFailover),
				ptrTo(asr.ReplicationProtectedItemOperationPlannedFailover), ptrTo(asr.ReplicationProtectedItemOperationUnplannedFailover)},
			FailoverDirections: []*asr.PossibleOperationsDirections{ptrTo(asr.PossibleOperationsDirectionsPrimaryToRecovery),
				ptrTo(asr.PossibleOperationsDirectionsRecoveryToPrimary)},
		}
		switch a.Type {
		case ActionScript:
			timeout := a.Timeout
			if timeout <= 0 {
				timeout = DefaultActionTimeout
			}
			ra.CustomDetails = &asr.RecoveryPlanScriptActionDetails{InstanceType: ptrTo("ScriptActionDetails"),
				Path: ptrTo(ShellJoin(a.Command)), Timeout: ptrTo(formatISODuration(timeout)),
				FabricLocation: ptrTo(asr.RecoveryPlanActionLocationPrimary)}
		default:
			ra.CustomDetails = &asr.RecoveryPlanManualActionDetails{InstanceType: ptrTo("ManualActionDetails"),
				Description: ptrTo(encodeManual(a.Description, a.Required))}
		}
		out = append(out, ra)
	}
	return out
}

// findPlan returns the plan, or (nil, nil) when it does not exist.
func findPlan(ctx context.Context, c *azure.Client, ref planRef) (*RecoveryPlan, error) {
	p, err := ReadRecoveryPlan(ctx, c, ref.String())
	if azure.IsNotFound(err) {
		return nil, nil
	}
	return p, err
}

// createPlan creates the plan and waits for it. made reports whether the
// plan may exist even though err is not nil: Azure accepted the PUT and
// what failed came after (the wait, its job), or no answer came at all.
func createPlan(ctx context.Context, c *azure.Client, ref planRef, primaryFabricID, recoveryFabricID string, groups []PlanGroup) (made bool, err error) {
	tflog.Info(ctx, "creating recovery plan", map[string]any{"plan": ref.String()})
	body := asr.CreateRecoveryPlanInput{Properties: &asr.CreateRecoveryPlanInputProperties{
		PrimaryFabricID:         &primaryFabricID,
		RecoveryFabricID:        &recoveryFabricID,
		FailoverDeploymentModel: ptrTo(asr.FailoverDeploymentModelResourceManager),
		Groups:                  planGroupsToAzure(groups),
		ProviderSpecificInput:   []asr.RecoveryPlanProviderSpecificInputClassification{&asr.RecoveryPlanA2AInput{InstanceType: ptrTo(policyProvider)}},
	}}
	poller, err := c.RecoveryPlans().BeginCreate(ctx, ref.Vault, ref.Group, ref.Name, body, nil)
	if err != nil {
		_, refused := azure.ParseError(err)
		return !refused, err
	}
	_, err = azure.Wait(ctx, poller)
	return true, err
}

func updatePlan(ctx context.Context, c *azure.Client, ref planRef, groups []PlanGroup) error {
	tflog.Info(ctx, "updating recovery plan", map[string]any{"plan": ref.String()})
	body := asr.UpdateRecoveryPlanInput{Properties: &asr.UpdateRecoveryPlanInputProperties{Groups: planGroupsToAzure(groups)}}
	poller, err := c.RecoveryPlans().BeginUpdate(ctx, ref.Vault, ref.Group, ref.Name, body, nil)
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}

func deletePlan(ctx context.Context, c *azure.Client, ref planRef) error {
	tflog.Info(ctx, "deleting recovery plan", map[string]any{"plan": ref.String()})
	return azure.Delete(ctx, func() (*runtime.Poller[asr.ReplicationRecoveryPlansClientDeleteResponse], error) {
		return c.RecoveryPlans().BeginDelete(ctx, ref.Vault, ref.Group, ref.Name, nil)
	})
}

// ---- encodings ----

// shellSafe are the bytes a word may hold and stay unquoted.
func shellSafe(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@%+,", r)
}

// ShellJoin writes argv as one POSIX shell command line: words of safe
// characters as they are, any other word (the empty one too) in single
// quotes, a single quote inside written as quote, backslash, quote, quote.
func ShellJoin(argv []string) string {
	words := make([]string, len(argv))
	for i, w := range argv {
		if w != "" && strings.IndexFunc(w, func(r rune) bool { return !shellSafe(r) }) < 0 {
			words[i] = w
			continue
		}
		words[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
	}
	return strings.Join(words, " ")
}

// ShellSplit reads a POSIX shell command line into words: single quotes,
// double quotes (with \ escaping $ ` " \ and newline) and backslash escapes;
// no expansion. ShellSplit(ShellJoin(argv)) is argv.
func ShellSplit(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '\'':
			inWord = true
			j := i + 1
			for j < len(rs) && rs[j] != '\'' {
				j++
			}
			if j == len(rs) {
				return nil, fmt.Errorf("unterminated single quote in %q", s)
			}
			cur.WriteString(string(rs[i+1 : j]))
			i = j
		case r == '"':
			inWord = true
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				if rs[j] == '\\' && j+1 < len(rs) && strings.ContainsRune("$`\"\\\n", rs[j+1]) {
					j++
				}
				cur.WriteRune(rs[j])
			}
			if j == len(rs) {
				return nil, fmt.Errorf("unterminated double quote in %q", s)
			}
			i = j
		case r == '\\':
			inWord = true
			if i+1 == len(rs) {
				return nil, fmt.Errorf("trailing backslash in %q", s)
			}
			i++
			cur.WriteRune(rs[i])
		default:
			inWord = true
			cur.WriteRune(r)
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// formatISODuration writes d as ISO 8601 ("PT1H30M", "PT45S").
func formatISODuration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
	out := "PT"
	if h > 0 {
		out += fmt.Sprintf("%dH", h)
	}
	if m > 0 {
		out += fmt.Sprintf("%dM", m)
	}
	if s > 0 || out == "PT" {
		out += fmt.Sprintf("%dS", s)
	}
	return out
}

// parseISODuration reads PnDTnHnMnS (whole numbers).
func parseISODuration(s string) (time.Duration, error) {
	in := strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(in, "P") || len(in) < 3 {
		return 0, fmt.Errorf("%q is not an ISO 8601 duration", s)
	}
	var total time.Duration
	n, inTime, digits := 0, false, false
	for _, c := range in[1:] {
		if c >= '0' && c <= '9' {
			n, digits = n*10+int(c-'0'), true
			continue
		}
		if c == 'T' && !inTime && !digits {
			inTime = true
			continue
		}
		if !digits {
			return 0, fmt.Errorf("%q is not an ISO 8601 duration", s)
		}
		switch {
		case c == 'D' && !inTime:
			total += time.Duration(n) * 24 * time.Hour
		case c == 'H' && inTime:
			total += time.Duration(n) * time.Hour
		case c == 'M' && inTime:
			total += time.Duration(n) * time.Minute
		case c == 'S' && inTime:
			total += time.Duration(n) * time.Second
		default:
			return 0, fmt.Errorf("%q is not an ISO 8601 duration", s)
		}
		n, digits = 0, false
	}
	if digits {
		return 0, fmt.Errorf("%q is not an ISO 8601 duration", s)
	}
	return total, nil
}
