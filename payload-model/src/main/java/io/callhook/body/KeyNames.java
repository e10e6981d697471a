package io.callhook.body;

/**
 * The rule for names customers choose (renamed keys, static parameter names). It keeps names
 * safe in every format: nothing to escape in JSON, and no brackets or dots that a form parser
 * would read as nesting.
 */
final class KeyNames {

    static final int MAX_LENGTH = 64;
    static final String RULE = "1 to 64 ASCII letters, digits, '_' or '-', starting with a letter or '_'";

    private KeyNames() {
    }

    static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        char first = name.charAt(0);
        if (!isAsciiLetter(first) && first != '_') {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
