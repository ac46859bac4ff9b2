package emulator_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
)

func writeSeed(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const goodSeed = `{"subscriptions":[{"id":"` + sub + `","resourceGroups":[
	{"name":"rg-prod","location":"centralus","tags":{"env":"prod"}},
	{"name":"rg-shared","location":"East US 2"}
]}]}`

func TestSeedIsAppliedOnceToAnEmptyDataDir(t *testing.T) {
	dir := t.TempDir()
	first := start(t, emulator.Options{DataDir: dir, SeedFile: writeSeed(t, goodSeed)})
	c := groupsClient(t, first.URL())
	prod, err := c.Get(ctx(t), "rg-prod", nil)
	if err != nil || *prod.Location != "centralus" || *prod.Tags["env"] != "prod" || *prod.Properties.ProvisioningState != "Succeeded" {
		t.Fatalf("seeded group = %+v, %v", prod.ResourceGroup, err)
	}
	shared, err := c.Get(ctx(t), "rg-shared", nil)
	if err != nil || *shared.Location != "eastus2" {
		t.Fatalf("seeded location not canonical: %+v, %v", shared.ResourceGroup, err)
	}
	// Changes made after seeding must survive a restart with the seed again.
	if _, err := c.BeginDelete(ctx(t), "rg-shared", nil); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	other := `{"subscriptions":[{"id":"` + sub + `","resourceGroups":[{"name":"rg-other","location":"westus"}]}]}`
	second := start(t, emulator.Options{DataDir: dir, SeedFile: writeSeed(t, other), TimeScale: 1e6})
	c = groupsClient(t, second.URL())
	if _, err := c.Get(ctx(t), "rg-other", nil); err == nil {
		t.Fatal("the seed was applied to a data directory that already had one")
	}
	if _, err := c.Get(ctx(t), "rg-prod", nil); err != nil {
		t.Fatalf("seeded state lost: %v", err)
	}
	eventually(t, "the deletion made after seeding", func() bool {
		_, err := c.Get(ctx(t), "rg-shared", nil)
		return err != nil
	})
}

func TestSeedIsIgnoredWhenTheDataDirHasResources(t *testing.T) {
	dir := t.TempDir()
	first := start(t, emulator.Options{DataDir: dir})
	createGroup(t, groupsClient(t, first.URL()), "rg-made-by-hand", "eastus", nil)
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	second := start(t, emulator.Options{DataDir: dir, SeedFile: writeSeed(t, goodSeed)})
	if _, err := groupsClient(t, second.URL()).Get(ctx(t), "rg-prod", nil); err == nil {
		t.Fatal("seed applied over existing resources")
	}
}

func TestBadSeedsAreRefusedNamingTheItem(t *testing.T) {
	cases := map[string]struct{ seed, want string }{
		"unknown field":      {`{"subscriptions":[{"id":"` + sub + `","resourceGroups":[{"name":"rg","locaton":"eastus"}]}]}`, `"locaton"`},
		"unknown top field":  {`{"subscription":[]}`, `"subscription"`},
		"bad subscription":   {`{"subscriptions":[{"id":"sub-1"}]}`, `subscriptions[0] ("sub-1")`},
		"bad location":       {`{"subscriptions":[{"id":"` + sub + `","resourceGroups":[{"name":"rg-a","location":"eastus"},{"name":"rg-b","location":"mars"}]}]}`, `resourceGroups[1] ("rg-b")`},
		"missing location":   {`{"subscriptions":[{"id":"` + sub + `","resourceGroups":[{"name":"rg-a"}]}]}`, `location`},
		"bad name":           {`{"subscriptions":[{"id":"` + sub + `","resourceGroups":[{"name":"rg a","location":"eastus"}]}]}`, `resourceGroups[0] ("rg a")`},
		"duplicate group":    {`{"subscriptions":[{"id":"` + sub + `","resourceGroups":[{"name":"rg","location":"eastus"},{"name":"RG","location":"eastus"}]}]}`, `appears twice`},
		"not JSON":           {`subscriptions: []`, `invalid character`},
		"trailing garbage":   {`{"subscriptions":[]} {}`, `after the JSON object`},
		"wrong type of list": {`{"subscriptions":{}}`, `subscriptions`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv, err := emulator.New(emulator.Options{DataDir: t.TempDir(), SeedFile: writeSeed(t, tc.seed)})
			if err == nil {
				_ = srv.Close()
				t.Fatal("bad seed accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %s", err, tc.want)
			}
		})
	}
}

func TestMissingSeedFileIsAnError(t *testing.T) {
	srv, err := emulator.New(emulator.Options{DataDir: t.TempDir(), SeedFile: filepath.Join(t.TempDir(), "absent.json")})
	if err == nil {
		_ = srv.Close()
		t.Fatal("missing seed file accepted")
	}
}
