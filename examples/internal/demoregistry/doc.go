// Package demoregistry runs an in-process OCI registry (go-containerregistry's pkg/registry) on
// the loopback interface and uploads containers "dir:" layouts to it, signatures included, so that
// the examples can show registry-backed checks without any network access.
//
// It is demo and test support for the programs under examples/: it is not part of the sigpolicy
// API.
package demoregistry
