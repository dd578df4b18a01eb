package org.parley.config;

/**
 * Parley cannot start; the message is one sentence for the operator saying what to fix. Main prints it
 * without a stack trace (the cause is logged at DEBUG) and exits non-zero.
 */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The innermost cause's message: usually the one that names the real problem ("Connection refused"). */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
