// Package specexamples replays the REST specs' x-ms-examples against the
// emulator. The examples ship as the Azure SDK modules' example tests
// (*_client_example_test.go in the module cache): each names its x-ms-examples
// file, calls one client method with path arguments and an input written as a
// Go composite literal, and shows the expected response as a commented
// composite literal. The tests (all in _test.go files) parse those files, turn
// the literals into SDK values, send them through the real clients to an
// in-process emulator, and compare what it answers with what Azure's example
// answers. Nothing of the examples is copied into this repository.
package specexamples
