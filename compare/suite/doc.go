// Package suite drives declared contenders through the harness: build them,
// start them on their CPU set, verify them against their workload's oracle
// before anything is timed, stop them, and turn each into a results record.
// It talks to processes only through runner.Executor, so its tests use the fake.
package suite
