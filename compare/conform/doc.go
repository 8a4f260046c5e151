// Package conform is tribench's correctness oracle for user API services: it runs
// the contract cases of services/cases and a set of bounded property checks
// (concurrency, read-your-writes, pagination under writes, uptime) against any
// base URL, including a service tribench did not start and one that already
// holds data, and reports every check that failed with the rule it broke.
package conform
