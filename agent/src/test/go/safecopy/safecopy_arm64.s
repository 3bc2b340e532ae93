// Assembly (ABI0) functions of the safecopy fixture, arm64: small leaves in
// the spirit of gVisor's safecopy, without its fault handling.

#include "textflag.h"

// func memcpy(dst, src, n uintptr)
TEXT ·memcpy(SB), NOSPLIT, $0-24
	MOVD dst+0(FP), R0
	MOVD src+8(FP), R1
	MOVD n+16(FP), R2
loop:
	CBZ R2, done
	MOVBU.P 1(R1), R3
	MOVB.P R3, 1(R0)
	SUB $1, R2, R2
	B loop
done:
	RET

// func memclr(ptr, n uintptr)
TEXT ·memclr(SB), NOSPLIT, $0-16
	MOVD ptr+0(FP), R0
	MOVD n+8(FP), R1
loop:
	CBZ R1, done
	MOVB.P ZR, 1(R0)
	SUB $1, R1, R1
	B loop
done:
	RET

// func swapUint32(ptr unsafe.Pointer, new uint32) (old uint32)
TEXT ·swapUint32(SB), NOSPLIT, $0-20
	MOVD ptr+0(FP), R0
	MOVW new+8(FP), R1
again:
	LDAXRW (R0), R2
	STLXRW R1, (R0), R3
	CBNZ R3, again
	MOVW R2, old+16(FP)
	RET

// func swapUint64(ptr unsafe.Pointer, new uint64) (old uint64)
TEXT ·swapUint64(SB), NOSPLIT, $0-24
	MOVD ptr+0(FP), R0
	MOVD new+8(FP), R1
again:
	LDAXR (R0), R2
	STLXR R1, (R0), R3
	CBNZ R3, again
	MOVD R2, old+16(FP)
	RET

// func loadUint32(ptr unsafe.Pointer) (val uint32)
TEXT ·loadUint32(SB), NOSPLIT, $0-12
	MOVD ptr+0(FP), R0
	LDARW (R0), R0
	MOVW R0, val+8(FP)
	RET

// The resolver stubs of the fixed build (tag fixed): an asm→asm reference
// resolves to the body, where Go's func value is the ABI wrapper.

// func addrOfMemcpy() uintptr
TEXT ·addrOfMemcpy(SB), NOSPLIT, $0-8
	MOVD $·memcpy(SB), R0
	MOVD R0, ret+0(FP)
	RET

// func addrOfMemclr() uintptr
TEXT ·addrOfMemclr(SB), NOSPLIT, $0-8
	MOVD $·memclr(SB), R0
	MOVD R0, ret+0(FP)
	RET

// func addrOfSwapUint32() uintptr
TEXT ·addrOfSwapUint32(SB), NOSPLIT, $0-8
	MOVD $·swapUint32(SB), R0
	MOVD R0, ret+0(FP)
	RET

// func addrOfSwapUint64() uintptr
TEXT ·addrOfSwapUint64(SB), NOSPLIT, $0-8
	MOVD $·swapUint64(SB), R0
	MOVD R0, ret+0(FP)
	RET

// func addrOfLoadUint32() uintptr
TEXT ·addrOfLoadUint32(SB), NOSPLIT, $0-8
	MOVD $·loadUint32(SB), R0
	MOVD R0, ret+0(FP)
	RET
