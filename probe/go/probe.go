// Package probe speaks Verifarm's probe protocol for a Go program checked in
// native mode (docs/checks.md, "Native mode and the probe protocol"): the
// program reports the run-time addresses its resolvers yield and the text it
// copies, then waits while the agent reads its memory.
//
// Outside a probe run (VERIFARM_PROBE is not 1) every function does nothing,
// so the calls can stay in the program that ships:
//
//	probe.Resolve("main.addrOfMemcpy", addrOfMemcpy())
//	probe.Copy("main.addrOfMemcpy", begin, dst, n)
//	probe.Ready()
package probe

import (
	"fmt"
	"io"
	"os"
	"sync"
)

// Version is the protocol version the first line announces.
const Version = 1

// A Probe writes protocol lines to out and, once ready, waits for in to end.
// A program uses the package's functions, which speak on its stdout and
// stdin; a Probe of its own is for tests.
type Probe struct {
	enabled bool
	out     io.Writer
	in      io.Reader

	mu    sync.Mutex
	begun bool
	ready bool
}

// New returns a probe that speaks only when enabled.
func New(enabled bool, out io.Writer, in io.Reader) *Probe {
	return &Probe{enabled: enabled, out: out, in: in}
}

var std = New(os.Getenv("VERIFARM_PROBE") == "1", os.Stdout, os.Stdin)

// Enabled reports whether the program runs as a Verifarm probe
// (VERIFARM_PROBE=1).
func Enabled() bool { return std.Enabled() }

// Begin announces the protocol version. Resolve, Copy and Ready begin by
// themselves; call Begin first only when the program prints lines of its own.
func Begin() { std.Begin() }

// Resolve reports the run-time address that the resolver name yielded.
func Resolve(name string, addr uintptr) { std.Resolve(name, addr) }

// Copy reports that n bytes were copied from src (what the resolver name
// yielded) to a new mapping at dst.
func Copy(name string, src, dst uintptr, n int) { std.Copy(name, src, dst, n) }

// Ready reports that everything is reported, then blocks until the agent
// closes stdin, having read the program's memory. Nothing may be reported
// after it.
func Ready() { std.Ready() }

// Enabled reports whether p speaks.
func (p *Probe) Enabled() bool { return p.enabled }

// Begin announces the protocol version, once.
func (p *Probe) Begin() {
	if !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.begin()
}

// Resolve reports the run-time address that the resolver name yielded.
func (p *Probe) Resolve(name string, addr uintptr) {
	p.report(name, fmt.Sprintf("verifarm resolve %s %#x\n", name, addr))
}

// Copy reports n bytes copied from src to a new mapping at dst.
func (p *Probe) Copy(name string, src, dst uintptr, n int) {
	if n < 0 {
		panic(fmt.Sprintf("verifarm probe: copy %s has a negative length %d", name, n))
	}
	p.report(name, fmt.Sprintf("verifarm copy %s %#x %#x %d\n", name, src, dst, n))
}

// Ready reports that everything is reported and waits for in to end.
func (p *Probe) Ready() {
	if !p.enabled {
		return
	}
	p.mu.Lock()
	p.begin()
	if p.ready {
		p.mu.Unlock()
		panic("verifarm probe: Ready called twice")
	}
	p.ready = true
	p.write("verifarm ready\n")
	p.mu.Unlock()
	// The agent closes stdin once it has read /proc/PID; until then the
	// copies must stay mapped and the program alive.
	if _, err := io.Copy(io.Discard, p.in); err != nil {
		panic(fmt.Sprintf("verifarm probe: waiting for the agent: %v", err))
	}
}

func (p *Probe) report(name, line string) {
	if !p.enabled {
		return
	}
	requireName(name)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ready {
		panic("verifarm probe: " + name + " reported after Ready")
	}
	p.begin()
	p.write(line)
}

// begin writes the version line unless it was written; p.mu is held.
func (p *Probe) begin() {
	if !p.begun {
		p.begun = true
		p.write(fmt.Sprintf("verifarm probe %d\n", Version))
	}
}

// write sends one whole line in one call, so lines never interleave.
func (p *Probe) write(line string) {
	if _, err := io.WriteString(p.out, line); err != nil {
		panic(fmt.Sprintf("verifarm probe: writing %q: %v", line, err))
	}
}

// requireName refuses a name the line protocol cannot carry: the fields of a
// line are separated by spaces, and a line ends at a newline.
func requireName(name string) {
	if name == "" {
		panic("verifarm probe: a resolver needs a name")
	}
	for _, r := range name {
		if r <= ' ' || r == 0x7f {
			panic(fmt.Sprintf("verifarm probe: the name %q has a space or control character", name))
		}
	}
}
