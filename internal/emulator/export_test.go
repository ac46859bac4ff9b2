package emulator

// NewWithWidgets is New plus the test-only widgets resource type, for the
// external tests of the long-running operation machinery.
func NewWithWidgets(opts Options) (*Server, error) {
	return newServer(opts, newWidgets)
}
