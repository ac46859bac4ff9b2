package siterecovery

import (
	"fmt"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

// ValidateGroups reports the problems of a spec's groups of protected
// items, alike for both kinds: no group, an empty group, an id that is not
// a protected item's, an item listed again (twice says what is wrong with
// it, given the field it was first listed in), and each action's (action,
// when set, adds the kind's own rules). what names the kind ("a drill").
func ValidateGroups(groups []drill.Group, what string, add func(format string, args ...any), twice func(id, first string) string, action func(field string, a drill.Action)) {
	if len(groups) == 0 {
		add("Groups: %s needs at least one group with one item", what)
	}
	seen := map[string]string{}
	for g, grp := range groups {
		if len(grp.Items) == 0 {
			add("Groups[%d].Items: empty group", g)
		}
		for i, it := range grp.Items {
			field := fmt.Sprintf("Groups[%d].Items[%d].ID", g, i)
			if _, err := azure.ParseProtectedItemID(it.ID); err != nil {
				add("%s: %v", field, err)
				continue
			}
			key := strings.ToLower(it.ID)
			if first, ok := seen[key]; ok {
				add("%s: %s", field, twice(it.ID, first))
			}
			seen[key] = field
		}
		for _, side := range []struct {
			when string
			list []drill.Action
		}{{"Pre", grp.Pre}, {"Post", grp.Post}} {
			for i, a := range side.list {
				field := fmt.Sprintf("Groups[%d].%s[%d]", g, side.when, i)
				drill.ValidateAction(field, a, add)
				if action != nil {
					action(field, a)
				}
			}
		}
	}
}
