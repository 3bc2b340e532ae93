// Assembly (ABI0) functions for the stubs fixture, amd64.
// See ../README.md for what each one is meant to exercise.

#include "textflag.h"

// func memcpyish(dst, src unsafe.Pointer, n uintptr)
// A leaf byte-copy loop: its only branches stay inside the function,
// so a copy of its text runs anywhere.
TEXT ·memcpyish(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
loop:
	TESTQ CX, CX
	JEQ done
	MOVB (SI), AX
	MOVB AX, (DI)
	INCQ SI
	INCQ DI
	DECQ CX
	JMP loop
done:
	RET

// func addrOfMemcpyish() uintptr
// The correct resolver stub: an asm→asm reference resolves to the body.
TEXT ·addrOfMemcpyish(SB), NOSPLIT, $0-8
	LEAQ ·memcpyish(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// func otherLeaf()
TEXT ·otherLeaf(SB), NOSPLIT, $0-0
	RET

// func addrOfWrong() uintptr
// A wrong resolver: it yields otherLeaf, not memcpyish.
TEXT ·addrOfWrong(SB), NOSPLIT, $0-8
	LEAQ ·otherLeaf(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// func helperLeaf()
// Private register convention: AX in, AX = AX & 7 out. Never call it from Go.
TEXT ·helperLeaf(SB), NOSPLIT, $0-0
	ANDQ $7, AX
	RET

// func escaping(n uintptr) uintptr
// Returns table[n&7] + table[0]. Its text calls helperLeaf (CALL rel32) and
// reads the Go variable table (RIP-relative), both outside itself, so a copy
// of it is not relocatable.
TEXT ·escaping(SB), NOSPLIT, $0-16
	MOVQ n+0(FP), AX
	CALL ·helperLeaf(SB)
	LEAQ ·table(SB), BX
	MOVQ (BX)(AX*8), AX
	ADDQ ·table(SB), AX
	MOVQ AX, ret+8(FP)
	RET

// func addrOfEscaping() uintptr
TEXT ·addrOfEscaping(SB), NOSPLIT, $0-8
	LEAQ ·escaping(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// func callMemcpyishAt(fn uintptr, dst, src unsafe.Pointer, n uintptr)
// Calls the ABI0 code at fn with memcpyish's stack arguments. A Go func value
// cannot do this: it calls with the register ABI, and an ABI0 body would read
// its arguments from stack slots the caller never filled.
TEXT ·callMemcpyishAt(SB), NOSPLIT, $24-32
	MOVQ dst+8(FP), AX
	MOVQ AX, 0(SP)
	MOVQ src+16(FP), AX
	MOVQ AX, 8(SP)
	MOVQ n+24(FP), AX
	MOVQ AX, 16(SP)
	MOVQ fn+0(FP), AX
	CALL AX
	RET
