package runner

import (
	"bytes"
	"os"
	"strconv"
)

var pageSize = int64(os.Getpagesize())

// groupRSS sums the resident memory of every live (not zombie) process in
// process group pgid, read from /proc, and counts them. Processes that vanish
// while it reads are skipped.
func groupRSS(pgid int) (rss int64, members int) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, 0
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		if state, pgrp := stateAndGroup(stat); pgrp != pgid || state == "Z" {
			continue
		}
		statm, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
		if err != nil {
			continue
		}
		fields := bytes.Fields(statm)
		if len(fields) < 2 {
			continue
		}
		pages, err := strconv.ParseInt(string(fields[1]), 10, 64)
		if err != nil {
			continue
		}
		rss += pages * pageSize
		members++
	}
	return rss, members
}

// stateAndGroup parses the state and pgrp fields of /proc/PID/stat; the command
// name in parentheses may hold spaces, so fields are counted after its closing paren.
func stateAndGroup(stat []byte) (string, int) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return "", -1
	}
	fields := bytes.Fields(stat[i+1:]) // state, ppid, pgrp, ...
	if len(fields) < 3 {
		return "", -1
	}
	pgrp, err := strconv.Atoi(string(fields[2]))
	if err != nil {
		return "", -1
	}
	return string(fields[0]), pgrp
}

// groupAlive reports whether any live process remains in process group pgid.
func groupAlive(pgid int) bool {
	_, n := groupRSS(pgid)
	return n > 0
}
