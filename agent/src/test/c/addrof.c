/*
 * Resolver stubs in C, for the address-materialising forms Go's own linker does not emit: compiled by
 * gcc as position-independent code linked with --no-relax, addr_of_target loads target_fn's address from
 * a GOT slot that a dynamic relocation fills; without PIC it is an absolute MOV (amd64) or, with
 * -mcmodel=large, MOVABS (amd64) and a literal-pool LDR (arm64). See CStubFormsTest.
 */
void target_fn(void) { __asm__ volatile(""); }
void other_fn(void) { __asm__ volatile(""); }
void *addr_of_target(void) { return (void *)&target_fn; }
int main(void) { return addr_of_target() == (void *)&other_fn; }
