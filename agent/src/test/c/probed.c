/*
 * A C program that speaks the probe protocol through probe/c/verifarm_probe.h: it reports what
 * its resolver yields and copies the resolved function's text into a fresh executable mapping,
 * as the Go fixtures do through the Go library. ProbeLibraryTest builds it with gcc and
 * aarch64-linux-gnu-gcc and checks it natively.
 */
#include "verifarm_probe.h"

#include <sys/mman.h>

/* The function the resolver is meant to yield; noinline keeps it a function of its own. */
__attribute__((noinline)) unsigned long leaf(unsigned long n) {
    return n * 3 + 1;
}

/* A resolver: yields the address of leaf, as a table of entry points would. */
__attribute__((noinline)) uintptr_t addr_of_leaf(void) {
    return (uintptr_t) &leaf;
}

/* Another function, which a wrong resolver yields. */
__attribute__((noinline)) unsigned long other(unsigned long n) {
    return n + 7;
}

/* A wrong resolver: yields other instead of leaf. */
__attribute__((noinline)) uintptr_t addr_of_other(void) {
    return (uintptr_t) &other;
}

int main(void) {
    if (!verifarm_probe_enabled()) {
        printf("probed: leaf(1) = %lu, other(1) = %lu; set VERIFARM_PROBE=1 for probe mode\n", leaf(1), other(1));
        return 0;
    }
    verifarm_probe_resolve("addr_of_leaf", addr_of_leaf());
    verifarm_probe_resolve("addr_of_other", addr_of_other());
    /* copy 16 bytes of leaf, to exercise the copy line; a C program knows no function's end */
    void *dst = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (dst == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    memcpy(dst, (const void *) addr_of_leaf(), 16);
    verifarm_probe_copy("addr_of_leaf", addr_of_leaf(), (uintptr_t) dst, 16);
    verifarm_probe_ready();
    return 0;
}
