package arm

import (
	"crypto/rand"
	"fmt"
	"strings"
)

// ResourceGroupType is the ARM type of a resource group.
const ResourceGroupType = "Microsoft.Resources/resourceGroups"

// NewGUID returns a random (version 4) GUID in ARM's lower-case form, used for
// request ids, correlation ids and operation ids.
func NewGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// IsGUID reports whether s has the 8-4-4-4-12 hex form ARM requires of
// subscription ids.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}

// ResourceGroupID is the id ARM gives a resource group. ARM spells the
// segment "resourceGroups" in ids even though clients send "resourcegroups".
func ResourceGroupID(subscriptionID, name string) string {
	return "/subscriptions/" + subscriptionID + "/resourceGroups/" + name
}

// SplitGroupID returns the subscription and resource group named by an id
// that starts /subscriptions/{sub}/resourceGroups/{rg}; ok is false for ids
// outside a resource group.
func SplitGroupID(id string) (subscriptionID, resourceGroup string, ok bool) {
	parts := strings.Split(strings.TrimPrefix(id, "/"), "/")
	if len(parts) < 4 || !strings.EqualFold(parts[0], "subscriptions") || !strings.EqualFold(parts[2], "resourceGroups") {
		return "", "", false
	}
	return parts[1], parts[3], true
}
