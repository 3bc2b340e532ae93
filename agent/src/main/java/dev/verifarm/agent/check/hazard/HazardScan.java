package dev.verifarm.agent.check.hazard;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.vocabulary.Hazard;
import dev.verifarm.agent.check.vocabulary.HazardReference;
import dev.verifarm.agent.check.vocabulary.HazardScope;
import dev.verifarm.agent.check.vocabulary.Location;
import dev.verifarm.agent.elf.DataWord;
import dev.verifarm.agent.elf.DataWords;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.gosym.GoBuildInfo;
import dev.verifarm.agent.gosym.GoPackages;
import dev.verifarm.agent.isa.AddressSet;
import dev.verifarm.agent.symbols.GoFunction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Finds, with no expectation given, every assembly function whose Go func value the binary takes: the data words
 * that hold its ABI wrapper's entry (Go's func values), and the code and data that take those words or the entry
 * itself. Whoever uses such a value as an address guards or copies the wrapper, not the body.
 */
public final class HazardScan {

    /** References listed per hazard; the rest are counted, so a hostile file cannot make a report unbounded. */
    static final int MAX_LISTED = 64;
    /**
     * Where the data is searched beside the main thread's work: threads of the scan's own, since the common pool
     * (one thread on two cores) is busy hashing the file for the report while the scan begins.
     */
    private static final Executor BESIDE = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hazard-scan");
        t.setDaemon(true);
        return t;
    });

    private HazardScan() {
    }

    public static List<Hazard> run(Artifact artifact) throws ElfFormatException {
        // Which functions are wrapped assembly takes decoding; the data is searched meanwhile for a superset.
        DataWords words = DataWords.of(artifact.elf());
        Set<Long> candidates = WrappedAssembly.candidateEntries(artifact);
        CompletableFuture<List<DataWord>> candidateWords = CompletableFuture.supplyAsync(
                () -> pointingAt(words, candidates), BESIDE);
        Map<Long, GoFunction> byEntry = WrappedAssembly.byWrapperEntry(artifact);
        if (byEntry.isEmpty()) {
            candidateWords.cancel(false);
            return List.of();
        }
        Map<Long, GoFunction> byWord = new HashMap<>();
        for (DataWord w : join(candidateWords)) {
            // Go 1.2-1.17 function tables list every entry: those are no func values
            if (byEntry.containsKey(w.value()) && !w.section().endsWith(".gopclntab")) {
                byWord.put(w.address(), byEntry.get(w.value()));
            }
        }
        // The data that holds func values and the code that takes them are found side by side: both read the
        // whole of their sections, and neither needs the other.
        CompletableFuture<List<DataWord>> holders = CompletableFuture.supplyAsync(
                () -> pointingAt(words, byWord.keySet()), BESIDE);
        List<Long> targets = new ArrayList<>(byWord.keySet());
        targets.addAll(byEntry.keySet());
        List<CodeTakers.Taker> takers = CodeTakers.find(artifact, AddressSet.of(targets));
        Map<GoFunction, Found> found = new HashMap<>();
        byWord.forEach((word, f) -> found.computeIfAbsent(f, k -> new Found()).words.add(word));
        List<DataWord> holderWords = join(holders);
        HolderNames holderNames = HolderNames.of(artifact, words, holderWords);
        for (DataWord holder : holderWords) {
            String taker = holderNames.name(holder.address());
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

    private static List<DataWord> pointingAt(DataWords words, Set<Long> values) {
        try {
            return values.isEmpty() ? List.of() : words.pointingAt(values);
        } catch (ElfFormatException e) {
            throw new CompletionException(e);
        }
    }

    private static List<DataWord> join(CompletableFuture<List<DataWord>> search) throws ElfFormatException {
        try {
            return search.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ElfFormatException format) {
                throw format;
            }
            throw e;
        }
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
