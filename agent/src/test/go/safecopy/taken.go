//go:build !fixed

package main

import (
	"fmt"
	"reflect"
	"unsafe"
)

// Each assembly function's value is taken in a different way, the ways a
// hazard scan has to find:
//   - memcpy: reflect.ValueOf(memcpy).Pointer() in init
//   - memclr: stored in a package-level table of func values
//   - swapUint32: stored in an []interface{} literal
//   - loadUint32: passed as an argument to a function that records it
//   - swapUint64: stored in a func variable that is only called (harmless,
//     but still a func value of an assembly function)

// faultTable is a package-level table of func values.
var faultTable = [...]struct {
	name string
	fn   func(ptr, n uintptr)
}{
	{"memclr", memclr},
}

// extraFuncs is an []interface{} literal holding a func value.
var extraFuncs = []interface{}{swapUint32}

// swap64 is a func variable that is only ever called.
var swap64 = swapUint64

func init() {
	// As safecopy's initializeAddresses did: the value of memcpy, by reflect.
	addFaultRange("memcpy", reflect.ValueOf(memcpy).Pointer())
	for _, e := range faultTable {
		addFuncRange(e.name, e.fn)
	}
	for _, f := range extraFuncs {
		addFuncRange("swapUint32", f)
	}
	addFuncRange("loadUint32", loadUint32)
}

// addFuncRange records the range of the function fn holds.
//
//go:noinline
func addFuncRange(name string, fn interface{}) {
	addFaultRange(name, reflect.ValueOf(fn).Pointer())
}

// swap calls swapUint64 through its func value.
func swap(word *uint64) string {
	old := swap64(unsafe.Pointer(word), 9)
	return fmt.Sprintf("swapped %d for %d through a func value", old, *word)
}
