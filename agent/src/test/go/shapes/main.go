// Command shapes is a Verifarm test fixture: resolver stubs as people write
// them (with frames, stack-split prologues and locals), wrong ones, one with
// real control flow, and data words initialised in assembly that hold code
// addresses (the shape of golang.org/x/sys's *_trampoline_addr words). It
// prints what each resolver yields; with VERIFARM_PROBE=1 it speaks the probe
// line protocol (see ../README.md).
package main

import (
	"fmt"
	"io"
	"os"
	"reflect"
)

// Implemented in shapes_$GOARCH.s.
func body(n uintptr) uintptr
func elsewhere(n uintptr) uintptr
func addrOfBodyFrame8() uintptr
func addrOfBodyFrame16() uintptr
func addrOfBodyFrame16Split() uintptr
func addrOfBodyFrame200() uintptr
func addrOfBodyFrame200NoSplit() uintptr
func addrOfBodySpill16() uintptr
func addrOfWrongFrame16() uintptr
func addrOfWrongFrame200() uintptr
func addrOfWrongLocal() uintptr
func addrOfBranchy() uintptr

// Data words that shapes_$GOARCH.s fills with DATA: declared here without a
// value, as golang.org/x/sys declares its trampoline address words.
var (
	bodyAddr      uintptr // RODATA: body
	bodyAddrNoptr uintptr // NOPTR: body, in .noptrdata
	elsewhereAddr uintptr // RODATA: elsewhere
	insideAddr    uintptr // RODATA: 4 bytes into body
)

// bodyFunc makes the linker emit the ABI wrapper main.body beside the body
// main.body.abi0, and a func value word in .rodata that holds the wrapper.
var bodyFunc = body

// wrapperAddr is a data word only the running program fills (it lies in
// .noptrbss): the address Go code gets for body's value, its ABI wrapper.
var wrapperAddr = reflect.ValueOf(bodyFunc).Pointer()

// resolvers are reported in this order; each name is the resolver spelling a
// Verifarm expectation uses.
var resolvers = []struct {
	name  string
	yield func() uintptr
}{
	{"main.addrOfBodyFrame8", addrOfBodyFrame8},
	{"main.addrOfBodyFrame16", addrOfBodyFrame16},
	{"main.addrOfBodyFrame16Split", addrOfBodyFrame16Split},
	{"main.addrOfBodyFrame200", addrOfBodyFrame200},
	{"main.addrOfBodyFrame200NoSplit", addrOfBodyFrame200NoSplit},
	{"main.addrOfBodySpill16", addrOfBodySpill16},
	{"main.addrOfWrongFrame16", addrOfWrongFrame16},
	{"main.addrOfWrongFrame200", addrOfWrongFrame200},
	{"main.addrOfWrongLocal", addrOfWrongLocal},
	{"main.addrOfBranchy", addrOfBranchy},
	{"data:main.bodyAddr", func() uintptr { return bodyAddr }},
	{"data:main.bodyAddrNoptr", func() uintptr { return bodyAddrNoptr }},
	{"data:main.elsewhereAddr", func() uintptr { return elsewhereAddr }},
	{"data:main.insideAddr", func() uintptr { return insideAddr }},
	{"data:main.wrapperAddr", func() uintptr { return wrapperAddr }},
	{"funcvalue:main.body", func() uintptr { return reflect.ValueOf(bodyFunc).Pointer() }},
}

func main() {
	if got := bodyFunc(41); got != 42 {
		fmt.Fprintln(os.Stderr, "body(41) =", got)
		os.Exit(2)
	}
	probe := os.Getenv("VERIFARM_PROBE") == "1"
	if probe {
		fmt.Println("verifarm probe 1")
	}
	for _, r := range resolvers {
		if probe {
			fmt.Printf("verifarm resolve %s %#x\n", r.name, r.yield())
		} else {
			fmt.Printf("%s %#x\n", r.name, r.yield())
		}
	}
	if probe {
		fmt.Println("verifarm ready")
		_, _ = io.Copy(io.Discard, os.Stdin)
	}
	_ = elsewhere
}
