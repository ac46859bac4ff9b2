package siterecovery

import (
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
)

// NetworkOf is the virtual network id of a network or subnet id, lower-cased
// for comparison ("" if s is neither).
func NetworkOf(s string) string {
	id, err := arm.ParseResourceID(s)
	if err != nil {
		return ""
	}
	if strings.EqualFold(id.ResourceType.String(), "Microsoft.Network/virtualNetworks/subnets") {
		id = id.Parent
	}
	if !strings.EqualFold(id.ResourceType.String(), "Microsoft.Network/virtualNetworks") {
		return ""
	}
	return strings.ToLower(id.String())
}

// groupOf is the name of a resource group id ("/subscriptions/s/resourceGroups/g").
func groupOf(s string) string {
	id, err := arm.ParseResourceID(s)
	if err != nil {
		return ""
	}
	return id.ResourceGroupName
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
