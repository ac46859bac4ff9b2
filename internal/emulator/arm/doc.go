// Package arm holds the Azure Resource Manager wire vocabulary the emulator
// speaks: the response value handlers return, the error factory (every error
// the emulator sends is built here, in ARM's envelope and with ARM's codes and
// messages), ids and api-version rules.
package arm
