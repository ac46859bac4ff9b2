package site

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// The site keeps its own description in tags on its resource groups, so that
// import and drift detection can rebuild it from Azure alone, and a sweeper
// can find what a crashed run left behind (the one definition: internal/tags).
const (
	tagSite          = tags.Site              // the site's name
	tagRole          = tags.Role              // roleRecovery or roleTestFailover
	tagPrimary       = tags.PrimaryLocation   // the site's primary region
	tagTestGroup     = tags.TestResourceGroup // on the recovery group: the test group's name
	roleRecovery     = tags.RoleRecovery
	roleTestFailover = tags.RoleTestFailover
	roleVault        = tags.RoleVault // on the Recovery Services vault
	// tagApproverPrefix starts an approver's tag (approvers.go).
	tagApproverPrefix = tags.ApproverPrefix
)

// The recovery group also carries one tag per approver (tagApproverPrefix,
// approvers.go); recoveryTags adds them to groupTags.

// groupTags are the tags of one of the site's groups: the user's plus the
// managed ones.
func groupTags(user map[string]string, m siteModel, role string) map[string]string {
	out := make(map[string]string, len(user)+4)
	for k, v := range user {
		out[k] = v
	}
	out[tagSite] = m.Name.ValueString()
	out[tagRole] = role
	out[tagPrimary] = regions.Normalize(m.PrimaryLocation.ValueString())
	if role == roleRecovery {
		out[tagTestGroup] = m.TestResourceGroupName.ValueString()
	}
	return out
}

// userTags drops the managed tags.
func userTags(all map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range all {
		if !tags.IsManaged(k) {
			out[k] = v
		}
	}
	return out
}

func sameTags(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// observedTags picks the user tags to record in state from the two groups. The
// site has one `tags` attribute for both, so when either group's tags were
// changed outside Terraform, state records the changed set: the plan then
// shows a difference and the update writes the configured tags to both.
func observedTags(previous map[string]string, groups ...*group) map[string]string {
	for _, g := range groups {
		if t := userTags(g.Tags); !sameTags(t, previous) {
			return t
		}
	}
	return previous
}
