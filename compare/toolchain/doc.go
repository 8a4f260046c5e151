// Package toolchain knows where the project's runtimes live and what versions
// they are: `tribench env` prints it and every report header quotes it, so a
// figure always says which CPU, kernel and runtime produced it. Check is the
// system check (`tribench env --check`, and the start of every run): what on
// the machine would disturb a measurement now.
//
// The toolchains themselves are provisioned by `make setup` (scripts in the
// python/ and kotlin/ folders beside this file) into the cache (TRIBENCH_CACHE).
package toolchain
