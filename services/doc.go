// Package services is tribench's Go user API contender and the reference
// implementation of the canonical contract in CONTRACT.md: an in-memory user
// store served over HTTP with fasthttp and goccy/go-json.
//
// The binary in cmd/userapi starts it as `userapi serve --port P`.
package services
