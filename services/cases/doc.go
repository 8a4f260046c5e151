// Package cases holds the user API contract as data (the *.json files beside
// this file, described in ../CONTRACT.md) and runs them against any base URL.
//
// A Case is a list of steps, each an HTTP request and an expectation. Load
// reads and validates the embedded files; a Runner sends a case's requests and
// checks every response against its expectation and against the rules that hold
// for every response (Content-Type, the error body, Allow on 405).
//
// The package uses only the standard library's HTTP client and JSON decoder, so
// the oracle shares no code with the contender it judges.
package cases
