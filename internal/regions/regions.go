// Package regions knows Azure's region names, which cloud each belongs to and
// each region's Azure paired region. The provider validates locations with it
// and the emulator refuses unknown locations with it, so both agree on what a
// region is.
package regions

import (
	"sort"
	"strings"
)

// Cloud names, as the provider's `environment` setting spells them.
const (
	Public       = "public"
	USGovernment = "usgovernment"
	China        = "china"
)

// Region is one Azure region.
type Region struct {
	Name        string // canonical ARM name, e.g. "centralus"
	DisplayName string // e.g. "Central US"
	Cloud       string // Public, USGovernment or China
	Pair        string // the Azure paired region, "" when the region has none
}

// The table follows Microsoft's "Azure region pairs" list. Regions without a
// pair (the newer "3+0" regions) have an empty Pair.
var all = []Region{
	{"eastus", "East US", Public, "westus"},
	{"eastus2", "East US 2", Public, "centralus"},
	{"centralus", "Central US", Public, "eastus2"},
	{"northcentralus", "North Central US", Public, "southcentralus"},
	{"southcentralus", "South Central US", Public, "northcentralus"},
	{"westcentralus", "West Central US", Public, "westus2"},
	{"westus", "West US", Public, "eastus"},
	{"westus2", "West US 2", Public, "westcentralus"},
	{"westus3", "West US 3", Public, "eastus"},
	{"canadacentral", "Canada Central", Public, "canadaeast"},
	{"canadaeast", "Canada East", Public, "canadacentral"},
	{"brazilsouth", "Brazil South", Public, "southcentralus"},
	{"brazilsoutheast", "Brazil Southeast", Public, "brazilsouth"},
	{"mexicocentral", "Mexico Central", Public, ""},
	{"northeurope", "North Europe", Public, "westeurope"},
	{"westeurope", "West Europe", Public, "northeurope"},
	{"uksouth", "UK South", Public, "ukwest"},
	{"ukwest", "UK West", Public, "uksouth"},
	{"francecentral", "France Central", Public, "francesouth"},
	{"francesouth", "France South", Public, "francecentral"},
	{"germanywestcentral", "Germany West Central", Public, "germanynorth"},
	{"germanynorth", "Germany North", Public, "germanywestcentral"},
	{"switzerlandnorth", "Switzerland North", Public, "switzerlandwest"},
	{"switzerlandwest", "Switzerland West", Public, "switzerlandnorth"},
	{"norwayeast", "Norway East", Public, "norwaywest"},
	{"norwaywest", "Norway West", Public, "norwayeast"},
	{"swedencentral", "Sweden Central", Public, "swedensouth"},
	{"swedensouth", "Sweden South", Public, "swedencentral"},
	{"polandcentral", "Poland Central", Public, ""},
	{"italynorth", "Italy North", Public, ""},
	{"spaincentral", "Spain Central", Public, ""},
	{"israelcentral", "Israel Central", Public, ""},
	{"qatarcentral", "Qatar Central", Public, ""},
	{"uaenorth", "UAE North", Public, "uaecentral"},
	{"uaecentral", "UAE Central", Public, "uaenorth"},
	{"southafricanorth", "South Africa North", Public, "southafricawest"},
	{"southafricawest", "South Africa West", Public, "southafricanorth"},
	{"centralindia", "Central India", Public, "southindia"},
	{"southindia", "South India", Public, "centralindia"},
	{"westindia", "West India", Public, "southindia"},
	{"eastasia", "East Asia", Public, "southeastasia"},
	{"southeastasia", "Southeast Asia", Public, "eastasia"},
	{"japaneast", "Japan East", Public, "japanwest"},
	{"japanwest", "Japan West", Public, "japaneast"},
	{"koreacentral", "Korea Central", Public, "koreasouth"},
	{"koreasouth", "Korea South", Public, "koreacentral"},
	{"australiaeast", "Australia East", Public, "australiasoutheast"},
	{"australiasoutheast", "Australia Southeast", Public, "australiaeast"},
	{"australiacentral", "Australia Central", Public, "australiacentral2"},
	{"australiacentral2", "Australia Central 2", Public, "australiacentral"},
	{"newzealandnorth", "New Zealand North", Public, ""},
	{"usgovvirginia", "US Gov Virginia", USGovernment, "usgovtexas"},
	{"usgovtexas", "US Gov Texas", USGovernment, "usgovarizona"},
	{"usgovarizona", "US Gov Arizona", USGovernment, "usgovtexas"},
	{"chinanorth", "China North", China, "chinaeast"},
	{"chinaeast", "China East", China, "chinanorth"},
	{"chinanorth2", "China North 2", China, "chinaeast2"},
	{"chinaeast2", "China East 2", China, "chinanorth2"},
	{"chinanorth3", "China North 3", China, "chinaeast3"},
	{"chinaeast3", "China East 3", China, "chinanorth3"},
}

var byName = func() map[string]Region {
	m := make(map[string]Region, len(all))
	for _, r := range all {
		m[r.Name] = r
	}
	return m
}()

// Lookup returns the region with the canonical name, which is case-sensitive
// (ARM answers in lower case and Terraform compares strings exactly).
func Lookup(name string) (Region, bool) {
	r, ok := byName[name]
	return r, ok
}

// Canonical turns a display name or differently cased name ("Central US",
// "CentralUS") into the canonical name, or returns "" when no region matches.
// ARM compares locations the same way (ignoring case and spaces), so every
// spelling Canonical accepts is one Azure accepts.
func Canonical(name string) string {
	n := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(name), " ", ""))
	if _, ok := byName[n]; ok {
		return n
	}
	return ""
}

// Same reports whether a and b name the same region as ARM compares them
// (ignoring case and spaces), e.g. "Central US" and "centralus". Names that
// are no region are the same only when equal.
func Same(a, b string) bool {
	if a == b {
		return true
	}
	ca := Canonical(a)
	return ca != "" && ca == Canonical(b)
}

// Normalize is the canonical name of a region spelled any way ARM accepts,
// or name unchanged when it names no region.
func Normalize(name string) string {
	if c := Canonical(name); c != "" {
		return c
	}
	return name
}

// Names returns every canonical region name, sorted.
func Names() []string {
	out := make([]string, 0, len(all))
	for _, r := range all {
		out = append(out, r.Name)
	}
	sort.Strings(out)
	return out
}
