// Command plain is a Verifarm test fixture with no assembly and no func values
// of assembly functions: a binary with no ABI wrappers of its own and nothing
// to resolve. With VERIFARM_PROBE=1 it reports whether it can open TCP
// connections, for sandbox tests. See ../README.md for the line protocol.
package main

import (
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"verifarm.dev/probe"
)

// defaultTargets are always tried. Only loopback: outside a sandbox the
// connection is refused (nothing listens on the discard port) and inside a
// fresh network namespace the network is unreachable. Tests that need a
// target that surely answers pass their own loopback listener in
// VERIFARM_PROBE_NET_ADDRS (comma-separated host:port).
var defaultTargets = []string{"127.0.0.1:9"}

func main() {
	if !probe.Enabled() {
		fmt.Println("plain fixture: no assembly here; set VERIFARM_PROBE=1 for probe mode")
		return
	}
	// The net lines are this fixture's own, after the library's version line.
	probe.Begin()
	for _, addr := range targets() {
		conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			fmt.Printf("verifarm net refused %s %s\n", addr, oneLine(err.Error()))
			continue
		}
		conn.Close()
		fmt.Printf("verifarm net ok %s\n", addr)
	}
	probe.Ready()
}

func targets() []string {
	all := append([]string(nil), defaultTargets...)
	for _, addr := range strings.Split(os.Getenv("VERIFARM_PROBE_NET_ADDRS"), ",") {
		if addr = strings.TrimSpace(addr); addr != "" {
			all = append(all, addr)
		}
	}
	return all
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
