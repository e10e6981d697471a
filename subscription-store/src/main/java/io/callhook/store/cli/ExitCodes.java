package io.callhook.store.cli;

/** The exit codes of {@code callhook-cli}, which scripts rely on. */
public final class ExitCodes {

    /** The request succeeded. */
    public static final int OK = 0;
    /** The store could not be reached, answered 5xx or something else unexpected. */
    public static final int FAILED = 1;
    /** The command line was wrong; picocli uses the same code for its own parse errors. */
    public static final int USAGE = 2;
    /** The store refused the request (4xx): bad input, bad token, unknown subscription. */
    public static final int REFUSED = 3;

    private ExitCodes() {
    }
}
