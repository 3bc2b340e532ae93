// Assembly (ABI0) functions of the safecopy fixture, amd64: small leaves in
// the spirit of gVisor's safecopy, without its fault handling.

#include "textflag.h"

// func memcpy(dst, src, n uintptr)
TEXT ·memcpy(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	REP; MOVSB
	RET

// func memclr(ptr, n uintptr)
TEXT ·memclr(SB), NOSPLIT, $0-16
	MOVQ ptr+0(FP), DI
	MOVQ n+8(FP), CX
	XORQ AX, AX
	REP; STOSB
	RET

// func swapUint32(ptr unsafe.Pointer, new uint32) (old uint32)
TEXT ·swapUint32(SB), NOSPLIT, $0-20
	MOVQ ptr+0(FP), DI
	MOVL new+8(FP), AX
	XCHGL AX, 0(DI)
	MOVL AX, old+16(FP)
	RET

// func swapUint64(ptr unsafe.Pointer, new uint64) (old uint64)
TEXT ·swapUint64(SB), NOSPLIT, $0-24
	MOVQ ptr+0(FP), DI
	MOVQ new+8(FP), AX
	XCHGQ AX, 0(DI)
	MOVQ AX, old+16(FP)
	RET

// func loadUint32(ptr unsafe.Pointer) (val uint32)
TEXT ·loadUint32(SB), NOSPLIT, $0-12
	MOVQ ptr+0(FP), DI
	MOVL 0(DI), AX
	MOVL AX, val+8(FP)
	RET

// The resolver stubs of the fixed build (tag fixed): an asm→asm reference
// resolves to the body, where Go's func value is the ABI wrapper.

// func addrOfMemcpy() uintptr
TEXT ·addrOfMemcpy(SB), NOSPLIT, $0-8
	LEAQ ·memcpy(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// func addrOfMemclr() uintptr
TEXT ·addrOfMemclr(SB), NOSPLIT, $0-8
	LEAQ ·memclr(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// func addrOfSwapUint32() uintptr
TEXT ·addrOfSwapUint32(SB), NOSPLIT, $0-8
	LEAQ ·swapUint32(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// func addrOfSwapUint64() uintptr
TEXT ·addrOfSwapUint64(SB), NOSPLIT, $0-8
	LEAQ ·swapUint64(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// func addrOfLoadUint32() uintptr
TEXT ·addrOfLoadUint32(SB), NOSPLIT, $0-8
	LEAQ ·loadUint32(SB), AX
	MOVQ AX, ret+0(FP)
	RET
