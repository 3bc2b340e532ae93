// Command stubs is a Verifarm test fixture: assembly (ABI0) functions, the
// resolver stubs that yield their bodies, and Go func values of them that make
// the linker emit ABIInternal→ABI0 wrappers. With VERIFARM_PROBE=1 it reports
// what the stubs and func values resolve to at run time and copies function
// text the way gVisor's platforms do. See ../README.md for the line protocol.
package main

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"syscall"
	"unsafe"

	"verifarm.dev/probe"
)

// Implemented in stubs_$GOARCH.s.
func memcpyish(dst, src unsafe.Pointer, n uintptr)
func addrOfMemcpyish() uintptr
func otherLeaf()
func addrOfWrong() uintptr
func helperLeaf() // register convention, see the .s file; never call from Go
func escaping(n uintptr) uintptr
func addrOfEscaping() uintptr
func callMemcpyishAt(fn uintptr, dst, src unsafe.Pointer, n uintptr)

// table is read by escaping, so that a copy of escaping refers to data
// outside the copied range.
var table = [8]uintptr{100, 1, 2, 3, 4, 5, 6, 7}

// Func values of the assembly functions: taking them is what makes the linker
// emit main.memcpyish (the wrapper) beside main.memcpyish.abi0 (the body).
var (
	memcpyishFunc = memcpyish
	otherLeafFunc = otherLeaf
	escapingFunc  = escaping
)

// copies keeps the probe's executable mappings alive until exit.
var copies [][]byte

func main() {
	if !probe.Enabled() {
		fmt.Println(selfTest())
		return
	}
	if err := report(); err != nil {
		fmt.Fprintln(os.Stderr, "verifarm probe failed:", err)
		os.Exit(2)
	}
}

// selfTest calls each function through its func value (the wrappers), so the
// plain run exercises them and the func values stay reachable.
func selfTest() string {
	src := []byte("verifarm")
	dst := make([]byte, len(src))
	memcpyishFunc(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), uintptr(len(src)))
	otherLeafFunc()
	return fmt.Sprintf("stubs fixture: copied %q, escaping(3) = %d; set VERIFARM_PROBE=1 for probe mode",
		dst, escapingFunc(3))
}

// report speaks the probe protocol through the probe library.
func report() error {
	// Make sure the wrappers are really used in this run too.
	selfTest()

	probe.Resolve("main.addrOfMemcpyish", addrOfMemcpyish())
	probe.Resolve("main.addrOfWrong", addrOfWrong())
	probe.Resolve("main.addrOfEscaping", addrOfEscaping())
	probe.Resolve("funcvalue:main.memcpyish", reflect.ValueOf(memcpyishFunc).Pointer())

	body, err := copyText("main.addrOfMemcpyish", addrOfMemcpyish())
	if err != nil {
		return err
	}
	if err := callCopiedMemcpyish(body); err != nil {
		return err
	}
	// The wrapper's copy and escaping's copy are never called: their text
	// calls and loads through PC-relative references that now point nowhere.
	if _, err := copyText("funcvalue:main.memcpyish", reflect.ValueOf(memcpyishFunc).Pointer()); err != nil {
		return err
	}
	if _, err := copyText("main.addrOfEscaping", addrOfEscaping()); err != nil {
		return err
	}

	// Blocks until the agent closes our stdin, having read maps and mem.
	probe.Ready()
	return nil
}

// findEndAddress is gVisor's safecopy.FindEndAddress: the first address at or
// after begin that runtime.FuncForPC attributes to another function, i.e. the
// pclntab end of begin's function, alignment padding included.
func findEndAddress(begin uintptr) uintptr {
	f := runtime.FuncForPC(begin)
	if f != nil {
		for p := begin; ; p++ {
			g := runtime.FuncForPC(p)
			if f != g {
				return p
			}
		}
	}
	return begin
}

// copyText copies [begin, findEndAddress(begin)) into a fresh anonymous
// mapping and makes it read+exec, as gVisor's platforms copy their stubs.
func copyText(name string, begin uintptr) (uintptr, error) {
	end := findEndAddress(begin)
	n := int(end - begin)
	if n <= 0 {
		return 0, fmt.Errorf("%s: no function at %#x", name, begin)
	}
	page := os.Getpagesize()
	size := (n + page - 1) / page * page
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return 0, fmt.Errorf("%s: mmap: %w", name, err)
	}
	copy(mem, textAt(begin, n))
	if err := syscall.Mprotect(mem, syscall.PROT_READ|syscall.PROT_EXEC); err != nil {
		return 0, fmt.Errorf("%s: mprotect: %w", name, err)
	}
	copies = append(copies, mem)
	dst := uintptr(unsafe.Pointer(&mem[0]))
	probe.Copy(name, begin, dst, n)
	return dst, nil
}

// textAt views n bytes of code at addr. Code is never moved or collected, so
// turning its address into a pointer is safe; going through memory keeps vet
// from mistaking this for a uintptr held across a GC.
func textAt(addr uintptr, n int) []byte {
	p := *(*unsafe.Pointer)(unsafe.Pointer(&addr))
	return unsafe.Slice((*byte)(p), n)
}

// callCopiedMemcpyish runs the relocated body and checks that it copied.
func callCopiedMemcpyish(fn uintptr) error {
	src := []byte("copied text runs")
	dst := make([]byte, len(src))
	callMemcpyishAt(fn, unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), uintptr(len(src)))
	runtime.KeepAlive(src)
	if !bytes.Equal(dst, src) {
		return fmt.Errorf("copied memcpyish at %#x produced %q, want %q", fn, dst, src)
	}
	return nil
}
