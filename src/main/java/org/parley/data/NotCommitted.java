package org.parley.data;

/**
 * A write transaction lost its server before it asked to commit: the server rolls back what it had, so nothing
 * of it was written. (A connection lost during COMMIT is the one case that cannot tell, and is never wrapped in
 * this.) Lets a caller that could redo the write elsewhere — the comment spool — know that it may.
 */
public final class NotCommitted extends RuntimeException {
    public NotCommitted(RuntimeException cause) {
        super("the transaction's server went away before the commit: nothing was written", cause, false, false);
    }

    /** Whether {@code e}, or a cause of it, says a transaction failed this way. */
    public static boolean in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NotCommitted) {
                return true;
            }
        }
        return false;
    }
}
