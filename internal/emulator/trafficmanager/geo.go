package trafficmanager

import (
	"regexp"
	"strings"
)

// World is the geographic code that matches every location.
const World = "WORLD"

// regionGroups are Traffic Manager's top-level geographic groupings.
var regionGroups = map[string]bool{
	"GEO-AF": true, // Africa
	"GEO-AN": true, // Antarctica
	"GEO-AP": true, // Australia / Pacific
	"GEO-AS": true, // Asia
	"GEO-EU": true, // Europe
	"GEO-ME": true, // Middle East
	"GEO-NA": true, // North America / Central America / Caribbean
	"GEO-SA": true, // South America
}

var (
	countryCode = regexp.MustCompile(`^[A-Z]{2}$`)
	stateCode   = regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]{1,3}$`)
)

// CanonicalGeoCode returns code in Traffic Manager's spelling (upper case)
// and whether it has the shape of a geographic code: WORLD, a region group
// (GEO-EU), a country (DE) or a state/province (US-CA). The emulator checks
// shapes, not Traffic Manager's full list of countries and states.
func CanonicalGeoCode(code string) (string, bool) {
	c := strings.ToUpper(strings.TrimSpace(code))
	switch {
	case c == World, regionGroups[c]:
		return c, true
	case strings.HasPrefix(c, "GEO-"):
		return c, false
	case countryCode.MatchString(c), stateCode.MatchString(c):
		return c, true
	}
	return c, false
}

// geoOverlap reports whether two canonical codes may not belong to two
// endpoints: the same code, or a country and one of its states. A region
// group and a country inside it may (the most specific mapping wins), as
// may WORLD and anything else.
func geoOverlap(a, b string) bool {
	if a == b {
		return true
	}
	country := func(s string) (string, bool) {
		if stateCode.MatchString(s) {
			return s[:2], true
		}
		return "", false
	}
	if c, ok := country(a); ok && c == b {
		return true
	}
	if c, ok := country(b); ok && c == a {
		return true
	}
	return false
}

// geoChain is the lookup order for a querying location, most specific
// first: a state, its country, then WORLD. (The emulator has no table of
// which region group a country belongs to; queries come from WORLD unless
// the client says otherwise, see the README.)
func geoChain(location string) []string {
	loc, ok := CanonicalGeoCode(location)
	if !ok || loc == World {
		return []string{World}
	}
	chain := []string{loc}
	if stateCode.MatchString(loc) {
		chain = append(chain, loc[:2])
	}
	return append(chain, World)
}
