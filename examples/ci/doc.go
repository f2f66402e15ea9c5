// Package ci is an example policy repository: a global policy (policy.json), per-namespace
// policies (namespaces/<namespace>.json) and a fixture table (tests/policy-tests.yaml) that the
// repository's CI job runs with `sigpolicy test` (see README.md and ci-job.yml). It holds no Go
// code; its test builds the sigpolicy command and runs it as the CI job does.
package ci
