// Package siterecovery is what the drill kinds built on Azure Site Recovery
// (testfailover and failover) read alike: a protected item as a drill sees
// it, and its recovery points. The calls that change an item (a test
// failover, a failover, their cleanup or commit) belong to the kind that
// makes them.
package siterecovery
