package dev.verifarm.agent.check.hazard;

import dev.verifarm.agent.check.Artifact;
import dev.verifarm.agent.check.Hazard;
import dev.verifarm.agent.check.HazardReference;
import dev.verifarm.agent.check.HazardScope;
import dev.verifarm.agent.check.Location;
import dev.verifarm.agent.elf.DataWord;
import dev.verifarm.agent.elf.DataWords;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.gosym.GoBuildInfo;
import dev.verifarm.agent.gosym.GoPackages;
import dev.verifarm.agent.isa.AddressSet;
import dev.verifarm.agent.symbols.GoFunction;
import dev.verifarm.agent.symbols.SymbolOffset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Finds, with no expectation given, every assembly function whose Go func value the binary takes: the data words
 * that hold its ABI wrapper's entry (Go's func values), and the code and data that take those words or the entry
 * itself. Whoever uses such a value as an address guards or copies the wrapper, not the body.
 */
public final class HazardScan {

    /** References listed per hazard; the rest are counted, so a hostile file cannot make a report unbounded. */
    static final int MAX_LISTED = 64;

    private HazardScan() {
    }

    public static List<Hazard> run(Artifact artifact) throws ElfFormatException {
        // Which functions are wrapped assembly takes decoding; the data is searched meanwhile for a superset.
        CompletableFuture<Map<Long, GoFunction>> wrapped =
                CompletableFuture.supplyAsync(() -> WrappedAssembly.byWrapperEntry(artifact));
        Set<Long> candidates = WrappedAssembly.candidateEntries(artifact);
        DataWords words = DataWords.of(artifact.elf());
        List<DataWord> candidateWords = candidates.isEmpty() ? List.of() : words.pointingAt(candidates);
        Map<Long, GoFunction> byEntry = wrapped.join();
        if (byEntry.isEmpty()) {
            return List.of();
        }
        Map<Long, GoFunction> byWord = new HashMap<>();
        for (DataWord w : candidateWords) {
            // Go 1.2-1.17 function tables list every entry: those are no func values
            if (byEntry.containsKey(w.value()) && !w.section().endsWith(".gopclntab")) {
                byWord.put(w.address(), byEntry.get(w.value()));
            }
        }
        // The data that holds func values and the code that takes them are found side by side: both read the
        // whole of their sections, and neither needs the other.
        CompletableFuture<List<DataWord>> holders = CompletableFuture.supplyAsync(() -> holders(words, byWord.keySet()));
        List<Long> targets = new ArrayList<>(byWord.keySet());
        targets.addAll(byEntry.keySet());
        List<CodeTakers.Taker> takers = CodeTakers.find(artifact, AddressSet.of(targets));
        Map<GoFunction, Found> found = new HashMap<>();
        byWord.forEach((word, f) -> found.computeIfAbsent(f, k -> new Found()).words.add(word));
        for (DataWord holder : join(holders)) {
            String taker = dataName(artifact, holder.address());
            found.computeIfAbsent(byWord.get(holder.value()), k -> new Found()).add(new HazardReference("data",
                    artifact.locate(holder.address()), taker, Optional.empty(), holder.value()), taker);
        }
        for (CodeTakers.Taker taker : takers) {
            for (CodeTakers.Ref ref : taker.refs()) {
                boolean entry = byEntry.containsKey(ref.target());
                GoFunction f = entry ? byEntry.get(ref.target()) : byWord.get(ref.target());
                Found into = found.computeIfAbsent(f, k -> new Found());
                into.add(new HazardReference(entry ? "code-entry" : "code", artifact.locate(ref.instruction().address()),
                        taker.name(), Optional.of(ref.instruction()), ref.target()), taker.name());
                taker.addressUsers().forEach(u -> into.addressUse(taker.name() + " calls " + u));
                if (taker.loads().contains(ref.target())) {
                    into.addressUse(taker.name() + " loads the func value's entry as an integer");
                }
            }
        }
        Scoping scoping = new Scoping(new GoPackages(GoBuildInfo.modulePaths(artifact.elf())));
        List<Hazard> out = new ArrayList<>();
        found.entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> a.name().compareTo(b.name())))
                .forEach(e -> out.add(e.getValue().hazard(artifact, e.getKey(), scoping)));
        return out;
    }

    private static List<DataWord> holders(DataWords words, Set<Long> funcValueWords) {
        try {
            return words.pointingAt(funcValueWords);
        } catch (ElfFormatException e) {
            throw new CompletionException(e);
        }
    }

    private static List<DataWord> join(CompletableFuture<List<DataWord>> holders) throws ElfFormatException {
        try {
            return holders.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ElfFormatException format) {
                throw format;
            }
            throw e;
        }
    }

    /** A data taker's name: its .symtab symbol, else section+offset. */
    private static String dataName(Artifact artifact, long address) {
        Optional<SymbolOffset> s = artifact.symbols().locate(address);
        if (s.isEmpty()) {
            return "0x" + Long.toHexString(address);
        }
        return s.get().symbol().startsWith(".") ? s.get().toString() : s.get().symbol();
    }

    /** What the scan found for one function, as it goes. */
    private static final class Found {
        final List<Long> words = new ArrayList<>();
        final List<HazardReference> references = new ArrayList<>();
        final Set<String> takers = new TreeSet<>();
        final Set<String> addressUses = new TreeSet<>();
        int unlisted;

        void add(HazardReference reference, String taker) {
            if (references.size() < MAX_LISTED) {
                references.add(reference);
            } else {
                unlisted++;
            }
            takers.add(taker);
        }

        void addressUse(String why) {
            addressUses.add(why);
        }

        Hazard hazard(Artifact artifact, GoFunction f, Scoping scoping) {
            Scoping.Decision scope = scoping.decide(f.name(), takers);
            List<String> takenIn = takers.stream().limit(MAX_LISTED).toList();
            List<Location> wordLocations = words.stream().sorted().limit(MAX_LISTED).map(artifact::locate).toList();
            Optional<String> used = addressUses.isEmpty() ? Optional.empty()
                    : Optional.of("likely: " + String.join("; ", addressUses));
            return new Hazard(f.name(), scope.scope(), scope.reason(), takenIn, artifact.locate(f.body().address()),
                    artifact.locate(f.wrapper().orElseThrow().address()), wordLocations, references, unlisted, used,
                    scope.scope() == HazardScope.USER ? Optional.of(ResolverStubFix.of(f.name())) : Optional.empty());
        }
    }
}
