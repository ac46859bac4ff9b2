// Package dns implements Geo-DNS for a DR site: azuredr_traffic_manager_profile
// (priority failover routing between the primary and recovery endpoints) and
// the azuredr_dns_answer data source that proves where a name resolves.
package dns

import _ "github.com/miekg/dns" // the resolver used by azuredr_dns_answer
