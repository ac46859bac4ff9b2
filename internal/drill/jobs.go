package drill

// Site Recovery jobs in a drill's records. Every Site Recovery operation a
// drill starts (a test failover, its cleanup, a failover, a commit, a
// re-protect) is a job in the vault, Azure's record of what ran and why it
// failed. A drill kind learns the job of an operation it starts from
// azure.StartJob and records it: on the item's result (each kind's
// ItemResult has the fields its operations need) and on the event that says
// the operation started (Log.EmitJob), so reports and people reading them
// know which job to open in the vault.

// EmitJob records an event about a Site Recovery operation: Emit's event
// with the operation's job id (its ARM id, {vault}/replicationJobs/{name};
// "" when Azure named none).
func (l *Log) EmitJob(phase string, group int, item, jobID, msg string) {
	l.emit(Event{Phase: phase, Group: group, Item: item, Message: msg, JobID: jobID})
}
