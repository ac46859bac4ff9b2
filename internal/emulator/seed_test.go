package emulator_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
)

const goodSeed = `{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[
	{"name":"rg-prod","location":"centralus","tags":{"env":"prod"}},
	{"name":"rg-shared","location":"East US 2"}
]}]}`

func TestSeedIsAppliedOnceToAnEmptyDataDir(t *testing.T) {
	dir := t.TempDir()
	first := emulatortest.Start(t, emulator.Options{DataDir: dir, SeedFile: emulatortest.WriteSeed(t, goodSeed)})
	c := emulatortest.GroupsClient(t, first.URL())
	prod, err := c.Get(emulatortest.Context(t), "rg-prod", nil)
	if err != nil || *prod.Location != "centralus" || *prod.Tags["env"] != "prod" || *prod.Properties.ProvisioningState != "Succeeded" {
		t.Fatalf("seeded group = %+v, %v", prod.ResourceGroup, err)
	}
	shared, err := c.Get(emulatortest.Context(t), "rg-shared", nil)
	if err != nil || *shared.Location != "eastus2" {
		t.Fatalf("seeded location not canonical: %+v, %v", shared.ResourceGroup, err)
	}
	// Changes made after seeding must survive a restart with the seed again.
	if _, err := c.BeginDelete(emulatortest.Context(t), "rg-shared", nil); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	other := `{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[{"name":"rg-other","location":"westus"}]}]}`
	second := emulatortest.Start(t, emulator.Options{DataDir: dir, SeedFile: emulatortest.WriteSeed(t, other), TimeScale: 1e6})
	c = emulatortest.GroupsClient(t, second.URL())
	if _, err := c.Get(emulatortest.Context(t), "rg-other", nil); err == nil {
		t.Fatal("the seed was applied to a data directory that already had one")
	}
	if _, err := c.Get(emulatortest.Context(t), "rg-prod", nil); err != nil {
		t.Fatalf("seeded state lost: %v", err)
	}
	emulatortest.Eventually(t, "the deletion made after seeding", func() bool {
		_, err := c.Get(emulatortest.Context(t), "rg-shared", nil)
		return err != nil
	})
}

func TestSeedIsIgnoredWhenTheDataDirHasResources(t *testing.T) {
	dir := t.TempDir()
	first := emulatortest.Start(t, emulator.Options{DataDir: dir})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, first.URL()), "rg-made-by-hand", "eastus", nil)
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	second := emulatortest.Start(t, emulator.Options{DataDir: dir, SeedFile: emulatortest.WriteSeed(t, goodSeed)})
	if _, err := emulatortest.GroupsClient(t, second.URL()).Get(emulatortest.Context(t), "rg-prod", nil); err == nil {
		t.Fatal("seed applied over existing resources")
	}
}

func TestBadSeedsAreRefusedNamingTheItem(t *testing.T) {
	cases := map[string]struct{ seed, want string }{
		"unknown field":      {`{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[{"name":"rg","locaton":"eastus"}]}]}`, `"locaton"`},
		"unknown top field":  {`{"subscription":[]}`, `"subscription"`},
		"bad subscription":   {`{"subscriptions":[{"id":"sub-1"}]}`, `subscriptions[0] ("sub-1")`},
		"bad location":       {`{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[{"name":"rg-a","location":"eastus"},{"name":"rg-b","location":"mars"}]}]}`, `resourceGroups[1] ("rg-b")`},
		"missing location":   {`{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[{"name":"rg-a"}]}]}`, `location`},
		"bad name":           {`{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[{"name":"rg a","location":"eastus"}]}]}`, `resourceGroups[0] ("rg a")`},
		"duplicate group":    {`{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[{"name":"rg","location":"eastus"},{"name":"RG","location":"eastus"}]}]}`, `appears twice`},
		"not JSON":           {`subscriptions: []`, `invalid character`},
		"trailing garbage":   {`{"subscriptions":[]} {}`, `after the JSON object`},
		"wrong type of list": {`{"subscriptions":{}}`, `subscriptions`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv, err := emulator.New(emulator.Options{DataDir: t.TempDir(), SeedFile: emulatortest.WriteSeed(t, tc.seed)})
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
