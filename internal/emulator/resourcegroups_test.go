package emulator_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
)

func TestResourceGroupLifecycleWithTheSDK(t *testing.T) {
	srv := start(t, emulator.Options{TimeScale: fast})
	c := groupsClient(t, srv.URL())

	created := createGroup(t, c, "rg-Lifecycle", "Central US", map[string]*string{"env": ptr("prod")})
	if *created.ID != "/subscriptions/"+sub+"/resourceGroups/rg-Lifecycle" || *created.Name != "rg-Lifecycle" ||
		*created.Type != "Microsoft.Resources/resourceGroups" || *created.Location != "centralus" ||
		*created.Properties.ProvisioningState != "Succeeded" || *created.Tags["env"] != "prod" {
		t.Fatalf("created = %+v", created)
	}

	// Names are case-insensitive; the id keeps the case of creation.
	got, err := c.Get(ctx(t), "RG-LIFECYCLE", nil)
	if err != nil {
		t.Fatal(err)
	}
	if *got.ID != *created.ID {
		t.Fatalf("Get id = %s", *got.ID)
	}

	// A second PUT is an update (200) that replaces the tags.
	put, err := c.CreateOrUpdate(ctx(t), "rg-lifecycle", armresources.ResourceGroup{
		Location: ptr("centralus"), Tags: map[string]*string{"owner": ptr("dr")},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, stale := put.Tags["env"]; stale || *put.Tags["owner"] != "dr" {
		t.Fatalf("PUT tags = %v", put.Tags)
	}

	patched, err := c.Update(ctx(t), "rg-lifecycle", armresources.ResourceGroupPatchable{
		Tags: map[string]*string{"owner": ptr("ops"), "tier": ptr("1")},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *patched.Tags["owner"] != "ops" || *patched.Tags["tier"] != "1" || *patched.Location != "centralus" {
		t.Fatalf("PATCH = %+v", patched.ResourceGroup)
	}

	exists, err := c.CheckExistence(ctx(t), "rg-lifecycle", nil)
	if err != nil || !exists.Success {
		t.Fatalf("CheckExistence = %v, %v", exists.Success, err)
	}

	poller, err := c.BeginDelete(ctx(t), "rg-lifecycle", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := poller.PollUntilDone(ctx(t), nil); err != nil {
		t.Fatalf("PollUntilDone: %v", err)
	}

	_, err = c.Get(ctx(t), "rg-lifecycle", nil)
	wantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")
	exists, err = c.CheckExistence(ctx(t), "rg-lifecycle", nil)
	if err != nil || exists.Success {
		t.Fatalf("CheckExistence after delete = %v, %v", exists.Success, err)
	}
}

func TestResourceGroupListFiltersByTagAndPages(t *testing.T) {
	srv := start(t, emulator.Options{})
	c := groupsClient(t, srv.URL())
	for i := 0; i < 7; i++ {
		tags := map[string]*string{"Team": ptr(fmt.Sprint("t", i%2))}
		createGroup(t, c, fmt.Sprintf("rg-list-%d", i), "westus", tags)
	}
	createGroup(t, c, "rg-untagged", "westus", nil)

	names := func(opts *armresources.ResourceGroupsClientListOptions) (all []string, pages int) {
		pager := c.NewListPager(opts)
		for pager.More() {
			page, err := pager.NextPage(ctx(t))
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

	all, pages := names(&armresources.ResourceGroupsClientListOptions{Top: ptr[int32](3)})
	if len(all) != 8 || pages != 3 {
		t.Fatalf("paged list = %v in %d pages, want 8 groups in 3 pages", all, pages)
	}

	// Tag names match without case, values exactly.
	odd, _ := names(&armresources.ResourceGroupsClientListOptions{Filter: ptr("tagName eq 'team' and tagValue eq 't1'")})
	if strings.Join(odd, ",") != "rg-list-1,rg-list-3,rg-list-5" {
		t.Fatalf("filtered list = %v", odd)
	}
	tagged, _ := names(&armresources.ResourceGroupsClientListOptions{Filter: ptr("tagName eq 'Team'"), Top: ptr[int32](2)})
	if len(tagged) != 7 {
		t.Fatalf("tagName-only filter = %v", tagged)
	}

	// nextLink is absolute and carries api-version.
	var page struct {
		NextLink string `json:"nextLink"`
	}
	callJSON(t, http.MethodGet, srv.URL()+"/subscriptions/"+sub+"/resourcegroups?api-version="+apiVersion+"&$top=2", nil, &page)
	next, err := url.Parse(page.NextLink)
	if err != nil || !next.IsAbs() || next.Query().Get("api-version") != apiVersion {
		t.Fatalf("nextLink = %q", page.NextLink)
	}
}

func TestResourceGroupValidationErrors(t *testing.T) {
	srv := start(t, emulator.Options{})
	c := groupsClient(t, srv.URL())
	createGroup(t, c, "rg-existing", "eastus", nil)

	cases := []struct {
		name, group string
		body        armresources.ResourceGroup
		status      int
		code        string
	}{
		{"no location", "rg-x", armresources.ResourceGroup{}, 400, "LocationRequired"},
		{"unknown location", "rg-x", armresources.ResourceGroup{Location: ptr("atlantis")}, 400, "LocationNotAvailableForResourceGroup"},
		{"location change", "rg-existing", armresources.ResourceGroup{Location: ptr("westus")}, 409, "InvalidResourceGroupLocation"},
		{"name too long", strings.Repeat("a", 91), armresources.ResourceGroup{Location: ptr("eastus")}, 400, "InvalidResourceGroupName"},
		{"name ends with period", "rg.", armresources.ResourceGroup{Location: ptr("eastus")}, 400, "InvalidResourceGroupName"},
		{"name with bad character", "rg!x", armresources.ResourceGroup{Location: ptr("eastus")}, 400, "InvalidResourceGroupName"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateOrUpdate(ctx(t), tc.group, tc.body, nil)
			wantARMError(t, err, tc.status, tc.code)
		})
	}

	t.Run("allowed name characters", func(t *testing.T) {
		createGroup(t, c, "Rg_(ok)-1.é", "eastus", nil)
		createGroup(t, c, strings.Repeat("b", 90), "eastus", nil)
	})
	t.Run("get missing", func(t *testing.T) {
		_, err := c.Get(ctx(t), "rg-missing", nil)
		wantARMError(t, err, 404, "ResourceGroupNotFound")
		var re struct {
			Error struct{ Message string } `json:"error"`
		}
		callJSON(t, http.MethodGet, groupURL(srv.URL(), "rg-missing"), nil, &re)
		if re.Error.Message != "Resource group 'rg-missing' could not be found." {
			t.Fatalf("message = %q", re.Error.Message)
		}
	})
	t.Run("patch missing", func(t *testing.T) {
		_, err := c.Update(ctx(t), "rg-missing", armresources.ResourceGroupPatchable{}, nil)
		wantARMError(t, err, 404, "ResourceGroupNotFound")
	})
	t.Run("delete missing", func(t *testing.T) {
		_, err := c.BeginDelete(ctx(t), "rg-missing", nil)
		wantARMError(t, err, 404, "ResourceGroupNotFound")
	})
	t.Run("bad subscription id", func(t *testing.T) {
		_, err := groupsClientFor(t, srv.URL(), "not-a-guid").Get(ctx(t), "rg-existing", nil)
		wantARMError(t, err, 400, "InvalidSubscriptionId")
	})
	t.Run("bad filter", func(t *testing.T) {
		_, err := c.NewListPager(&armresources.ResourceGroupsClientListOptions{Filter: ptr("tagValue eq 'x'")}).NextPage(ctx(t))
		wantARMError(t, err, 400, "InvalidQueryParameterValue")
	})
}

func TestSubscriptionsAreIsolated(t *testing.T) {
	srv := start(t, emulator.Options{})
	createGroup(t, groupsClient(t, srv.URL()), "rg-shared-name", "eastus", nil)
	other := groupsClientFor(t, srv.URL(), "00000000-0000-0000-0000-0000000000bb")
	_, err := other.Get(ctx(t), "rg-shared-name", nil)
	wantARMError(t, err, 404, "ResourceGroupNotFound")
	page, err := other.NewListPager(nil).NextPage(ctx(t))
	if err != nil || len(page.Value) != 0 {
		t.Fatalf("other subscription lists %d groups, %v", len(page.Value), err)
	}
}
