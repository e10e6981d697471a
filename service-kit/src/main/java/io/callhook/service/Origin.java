package io.callhook.service;

/**
 * Where an effective config value came from, as shown in logs and errors:
 * {@code default}, {@code file /etc/callhook/dispatcher.properties} or {@code env CALLHOOK_OPS_PORT}.
 *
 * @param description the human-readable source
 */
record Origin(String description) {

    static final Origin DEFAULT = new Origin("default");

    static Origin file(String path) {
        return new Origin("file " + path);
    }

    static Origin env(String variable) {
        return new Origin("env " + variable);
    }

    /** The parenthesised form used after a value in an error message. */
    String inError() {
        return this == DEFAULT ? "(default)" : "(from " + description + ")";
    }
}
