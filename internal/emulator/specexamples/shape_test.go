package specexamples_test

import (
	"encoding/json"
	"fmt"
	"sort"
)

// The comparison is of shapes, not values (the examples' values are fake):
// every property the example's response carries must be in the emulator's
// answer, recursively, with the same JSON type. Both sides are the SDK's own
// serialisation of its model, so a property is what the SDK knows by that
// name.

// a2aInstanceTypes are the discriminators of the Azure-to-Azure scenario the
// emulator serves (fabric, container, mapping, policy, item and plan
// details are "A2A"; the fabric "Azure"; network mappings "AzureToAzure").
var a2aInstanceTypes = map[string]bool{"A2A": true, "Azure": true, "AzureToAzure": true}

// shapeDiff lists the example's properties the answer lacks or types
// differently, and (notes) the provider-specific subtrees not compared
// because the example describes another replication provider.
func shapeDiff(want, got any) (diffs, notes []string) {
	walkShape("", want, got, &diffs, &notes)
	sort.Strings(diffs)
	return diffs, dedupe(notes)
}

func walkShape(path string, want, got any, diffs, notes *[]string) {
	if want == nil {
		return
	}
	if got == nil {
		*diffs = append(*diffs, path+": missing")
		return
	}
	if jsonKind(want) != jsonKind(got) {
		*diffs = append(*diffs, fmt.Sprintf("%s: %s, want %s", path, jsonKind(got), jsonKind(want)))
		return
	}
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		wt, _ := w["instanceType"].(string)
		gt, _ := g["instanceType"].(string)
		if wt != "" && gt != "" && wt != gt {
			*notes = append(*notes, fmt.Sprintf("%s is %s in the example, %s here: not compared", orRoot(path), wt, gt))
			return
		}
		for k, v := range w {
			walkShape(join(path, k), v, g[k], diffs, notes)
		}
	case []any:
		g := got.([]any)
		if len(w) > 0 && len(g) == 0 {
			*diffs = append(*diffs, path+": empty, want elements")
			return
		}
		if len(w) > 0 {
			walkShape(path+"[]", w[0], g[0], diffs, notes)
		}
	}
}

func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	}
	return "null"
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func orRoot(path string) string {
	if path == "" {
		return "the response"
	}
	return path
}

func dedupe(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// asJSON is v through its JSON serialisation, as generic values.
func asJSON(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	return out, json.Unmarshal(raw, &out)
}

// neutralAccepted are base-class discriminators (the SDK's base input type
// by name) that Azure accepts for A2A: the container mapping input (issue
// 17: Azure accepts a mapping whose input instanceType is
// ReplicationProviderSpecificContainerMappingInput) and disable protection
// (A2A has no provider-specific disable input). Other base-class inputs
// carry none of the details A2A needs and are expected to be refused.
var neutralAccepted = map[string]bool{
	"ReplicationProviderSpecificContainerMappingInput": true,
	"DisableProtectionProviderSpecificInput":           true,
}

// foreignInstanceTypes lists the discriminators in an input that belong to
// another replication scenario than A2A.
func foreignInstanceTypes(v any) []string {
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if it, ok := v["instanceType"].(string); ok && !a2aInstanceTypes[it] {
				out = append(out, it)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return dedupe(out)
}
