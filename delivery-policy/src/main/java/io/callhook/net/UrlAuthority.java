package io.callhook.net;

import java.util.Locale;

/**
 * Finds the host text in an http(s) URL. Stricter than the WHATWG standard wherever parsers
 * disagree about where the host is, so that every parser that accepts a URL this class accepts
 * finds the same host: "http://evil\@127.0.0.1" and "http://a@b@c" are refused rather than read.
 */
final class UrlAuthority {

    private static final int MAX_PORT = 65_535;

    private UrlAuthority() {
    }

    static UrlHost hostOf(String url) {
        if (url == null || url.isEmpty()) {
            return invalid("URL is empty");
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            // WHATWG drops tabs and newlines and trims spaces; other parsers do not.
            if (c <= ' ' || c == 0x7f) {
                return invalid("URL contains a space or control character at index " + i);
            }
            // WHATWG reads '\' as '/' in http URLs; RFC 3986 parsers keep it in the user info.
            if (c == '\\') {
                return invalid("URL " + HostParser.quote(url) + " contains a backslash");
            }
        }
        int colon = url.indexOf(':');
        String scheme = colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return invalid("URL " + HostParser.quote(url) + " is not an absolute http or https URL");
        }
        // WHATWG also accepts "http:host" and "http:///host"; RFC 3986 parsers read those as paths.
        if (!url.startsWith("//", colon + 1)) {
            return invalid("URL " + HostParser.quote(url) + " must have \"//\" after \"" + scheme + ":\"");
        }
        int start = colon + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return hostOfAuthority(url.substring(start, end));
    }

    private static UrlHost hostOfAuthority(String authority) {
        int at = authority.lastIndexOf('@');
        if (authority.indexOf('@') != at) {
            // WHATWG takes the last '@', some parsers the first.
            return invalid("authority " + HostParser.quote(authority) + " contains more than one '@'");
        }
        String hostPort = authority.substring(at + 1);
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                return invalid("host " + HostParser.quote(hostPort) + " has no closing ']'");
            }
            host = hostPort.substring(0, close + 1);
            String rest = hostPort.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return invalid("authority " + HostParser.quote(hostPort) + " has text after ']' that is not a port");
            }
            port = rest.isEmpty() ? "" : rest.substring(1);
        } else {
            int colon = hostPort.indexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? "" : hostPort.substring(colon + 1);
        }
        if (!isPort(port)) {
            return invalid("port " + HostParser.quote(port) + " is not a number from 0 to " + MAX_PORT);
        }
        return HostParser.parse(host);
    }

    /** Empty (the scheme's default, as WHATWG allows) or 0..65535. */
    private static boolean isPort(String port) {
        if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        return port.isEmpty() || Integer.parseInt(port) <= MAX_PORT;
    }

    private static UrlHost invalid(String reason) {
        return new UrlHost.Invalid(reason);
    }
}
