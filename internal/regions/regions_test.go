package regions

import "testing"

func TestPairsAreKnownRegionsOfTheSameCloud(t *testing.T) {
	for _, r := range all {
		if r.Pair == "" {
			continue
		}
		p, ok := Lookup(r.Pair)
		if !ok {
			t.Errorf("%s pairs with unknown region %q", r.Name, r.Pair)
			continue
		}
		if p.Cloud != r.Cloud {
			t.Errorf("%s (%s) pairs with %s (%s) in another cloud", r.Name, r.Cloud, p.Name, p.Cloud)
		}
		if p.Name == r.Name {
			t.Errorf("%s pairs with itself", r.Name)
		}
	}
	if len(byName) != len(all) {
		t.Errorf("duplicate region names: %d names for %d entries", len(byName), len(all))
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{"Central US": "centralus", "CentralUS": "centralus", " eastus2 ": "eastus2", "Atlantis": ""} {
		if got := Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
	if r, _ := Lookup("centralus"); r.Pair != "eastus2" {
		t.Errorf("centralus pairs with eastus2, got %q", r.Pair)
	}
}

func TestSameAndNormalize(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"CentralUS", "centralus", true},
		{"Central US", "centralus", true},
		{"central us", "CENTRALUS", true},
		{"centralus", "eastus2", false},
		{"Atlantis", "atlantis", false}, // no region: only equal strings are the same
		{"Atlantis", "Atlantis", true},
	} {
		if got := Same(c.a, c.b); got != c.same {
			t.Errorf("Same(%q, %q) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
	if got := Normalize("West Europe"); got != "westeurope" {
		t.Errorf("Normalize(West Europe) = %q", got)
	}
	if got := Normalize("Atlantis"); got != "Atlantis" {
		t.Errorf("Normalize(Atlantis) = %q, want it unchanged", got)
	}
}
