package dev.verifarm.agent.check.vocabulary;

/**
 * An ABI wrapper found in a binary, beside the body it wraps.
 *
 * @param name       the Go name ({@code main.memcpyish})
 * @param body       the body's location ({@code main.memcpyish.abi0}, or the pclntab entry with the ASM flag)
 * @param wrapper    the wrapper's location
 * @param source     {@code symtab} or {@code pclntab}
 * @param confirmedBy what told them apart: the wrapper's call to the body, the ASM flag, the funcID
 */
public record WrapperPair(String name, Location body, Location wrapper, String source, String confirmedBy) {
}
