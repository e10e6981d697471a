package io.callhook.serde;

import java.net.URI;
import java.util.Map;

/**
 * How to reach the schema registry, from config keys {@code callhook.registry.*}.
 *
 * @param url          base URL of the Apicurio registry (without {@code /apis/...})
 * @param autoRegister whether serializers register the schema of what they write
 */
public record RegistryConfig(String url, boolean autoRegister) {

    public static final String URL = "callhook.registry.url";
    public static final String AUTO_REGISTER = "callhook.registry.auto-register";

    public RegistryConfig {
        url = validUrl(url);
    }

    public static RegistryConfig fromConfig(Map<String, String> config) {
        String autoRegister = config.getOrDefault(AUTO_REGISTER, "true");
        if (!autoRegister.equals("true") && !autoRegister.equals("false")) {
            throw new IllegalArgumentException(AUTO_REGISTER + " = '" + autoRegister + "' must be true or false");
        }
        return new RegistryConfig(config.get(URL), Boolean.parseBoolean(autoRegister));
    }

    /** The registry's native v2 API, which Apicurio's serdes talk to. */
    public String apiUrl() {
        return url + "/apis/registry/v2";
    }

    private static String validUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(URL + " is required (base URL of the schema registry, e.g. http://127.0.0.1:8081)");
        }
        String stripped = url.strip();
        URI uri;
        try {
            uri = URI.create(stripped);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(URL + " = '" + url + "' is not a valid URL: " + e.getMessage(), e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(URL + " = '" + url + "' must be an absolute http(s) URL");
        }
        return stripped.endsWith("/") ? stripped.substring(0, stripped.length() - 1) : stripped;
    }
}
