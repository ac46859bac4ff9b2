// Package e2e runs the built provider and emulator binaries with the Terraform
// CLI, as users and pipelines do: `terraform init` from a local filesystem
// mirror, applies against an emulator process, crashes and restarts.
package e2e
