// Data words for the shapes fixture, the same on every architecture: the
// assembler's DATA directive needs no instructions. See ../README.md.

#include "textflag.h"

// Data words holding code addresses, as golang.org/x/sys writes its trampoline addresses.
GLOBL ·bodyAddr(SB), RODATA, $8
DATA ·bodyAddr(SB)/8, $·body(SB)
GLOBL ·bodyAddrNoptr(SB), NOPTR, $8
DATA ·bodyAddrNoptr(SB)/8, $·body(SB)
GLOBL ·elsewhereAddr(SB), RODATA, $8
DATA ·elsewhereAddr(SB)/8, $·elsewhere(SB)
GLOBL ·insideAddr(SB), RODATA, $8
DATA ·insideAddr(SB)/8, $·body+4(SB)
