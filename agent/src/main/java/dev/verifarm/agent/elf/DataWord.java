package dev.verifarm.agent.elf;

/**
 * An 8-byte word of an allocated data section as the loaded image holds it.
 *
 * @param section the section that holds it ({@code .rodata}, {@code .data.rel.ro}, ...)
 * @param address its virtual address, as linked (a PIE adds its load bias at run time)
 * @param value   its value as linked: the file's bytes, or in a PIE the addend of the
 *                {@code R_*_RELATIVE} relocation that fills it (the file holds zero there)
 */
public record DataWord(String section, long address, long value) {
}
