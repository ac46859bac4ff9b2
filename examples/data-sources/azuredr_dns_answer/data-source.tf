# Where does the CMS name send users right now? A drill asserts on
# matched_role after failing over instead of assuming DNS moved.
data "azuredr_dns_answer" "cms" {
  name       = azuredr_traffic_manager_profile.cms.fqdn
  profile_id = azuredr_traffic_manager_profile.cms.id
  # nameserver = "127.0.0.1:53535" # e.g. the emulator's DNS server
}

output "users_go_to" {
  value = "${data.azuredr_dns_answer.cms.matched_endpoint} (${data.azuredr_dns_answer.cms.matched_role})"
}
