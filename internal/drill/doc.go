// Package drill is the core of the drill engine: what every kind of
// disaster-recovery drill shares. It knows nothing of Terraform (the
// provider's resources, the bench and the terratest harness call the
// kinds), and nothing of any one kind.
//
// The kinds are one package each, built on this core:
//
//   - testfailover: the parallel drill. Test failover of replicated VMs
//     into an isolated network while production runs, checks from the DR
//     side, measured RTO and RPO, cleanup that always runs. Run, Spec,
//     Result, and Cleanup for what a crashed drill left.
//   - failover: the cutover. A real planned or unplanned failover of a
//     recovery plan's items, commit, re-protect and failback. Run, Spec,
//     Result. Nothing is undone: the failover is the point.
//
// What the two share with each other and not with every kind (a protected
// item as a drill sees it, its status, its recovery points, the validation
// of groups of protected items) is package siterecovery.
// Adding a kind (an Azure Backup restore drill) is writing one package that
// uses this core.
//
// The core is this package itself, not a drill/core beside the kinds,
// because its names are the vocabulary a caller writes a drill in:
// drill.Group, drill.Check, drill.Action, drill.Event, drill.Selector,
// drill.Objectives, next to testfailover.Run and failover.Run.
//
// # What the core holds
//
//   - Time (clock.go): a drill measures on one Clock, chosen by ChooseClock:
//     the spec's own, else the endpoint's (the wall clock for Azure, the
//     emulator's simulated clock for the emulator). Clock.Wait turns a
//     duration on that clock into a real sleep.
//   - Events (events.go): the Event, the phases every kind goes through,
//     and the Log a kind records them in, stamped on its clock.
//   - Groups (groups.go): a recovery plan's groups run in order; Parallel
//     runs a group's members at once, the first failure cancelling the rest.
//   - Actions (actions.go): a group's pre and post actions, scripts run
//     locally with the drill's environment (ActionEnv) or manual steps.
//   - Checks (checks.go, templates.go, checker.go): http, tcp and dns
//     checks against a Target, their {placeholders}, and the Checker that
//     retries them until they pass or the drill's context ends.
//   - Recovery points (points.go): the Selector and ChoosePoint.
//   - Measurement (measure.go, canary.go): objectives and their breaches,
//     RPO from a recovery point, the canary write that measures real data
//     loss.
//   - Cleanup (cleanup.go): undo every member at once on a context detached
//     from the caller's cancellation, verify it gone, report leftovers.
//   - The verdict (verdict.go): the last event's message.
//   - Validation of the shared parts of a spec (validate.go).
//
// The order of the phases, and what each kind measures, are documented in
// each kind's package.
package drill
