# Imported by the profile's id (endpoint roles come back from the profile's tags).
terraform import azuredr_traffic_manager_profile.cms /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/milestone-cms-dr/providers/Microsoft.Network/trafficManagerProfiles/tm-cms
