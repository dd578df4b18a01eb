package org.parley.ops;

import org.parley.data.Databases;
import org.parley.data.PrimaryCircuit;

import java.util.List;
import java.util.Optional;

/**
 * Readiness means "this instance can serve": it has started (Jetty answers only once everything is wired) and is
 * not draining. It deliberately does not mean "the database answers": a database outage is shared by every
 * instance, and failing readiness for it would take all of them out of the balancer at once, turning an outage
 * of writes into an outage of everything — while the cache could still serve pages ({@code docs/operations.md}).
 * So a readiness check does no I/O, takes no pool connection and cannot be slowed by a slow server: it reads two
 * flags. What the databases are doing is reported beside it, for people.
 */
public final class Health {
    /** What /readyz reports: ready or not, the reason when not, and notes that do not change the answer. */
    public record Readiness(boolean ready, Optional<String> reason, List<String> notes) {
    }

    private final Drain drain;
    private final Databases databases;

    public Health(Drain drain, Databases databases) {
        this.drain = drain;
        this.databases = databases;
    }

    public Readiness readiness() {
        List<String> notes = databases.circuits().stream()
                .map(PrimaryCircuit::status)
                .flatMap(Optional::stream)
                .map(status -> status + " — cached pages are served, what needs it answers 503")
                .toList();
        if (drain.draining()) {
            return new Readiness(false, Optional.of("draining: this instance is stopping"), notes);
        }
        return new Readiness(true, Optional.empty(), notes);
    }
}
