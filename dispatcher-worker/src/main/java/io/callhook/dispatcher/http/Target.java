package io.callhook.dispatcher.http;

import io.callhook.net.UrlHost;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * A webhook URL taken apart for sending: TLS or not, the host as the SSRF guard reads it, the port,
 * and the request target (path and query). Made only by {@link #parse}.
 *
 * <p>Two parsers read the URL and must agree on the host: {@link UrlHost} (the lenient WHATWG
 * reading the SSRF guard uses) and {@link URI} (the strict RFC 3986 reading the subscription API
 * validated the URL with). If they disagree, the URL is refused: any difference between what was
 * checked and what is sent is where SSRF bypasses live. The connection itself always goes to the
 * address the guard checked, whatever the text says.
 *
 * @param ssl        https
 * @param host       the host as the SSRF guard reads it: a literal address or a normalised name
 * @param port       explicit, or 80 / 443
 * @param requestUri the raw path (at least "/") and query; the fragment is never sent
 * @param uriHost    the host as written, lower case ({@code [::1]} with brackets), for the Host header of literals
 */
record Target(boolean ssl, UrlHost host, int port, String requestUri, String uriHost) {

    /** The outcome of {@link #parse}. */
    sealed interface Parsed permits Valid, Invalid {
    }

    record Valid(Target target) implements Parsed {
    }

    record Invalid(String reason) implements Parsed {
    }

    Target {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(requestUri, "requestUri");
        Objects.requireNonNull(uriHost, "uriHost");
    }

    /** Parses a URL whose host reads as {@code UrlHost.ofUrl(url)}. */
    static Parsed parse(String url) {
        return parse(url, UrlHost.ofUrl(url));
    }

    /**
     * Parses a URL whose host has already been read.
     *
     * @param host {@code UrlHost.ofUrl(url)}
     */
    static Parsed parse(String url, UrlHost host) {
        if (host instanceof UrlHost.Invalid invalid) {
            return new Invalid(invalid.reason());
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return new Invalid("not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        if (uri.getRawUserInfo() != null) {
            // The subscription API refuses these too; sending them would leak them in logs and Referer-like places.
            return new Invalid("the URL carries a user name or password; credentials go in headers");
        }
        if (uri.getHost() == null) {
            return new Invalid("the URL's host cannot be read as a server name or address (RFC 3986)");
        }
        if (!UrlHost.ofHost(uri.getHost()).equals(host)) {
            return new Invalid("URL parsers disagree about the host of the URL (" + uri.getHost() + ")");
        }
        boolean ssl = uri.getScheme().toLowerCase(Locale.ROOT).equals("https");
        int port = uri.getPort() == -1 ? (ssl ? 443 : 80) : uri.getPort();
        if (port == 0) {
            return new Invalid("port 0 cannot be connected to");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new Valid(new Target(ssl, host, port, requestUri, uri.getHost().toLowerCase(Locale.ROOT)));
    }
}
