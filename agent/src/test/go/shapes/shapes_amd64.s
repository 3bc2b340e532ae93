// Resolver stubs and data words for the shapes fixture, amd64.
// See ../README.md for what each one is meant to exercise.

#include "textflag.h"

// func body(n uintptr) uintptr: what every correct resolver yields.
TEXT ·body(SB), NOSPLIT, $0-16
	MOVQ n+0(FP), AX
	INCQ AX
	MOVQ AX, ret+8(FP)
	RET

// func elsewhere(n uintptr) uintptr: what the wrong resolvers yield.
TEXT ·elsewhere(SB), NOSPLIT, $0-16
	MOVQ n+0(FP), AX
	DECQ AX
	MOVQ AX, ret+8(FP)
	RET

// A frame the stub does not need, written out of habit: ret+0(FP) moves up.
TEXT ·addrOfBodyFrame8(SB), NOSPLIT, $8-8
	MOVQ $·body(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// Without NOSPLIT: the assembler marks a small leaf frame NOSPLIT itself.
TEXT ·addrOfBodyFrame16(SB), $16-8
	MOVQ $·body(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// A CALL makes it no leaf, so even a small frame gets the stack-split check.
TEXT ·addrOfBodyFrame16Split(SB), $16-8
	MOVQ $·body(SB), AX
	MOVQ AX, ret+0(FP)
	RET
	CALL ·elsewhere(SB)

// A frame above StackSmall: the stack-split prologue, and a spill through a local.
TEXT ·addrOfBodyFrame200(SB), $200-8
	LEAQ ·body(SB), AX
	MOVQ AX, local-8(SP)
	MOVQ local-8(SP), BX
	MOVQ BX, ret+0(FP)
	RET

TEXT ·addrOfBodyFrame200NoSplit(SB), NOSPLIT, $200-8
	LEAQ ·body(SB), AX
	MOVQ AX, local-8(SP)
	MOVQ local-8(SP), BX
	MOVQ BX, ret+0(FP)
	RET

// Spills through a local and clobbers the register in between.
TEXT ·addrOfBodySpill16(SB), NOSPLIT, $16-8
	MOVQ $·body(SB), AX
	MOVQ AX, a-8(SP)
	MOVQ $0, AX
	MOVQ a-8(SP), CX
	MOVQ CX, ret+0(FP)
	RET

// Wrong: yields elsewhere, from a framed stub.
TEXT ·addrOfWrongFrame16(SB), $16-8
	MOVQ $·elsewhere(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// Wrong: yields elsewhere, through the split prologue and a local.
TEXT ·addrOfWrongFrame200(SB), $200-8
	LEAQ ·elsewhere(SB), AX
	MOVQ AX, local-8(SP)
	MOVQ local-8(SP), BX
	MOVQ BX, ret+0(FP)
	RET

// Wrong: keeps body in one local and elsewhere in another, and returns the second.
TEXT ·addrOfWrongLocal(SB), NOSPLIT, $16-8
	LEAQ ·body(SB), AX
	MOVQ AX, a-8(SP)
	LEAQ ·elsewhere(SB), AX
	MOVQ AX, b-16(SP)
	MOVQ b-16(SP), CX
	MOVQ CX, ret+0(FP)
	RET

// Real control flow before the return: which value it yields depends on a branch.
TEXT ·addrOfBranchy(SB), NOSPLIT, $0-8
	LEAQ ·body(SB), AX
	TESTQ AX, AX
	JNE done
	LEAQ ·elsewhere(SB), AX
done:
	MOVQ AX, ret+0(FP)
	RET
