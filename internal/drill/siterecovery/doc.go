// Package siterecovery is what the drill kinds built on Azure Site Recovery
// (testfailover and failover) share: a protected item as a drill sees it,
// its status, its recovery points, and the validation of a spec's groups
// of protected items. The calls that change an item (a test failover, a
// failover, their cleanup or commit) belong to the kind that makes them.
package siterecovery
