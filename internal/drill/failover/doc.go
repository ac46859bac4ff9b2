// Package failover is the cutover drill and real DR invocation, a kind
// built on package drill: an unplanned failover of a recovery plan's items
// (A2A has no planned one: with the primary reachable, Site Recovery shuts
// the source VMs down first, sourceSiteOperations Required), commit,
// re-protect (with the complete A2A re-protect input: reverse mapping and
// its policy, target group, cache accounts) and optionally failback. Unlike a test
// failover, nothing is undone at the end: a failover is the point.
// Approval is the caller's business (package approval): Run starts what it
// is asked to. The azuredr_failover resource (package internal/failover)
// calls it.
//
// # What Run does, in order (the events' phases)
//
//  1. validate: Spec.Validate, then every item is read before anything
//     starts: it must be Protected, active on the primary, and allow an
//     unplanned failover.
//  2. For each group in order: its Pre actions (pre-action; unattended:
//     a manual step is skipped, a required one was refused by Validate),
//     then group-start and every item in parallel: for an unplanned
//     failover the recovery point (recovery-point; default
//     latest_processed), the failover (failover, failover-done), then the
//     commit (commit, commit-done); then the group's Post actions
//     (post-action). The first failing item cancels the rest of its group.
//  3. dns (when Spec.SwitchDNS is set): Geo-DNS is pointed at the recovery
//     side; then recovered: MeasuredRTO is StartedAt to this moment.
//  4. With Reprotect: group-start, then every item at once is re-protected
//     towards the primary and waited for until Protected (reprotect,
//     reprotect-done).
//  5. With Failback: each group in order fails back to the primary
//     (failback, failback-done: unplanned RecoveryToPrimary, then
//     commit), DNS is pointed back
//     (dns), and every item is re-protected to the recovery region again.
//  6. verdict: "done", or error then "failed". Once the items were read,
//     each one's final protection state and active location are read into
//     the result, whether the failover succeeded or not.
//
// Time is as in package testfailover: one clock, the endpoint's unless
// Spec.Clock says otherwise.
package failover
