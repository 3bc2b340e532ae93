package dev.verifarm.agent.farm;

import io.grpc.ManagedChannel;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The coordinators an agent may talk to, one channel each: any of them serves any agent, since they share one
 * database. The agent uses one at a time and moves to the next when its stream breaks, so the agents of a
 * coordinator that died finish their leases through another. One load-balanced name is a list of one: the
 * balancer then picks.
 */
final class Coordinators {
    private final List<CoordinatorAddress> addresses;
    private final List<ManagedChannel> channels;
    private int current;

    Coordinators(List<CoordinatorAddress> addresses, List<ManagedChannel> channels) {
        if (addresses.isEmpty() || addresses.size() != channels.size()) {
            throw new IllegalArgumentException("one channel per coordinator address, and at least one");
        }
        this.addresses = List.copyOf(addresses);
        this.channels = List.copyOf(channels);
    }

    /** Opens a channel to each coordinator of {@code options}. */
    static Coordinators open(RunOptions options) {
        return new Coordinators(options.coordinators(), options.coordinators().stream()
                .map(address -> CoordinatorChannel.open(options, address)).toList());
    }

    synchronized ManagedChannel channel() {
        return channels.get(current);
    }

    synchronized CoordinatorAddress address() {
        return addresses.get(current);
    }

    /** Moves to the next coordinator, round the list; returns its address. */
    synchronized CoordinatorAddress next() {
        current = (current + 1) % channels.size();
        return addresses.get(current);
    }

    void shutdown(long timeout, TimeUnit unit) throws InterruptedException {
        channels.forEach(ManagedChannel::shutdown);
        for (ManagedChannel channel : channels) {
            channel.awaitTermination(timeout, unit);
        }
    }
}
