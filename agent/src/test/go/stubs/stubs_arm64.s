// Assembly (ABI0) functions for the stubs fixture, arm64.
// See ../README.md for what each one is meant to exercise.

#include "textflag.h"

// func memcpyish(dst, src unsafe.Pointer, n uintptr)
// A leaf byte-copy loop: its only branches stay inside the function,
// so a copy of its text runs anywhere.
TEXT ·memcpyish(SB), NOSPLIT, $0-24
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

// func addrOfMemcpyish() uintptr
// The correct resolver stub: an asm→asm reference resolves to the body.
TEXT ·addrOfMemcpyish(SB), NOSPLIT, $0-8
	MOVD $·memcpyish(SB), R0
	MOVD R0, ret+0(FP)
	RET

// func otherLeaf()
TEXT ·otherLeaf(SB), NOSPLIT, $0-0
	RET

// func addrOfWrong() uintptr
// A wrong resolver: it yields otherLeaf, not memcpyish.
TEXT ·addrOfWrong(SB), NOSPLIT, $0-8
	MOVD $·otherLeaf(SB), R0
	MOVD R0, ret+0(FP)
	RET

// func helperLeaf()
// Private register convention: R0 in, R0 = R0 & 7 out. Never call it from Go.
TEXT ·helperLeaf(SB), NOSPLIT, $0-0
	AND $7, R0, R0
	RET

// func escaping(n uintptr) uintptr
// Returns table[n&7] + table[0]. Its text calls helperLeaf (BL) and reads the
// Go variable table (ADRP+ADD, ADRP+LDR), all outside itself, so a copy of it
// is not relocatable. The BL makes it a non-leaf: the assembler saves LR.
TEXT ·escaping(SB), NOSPLIT, $0-16
	MOVD n+0(FP), R0
	BL ·helperLeaf(SB)
	MOVD $·table(SB), R1
	MOVD (R1)(R0<<3), R0
	MOVD ·table(SB), R2
	ADD R2, R0, R0
	MOVD R0, ret+8(FP)
	RET

// func addrOfEscaping() uintptr
TEXT ·addrOfEscaping(SB), NOSPLIT, $0-8
	MOVD $·escaping(SB), R0
	MOVD R0, ret+0(FP)
	RET

// func callMemcpyishAt(fn uintptr, dst, src unsafe.Pointer, n uintptr)
// Calls the ABI0 code at fn with memcpyish's stack arguments (the callee's
// arg+0(FP) is the caller's 8(RSP)). A Go func value cannot do this: it calls
// with the register ABI, and an ABI0 body would read its arguments from stack
// slots the caller never filled.
TEXT ·callMemcpyishAt(SB), NOSPLIT, $32-32
	MOVD dst+8(FP), R0
	MOVD R0, 8(RSP)
	MOVD src+16(FP), R0
	MOVD R0, 16(RSP)
	MOVD n+24(FP), R0
	MOVD R0, 24(RSP)
	MOVD fn+0(FP), R0
	CALL (R0)
	RET
