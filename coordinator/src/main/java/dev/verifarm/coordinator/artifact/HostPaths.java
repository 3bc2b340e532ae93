package dev.verifarm.coordinator.artifact;

import dev.verifarm.coordinator.problem.ContractInput;
import dev.verifarm.coordinator.problem.InvalidInputException;

/** A host path as a request gives it: the contract's rule, refusals naming the request's field. */
public final class HostPaths {
    private HostPaths() {
    }

    /** A host path names no architecture the coordinator could learn: the one refusal of every face. */
    public static InvalidInputException architectureMissing(String field) {
        return new InvalidInputException(field, "a host path needs its architecture, AMD64 or ARM64: the coordinator"
                + " cannot read the agents' files");
    }

    /** The contract's rule ({@link dev.verifarm.contract.HostPaths}), a refusal naming {@code field}. */
    public static String require(String field, String path) {
        return ContractInput.at(field, () -> dev.verifarm.contract.HostPaths.require(path));
    }
}
