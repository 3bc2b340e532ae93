// Command safecopy is a Verifarm test fixture built like gVisor's
// pkg/safecopy before it switched to assembly resolver stubs: it records the
// address ranges of its assembly functions (where a signal handler would
// recover faults) from their Go func values. Those are the ABIInternal→ABI0
// wrappers, not the bodies, so the recorded ranges guard the wrong code.
//
// Each assembly function's value is taken in a different way, the ways a
// hazard scan has to find:
//   - memcpy: reflect.ValueOf(memcpy).Pointer() in init
//   - memclr: stored in a package-level table of func values
//   - swapUint32: stored in an []interface{} literal
//   - loadUint32: passed as an argument to a function that records it
//   - swapUint64: stored in a func variable that is only called (harmless,
//     but still a func value of an assembly function)
//
// Run, it prints each recorded range and the function runtime.FuncForPC
// names at its start: the wrapper and the body carry the same name there.
package main

import (
	"fmt"
	"reflect"
	"runtime"
	"unsafe"
)

// Implemented in safecopy_$GOARCH.s.
func memcpy(dst, src, n uintptr)
func memclr(ptr, n uintptr)
func swapUint32(ptr unsafe.Pointer, new uint32) (old uint32)
func swapUint64(ptr unsafe.Pointer, new uint64) (old uint64)
func loadUint32(ptr unsafe.Pointer) (val uint32)

// faultRange is where a fault inside an assembly function would be recovered.
type faultRange struct {
	name       string
	begin, end uintptr
}

var faultRanges []faultRange

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
	begin := reflect.ValueOf(memcpy).Pointer()
	faultRanges = append(faultRanges, faultRange{"memcpy", begin, findEndAddress(begin)})
	for _, e := range faultTable {
		addFaultRange(e.name, e.fn)
	}
	for _, f := range extraFuncs {
		addFaultRange("swapUint32", f)
	}
	addFaultRange("loadUint32", loadUint32)
}

// addFaultRange records the range of the function fn holds.
//
//go:noinline
func addFaultRange(name string, fn interface{}) {
	begin := reflect.ValueOf(fn).Pointer()
	faultRanges = append(faultRanges, faultRange{name, begin, findEndAddress(begin)})
}

// findEndAddress is gVisor's safecopy.FindEndAddress: the first address at or
// after begin that runtime.FuncForPC attributes to another function.
func findEndAddress(begin uintptr) uintptr {
	f := runtime.FuncForPC(begin)
	if f != nil {
		for p := begin; ; p++ {
			if runtime.FuncForPC(p) != f {
				return p
			}
		}
	}
	return begin
}

func main() {
	var word uint64 = 7
	var small uint32 = 5
	buf := []byte("safecopy")
	out := make([]byte, len(buf))
	memcpy(uintptr(unsafe.Pointer(&out[0])), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	old := swap64(unsafe.Pointer(&word), 9)
	fmt.Printf("copied %q, swapped %d for %d, loaded %d\n", out, old, word, loadUint32(unsafe.Pointer(&small)))
	runtime.KeepAlive(buf)
	for _, r := range faultRanges {
		fmt.Printf("fault range %s [%#x, %#x) %s\n", r.name, r.begin, r.end, runtime.FuncForPC(r.begin).Name())
	}
}
