package dev.verifarm.agent.symbols;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Go function as a resolver should see it: its assembly body and, when the linker made one, the
 * ABIInternal-to-ABI0 wrapper that Go code gets when it takes the function's value.
 *
 * @param name       the Go name ({@code main.memcpyish})
 * @param body       the body ({@code main.memcpyish.abi0} in .symtab)
 * @param wrapper    the ABI wrapper ({@code main.memcpyish}), if any
 * @param pclntabEnd the body's .gopclntab end, what gVisor's FindEndAddress computes
 * @param toldApartBy how body and wrapper were told apart
 */
public record GoFunction(String name, CodeSymbol body, Optional<CodeSymbol> wrapper, OptionalLong pclntabEnd,
                         String toldApartBy) {
}
