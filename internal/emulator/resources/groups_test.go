package resources_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
)

func TestResourceGroupLifecycleWithTheSDK(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{TimeScale: emulatortest.Fast})
	c := emulatortest.GroupsClient(t, srv.URL())

	created := emulatortest.CreateGroup(t, c, "rg-Lifecycle", "Central US", map[string]*string{"env": emulatortest.Ptr("prod")})
	if *created.ID != "/subscriptions/"+emulatortest.Subscription+"/resourceGroups/rg-Lifecycle" || *created.Name != "rg-Lifecycle" ||
		*created.Type != "Microsoft.Resources/resourceGroups" || *created.Location != "centralus" ||
		*created.Properties.ProvisioningState != "Succeeded" || *created.Tags["env"] != "prod" {
		t.Fatalf("created = %+v", created)
	}

	// Names are case-insensitive; the id keeps the case of creation.
	got, err := c.Get(emulatortest.Context(t), "RG-LIFECYCLE", nil)
	if err != nil {
		t.Fatal(err)
	}
	if *got.ID != *created.ID {
		t.Fatalf("Get id = %s", *got.ID)
	}

	// A second PUT is an update (200) that replaces the tags.
	put, err := c.CreateOrUpdate(emulatortest.Context(t), "rg-lifecycle", armresources.ResourceGroup{
		Location: emulatortest.Ptr("centralus"), Tags: map[string]*string{"owner": emulatortest.Ptr("dr")},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, stale := put.Tags["env"]; stale || *put.Tags["owner"] != "dr" {
		t.Fatalf("PUT tags = %v", put.Tags)
	}

	patched, err := c.Update(emulatortest.Context(t), "rg-lifecycle", armresources.ResourceGroupPatchable{
		Tags: map[string]*string{"owner": emulatortest.Ptr("ops"), "tier": emulatortest.Ptr("1")},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *patched.Tags["owner"] != "ops" || *patched.Tags["tier"] != "1" || *patched.Location != "centralus" {
		t.Fatalf("PATCH = %+v", patched.ResourceGroup)
	}

	exists, err := c.CheckExistence(emulatortest.Context(t), "rg-lifecycle", nil)
	if err != nil || !exists.Success {
		t.Fatalf("CheckExistence = %v, %v", exists.Success, err)
	}

	poller, err := c.BeginDelete(emulatortest.Context(t), "rg-lifecycle", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := poller.PollUntilDone(emulatortest.Context(t), nil); err != nil {
		t.Fatalf("PollUntilDone: %v", err)
	}

	_, err = c.Get(emulatortest.Context(t), "rg-lifecycle", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")
	exists, err = c.CheckExistence(emulatortest.Context(t), "rg-lifecycle", nil)
	if err != nil || exists.Success {
		t.Fatalf("CheckExistence after delete = %v, %v", exists.Success, err)
	}
}

func TestResourceGroupListFiltersByTagAndPages(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	c := emulatortest.GroupsClient(t, srv.URL())
	for i := 0; i < 7; i++ {
		tags := map[string]*string{"Team": emulatortest.Ptr(fmt.Sprint("t", i%2))}
		emulatortest.CreateGroup(t, c, fmt.Sprintf("rg-list-%d", i), "westus", tags)
	}
	emulatortest.CreateGroup(t, c, "rg-untagged", "westus", nil)

	names := func(opts *armresources.ResourceGroupsClientListOptions) (all []string, pages int) {
		pager := c.NewListPager(opts)
		for pager.More() {
			page, err := pager.NextPage(emulatortest.Context(t))
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, rg := range page.Value {
				all = append(all, *rg.Name)
			}
		}
		sort.Strings(all)
		return all, pages
	}

	all, pages := names(&armresources.ResourceGroupsClientListOptions{Top: emulatortest.Ptr[int32](3)})
	if len(all) != 8 || pages != 3 {
		t.Fatalf("paged list = %v in %d pages, want 8 groups in 3 pages", all, pages)
	}

	// Tag names match without case, values exactly.
	odd, _ := names(&armresources.ResourceGroupsClientListOptions{Filter: emulatortest.Ptr("tagName eq 'team' and tagValue eq 't1'")})
	if strings.Join(odd, ",") != "rg-list-1,rg-list-3,rg-list-5" {
		t.Fatalf("filtered list = %v", odd)
	}
	tagged, _ := names(&armresources.ResourceGroupsClientListOptions{Filter: emulatortest.Ptr("tagName eq 'Team'"), Top: emulatortest.Ptr[int32](2)})
	if len(tagged) != 7 {
		t.Fatalf("tagName-only filter = %v", tagged)
	}

	// nextLink is absolute and carries api-version.
	var page struct {
		NextLink string `json:"nextLink"`
	}
	emulatortest.CallJSON(t, http.MethodGet, srv.URL()+"/subscriptions/"+emulatortest.Subscription+"/resourcegroups?api-version="+emulatortest.APIVersion+"&$top=2", nil, &page)
	next, err := url.Parse(page.NextLink)
	if err != nil || !next.IsAbs() || next.Query().Get("api-version") != emulatortest.APIVersion {
		t.Fatalf("nextLink = %q", page.NextLink)
	}
}

func TestResourceGroupValidationErrors(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	c := emulatortest.GroupsClient(t, srv.URL())
	emulatortest.CreateGroup(t, c, "rg-existing", "eastus", nil)

	cases := []struct {
		name, group string
		body        armresources.ResourceGroup
		status      int
		code        string
	}{
		{"no location", "rg-x", armresources.ResourceGroup{}, 400, "LocationRequired"},
		{"unknown location", "rg-x", armresources.ResourceGroup{Location: emulatortest.Ptr("atlantis")}, 400, "LocationNotAvailableForResourceGroup"},
		{"location change", "rg-existing", armresources.ResourceGroup{Location: emulatortest.Ptr("westus")}, 409, "InvalidResourceGroupLocation"},
		{"name too long", strings.Repeat("a", 91), armresources.ResourceGroup{Location: emulatortest.Ptr("eastus")}, 400, "InvalidResourceGroupName"},
		{"name ends with period", "rg.", armresources.ResourceGroup{Location: emulatortest.Ptr("eastus")}, 400, "InvalidResourceGroupName"},
		{"name with bad character", "rg!x", armresources.ResourceGroup{Location: emulatortest.Ptr("eastus")}, 400, "InvalidResourceGroupName"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateOrUpdate(emulatortest.Context(t), tc.group, tc.body, nil)
			emulatortest.WantARMError(t, err, tc.status, tc.code)
		})
	}

	t.Run("allowed name characters", func(t *testing.T) {
		emulatortest.CreateGroup(t, c, "Rg_(ok)-1.é", "eastus", nil)
		emulatortest.CreateGroup(t, c, strings.Repeat("b", 90), "eastus", nil)
	})
	t.Run("get missing", func(t *testing.T) {
		_, err := c.Get(emulatortest.Context(t), "rg-missing", nil)
		emulatortest.WantARMError(t, err, 404, "ResourceGroupNotFound")
		var re struct {
			Error struct{ Message string } `json:"error"`
		}
		emulatortest.CallJSON(t, http.MethodGet, emulatortest.GroupURL(srv.URL(), "rg-missing"), nil, &re)
		if re.Error.Message != "Resource group 'rg-missing' could not be found." {
			t.Fatalf("message = %q", re.Error.Message)
		}
	})
	t.Run("patch missing", func(t *testing.T) {
		_, err := c.Update(emulatortest.Context(t), "rg-missing", armresources.ResourceGroupPatchable{}, nil)
		emulatortest.WantARMError(t, err, 404, "ResourceGroupNotFound")
	})
	t.Run("delete missing", func(t *testing.T) {
		_, err := c.BeginDelete(emulatortest.Context(t), "rg-missing", nil)
		emulatortest.WantARMError(t, err, 404, "ResourceGroupNotFound")
	})
	t.Run("bad subscription id", func(t *testing.T) {
		_, err := emulatortest.GroupsClientFor(t, srv.URL(), "not-a-guid").Get(emulatortest.Context(t), "rg-existing", nil)
		emulatortest.WantARMError(t, err, 400, "InvalidSubscriptionId")
	})
	t.Run("bad filter", func(t *testing.T) {
		_, err := c.NewListPager(&armresources.ResourceGroupsClientListOptions{Filter: emulatortest.Ptr("tagValue eq 'x'")}).NextPage(emulatortest.Context(t))
		emulatortest.WantARMError(t, err, 400, "InvalidQueryParameterValue")
	})
}

func TestSubscriptionsAreIsolated(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-shared-name", "eastus", nil)
	other := emulatortest.GroupsClientFor(t, srv.URL(), "00000000-0000-0000-0000-0000000000bb")
	_, err := other.Get(emulatortest.Context(t), "rg-shared-name", nil)
	emulatortest.WantARMError(t, err, 404, "ResourceGroupNotFound")
	page, err := other.NewListPager(nil).NextPage(emulatortest.Context(t))
	if err != nil || len(page.Value) != 0 {
		t.Fatalf("other subscription lists %d groups, %v", len(page.Value), err)
	}
}
