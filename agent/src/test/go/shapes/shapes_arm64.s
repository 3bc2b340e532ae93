// Resolver stubs and data words for the shapes fixture, arm64.
// See ../README.md for what each one is meant to exercise.

#include "textflag.h"

// func body(n uintptr) uintptr: what every correct resolver yields.
TEXT ·body(SB), NOSPLIT, $0-16
	MOVD n+0(FP), R0
	ADD $1, R0
	MOVD R0, ret+8(FP)
	RET

// func elsewhere(n uintptr) uintptr: what the wrong resolvers yield.
TEXT ·elsewhere(SB), NOSPLIT, $0-16
	MOVD n+0(FP), R0
	SUB $1, R0
	MOVD R0, ret+8(FP)
	RET

// A frame the stub does not need, written out of habit: ret+0(FP) moves up.
TEXT ·addrOfBodyFrame8(SB), NOSPLIT, $8-8
	MOVD $·body(SB), R0
	MOVD R0, ret+0(FP)
	RET

// Without NOSPLIT: the assembler marks a small leaf frame NOSPLIT itself.
TEXT ·addrOfBodyFrame16(SB), $16-8
	MOVD $·body(SB), R0
	MOVD R0, ret+0(FP)
	RET

// A CALL makes it no leaf, so even a small frame gets the stack-split check.
TEXT ·addrOfBodyFrame16Split(SB), $16-8
	MOVD $·body(SB), R0
	MOVD R0, ret+0(FP)
	RET
	CALL ·elsewhere(SB)

// A frame above StackSmall: the stack-split prologue, and a spill through a local.
TEXT ·addrOfBodyFrame200(SB), $200-8
	MOVD $·body(SB), R0
	MOVD R0, local-8(SP)
	MOVD local-8(SP), R1
	MOVD R1, ret+0(FP)
	RET

TEXT ·addrOfBodyFrame200NoSplit(SB), NOSPLIT, $200-8
	MOVD $·body(SB), R0
	MOVD R0, local-8(SP)
	MOVD local-8(SP), R1
	MOVD R1, ret+0(FP)
	RET

// Spills through a local and clobbers the register in between.
TEXT ·addrOfBodySpill16(SB), NOSPLIT, $16-8
	MOVD $·body(SB), R0
	MOVD R0, a-8(SP)
	MOVD $0, R0
	MOVD a-8(SP), R2
	MOVD R2, ret+0(FP)
	RET

// Wrong: yields elsewhere, from a framed stub.
TEXT ·addrOfWrongFrame16(SB), $16-8
	MOVD $·elsewhere(SB), R0
	MOVD R0, ret+0(FP)
	RET

// Wrong: yields elsewhere, through the split prologue and a local.
TEXT ·addrOfWrongFrame200(SB), $200-8
	MOVD $·elsewhere(SB), R0
	MOVD R0, local-8(SP)
	MOVD local-8(SP), R1
	MOVD R1, ret+0(FP)
	RET

// Wrong: keeps body in one local and elsewhere in another, and returns the second.
TEXT ·addrOfWrongLocal(SB), NOSPLIT, $16-8
	MOVD $·body(SB), R0
	MOVD R0, a-8(SP)
	MOVD $·elsewhere(SB), R0
	MOVD R0, b-16(SP)
	MOVD b-16(SP), R2
	MOVD R2, ret+0(FP)
	RET

// Real control flow before the return: which value it yields depends on a branch.
TEXT ·addrOfBranchy(SB), NOSPLIT, $0-8
	MOVD $·body(SB), R0
	CBNZ R0, done
	MOVD $·elsewhere(SB), R0
done:
	MOVD R0, ret+0(FP)
	RET
