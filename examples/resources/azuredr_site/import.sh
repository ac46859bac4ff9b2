# A site is imported by the id of its recovery resource group.
terraform import azuredr_site.cms /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/milestone-cms-dr
