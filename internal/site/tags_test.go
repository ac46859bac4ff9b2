package site

import "testing"

func TestObservedTagsReportsTheGroupThatDrifted(t *testing.T) {
	configured := map[string]string{"app": "cms"}
	managed := func(extra map[string]string) *group {
		tags := map[string]string{tagSite: "s", tagRole: roleRecovery}
		for k, v := range extra {
			tags[k] = v
		}
		return &group{Tags: tags}
	}
	same := managed(map[string]string{"app": "cms"})
	drifted := managed(map[string]string{"app": "tampered", "extra": "1"})

	if got := observedTags(configured, same, same); !sameTags(got, configured) {
		t.Fatalf("no drift must keep the configured tags, got %v", got)
	}
	if got := observedTags(configured, same, drifted); !sameTags(got, map[string]string{"app": "tampered", "extra": "1"}) {
		t.Fatalf("drift on the second group must show, got %v", got)
	}
	if got := userTags(drifted.Tags); got[tagSite] != "" || len(got) != 2 {
		t.Fatalf("managed tags must be dropped, got %v", got)
	}
}
