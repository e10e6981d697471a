package io.callhook.store.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The subscription page served as the store serves it ({@code webroot/} from the classpath at {@code /}),
 * with an in-memory fake of the {@code /api/v1} endpoints the page calls, following API.md: bearer
 * tokens, account scoping (another account's subscription is a 404), {@code 400 {error, problems}} with
 * each problem starting with its field, {@code 201}/{@code 202}/{@code 204}. Every API request is recorded
 * so a test can assert what the page sent.
 *
 * <p>Tokens: {@link #ADMIN_TOKEN}, and {@link #accountToken(long)} for any account (the fake checks the
 * shape and a fixed signature, not an HMAC).
 */
final class FakeStoreApi implements AutoCloseable {

    static final String ADMIN_TOKEN = "admin-browser-test-token";

    /** Documented key paths a CALLTRACKING subscription may rename (a subset is enough for the fake). */
    static final Set<String> DOCUMENTED_KEYS = Set.of(
            "id", "visit_info", "visit_info.current", "visit_info.first", "visit_info.session.pgs",
            "visit_info.session.cpg", "visit_info.udata.vst", "visit_info.udata.uag", "status_code",
            "status_reason", "status2_code", "status2_reason", "ip", "uip", "country", "city", "region",
            "district", "site", "ga_clientid", "ga_clid", "ya_clientid", "roistat_visit", "phone1", "phone2",
            "widget_hash", "widget_name", "date", "date_timestamp", "order_date", "duration_sec",
            "duration_min", "a_type", "asr_attempts", "attempt", "event_source", "hook_event",
            "playback_tick", "record_url", "tags");

    private static final Set<String> CREATE_FIELDS = Set.of("accountId", "product", "url", "method",
            "contentType", "events", "renames", "params", "headers", "rateLimit");
    private static final Set<String> CONTENT_TYPES = Set.of("application/json", "application/x-www-form-urlencoded");
    private static final Set<String> EVENTS = Set.of("STARTED", "ENDED");
    private static final Set<String> METHODS = Set.of("POST", "GET", "PUT", "PATCH");
    private static final Pattern ACCOUNT_TOKEN = Pattern.compile("ak_(\\d+)_test-sig_(\\d+)");
    private static final Pattern ITEM = Pattern.compile("/api/v1/subscriptions/([^/]+)(/test|/attempts|/secret)?");

    /** One API request as the fake received it. */
    record Request(String method, String path, Map<String, String> query, String authorization,
                   String contentType, String body) {
        Object json() {
            return MiniJson.parse(body);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Object>> subscriptions = new LinkedHashMap<>();
    private final Map<String, List<Map<String, Object>>> attempts = new LinkedHashMap<>();
    private int nextId = 1;
    private long nextTestCall = 9_007_199_254L;

    FakeStoreApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static String accountToken(long accountId) {
        // The signature part holds '_' on purpose: base64url signatures may.
        return "ak_" + accountId + "_test-sig_" + accountId;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ------------------------------------------------------------------ test controls

    synchronized void reset() {
        requests.clear();
        subscriptions.clear();
        attempts.clear();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    /** Adds a subscription directly, as if another client had created it; returns its id. */
    synchronized String seed(long accountId, String product, String url) {
        Map<String, Object> sub = newSubscription(accountId, product, url);
        subscriptions.put((String) sub.get("id"), sub);
        return (String) sub.get("id");
    }

    synchronized Map<String, Object> subscription(String id) {
        Map<String, Object> sub = subscriptions.get(id);
        return sub == null ? null : new LinkedHashMap<>(sub);
    }

    synchronized void set(String id, String field, Object value) {
        subscriptions.get(id).put(field, value);
    }

    @SuppressWarnings("unchecked")
    synchronized void setCounters(String id, long sent, long failed, Integer lastStatus, String lastOutcome) {
        Map<String, Object> counters = (Map<String, Object>) subscriptions.get(id).get("counters");
        counters.put("sent", sent);
        counters.put("failed", failed);
        counters.put("lastStatus", lastStatus == null ? null : lastStatus.longValue());
        counters.put("lastOutcome", lastOutcome);
        counters.put("lastAttemptAt", now());
    }

    synchronized void remove(String id) {
        subscriptions.remove(id);
    }

    /** Adds an attempt as the newest one of the subscription's log. */
    synchronized void addAttempt(String id, Map<String, Object> attempt) {
        attempts.computeIfAbsent(id, k -> new ArrayList<>()).add(0, new LinkedHashMap<>(attempt));
    }

    static Map<String, Object> attempt(String webhookId, int number, String startedAt, String outcome,
                                       Integer status, Integer latencyMs, String errorType, String errorMessage,
                                       String responseExcerpt, long callId, String phase, boolean test) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("attemptId", webhookId + "/" + number);
        a.put("webhookId", webhookId);
        a.put("attemptNumber", (long) number);
        a.put("startedAt", startedAt);
        a.put("outcome", outcome);
        a.put("status", status == null ? null : status.longValue());
        a.put("latencyMs", latencyMs == null ? null : latencyMs.longValue());
        a.put("errorType", errorType);
        a.put("errorMessage", errorMessage);
        a.put("responseExcerpt", responseExcerpt);
        a.put("callId", callId);
        a.put("phase", phase);
        a.put("test", test);
        return a;
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!path.startsWith("/api/")) {
                serveStatic(exchange, path);
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), path, query(exchange.getRequestURI()),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body);
            requests.add(request);
            Answer answer;
            byte[] bytes;
            synchronized (this) {   // written while locked: the test thread changes the same maps
                answer = api(request);
                bytes = answer.body == null ? new byte[0] : MiniJson.write(answer.body).getBytes(StandardCharsets.UTF_8);
            }
            if (answer.body != null) exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(answer.status, answer.body == null ? -1 : bytes.length);
            if (answer.body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private static void serveStatic(HttpExchange exchange, String path) throws IOException {
        String name = path.equals("/") ? "index.html" : path.substring(1);
        InputStream in = name.contains("..") ? null
                : FakeStoreApi.class.getClassLoader().getResourceAsStream("webroot/" + name);
        if (in == null || !exchange.getRequestMethod().equals("GET")) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        byte[] bytes;
        try (in) {
            bytes = in.readAllBytes();
        }
        String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                : name.endsWith(".js") ? "text/javascript; charset=utf-8"
                : name.endsWith(".css") ? "text/css; charset=utf-8"
                : "application/octet-stream";
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private record Answer(int status, Object body) {}

    private static Answer error(int status, String message) {
        return new Answer(status, Map.of("error", message));
    }

    private Answer api(Request request) {
        Long tokenAccount;   // null: admin
        String auth = request.authorization();
        if (auth == null || !auth.startsWith("Bearer ")) return error(401, "missing or invalid bearer token");
        String token = auth.substring("Bearer ".length());
        Matcher m = ACCOUNT_TOKEN.matcher(token);
        if (token.equals(ADMIN_TOKEN)) {
            tokenAccount = null;
        } else if (m.matches() && m.group(1).equals(m.group(2))) {
            tokenAccount = Long.parseLong(m.group(1));
        } else {
            return error(401, "missing or invalid bearer token");
        }

        String method = request.method();
        String path = request.path();
        if (path.equals("/api/v1/subscriptions")) {
            if (method.equals("GET")) return list(request, tokenAccount);
            if (method.equals("POST")) return create(request, tokenAccount);
            return error(405, "method not allowed");
        }
        Matcher item = ITEM.matcher(path);
        if (!item.matches()) return error(404, "no such endpoint " + path);
        String id = URLDecoder.decode(item.group(1), StandardCharsets.UTF_8);
        Map<String, Object> sub = subscriptions.get(id);
        if (sub == null || (tokenAccount != null && !tokenAccount.equals(sub.get("accountId")))) {
            return error(404, "subscription " + id + " not found");
        }
        String action = item.group(2) == null ? "" : item.group(2);
        switch (method + " " + action) {
            case "GET ":
                return new Answer(200, withoutSecret(sub));
            case "GET /secret": {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("id", id);
                answer.put("secret", sub.get("secret"));
                answer.put("previousSecretExpiresAt", sub.get("previousSecretExpiresAt"));
                return new Answer(200, answer);
            }
            case "DELETE ":
                subscriptions.remove(id);
                attempts.remove(id);
                return new Answer(204, null);
            case "POST /test": {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("testCallId", nextTestCall++);
                answer.put("events", sub.get("events"));
                return new Answer(202, answer);
            }
            case "GET /attempts": {
                int limit = Integer.parseInt(request.query().getOrDefault("limit", "50"));
                List<Map<String, Object>> log = attempts.getOrDefault(id, List.of());
                return new Answer(200, Map.of("attempts", log.subList(0, Math.min(limit, log.size()))));
            }
            default:
                return error(405, "method not allowed");
        }
    }

    private Answer list(Request request, Long tokenAccount) {
        String accountParam = request.query().get("accountId");
        Long account;
        if (accountParam == null) {
            if (tokenAccount == null) {
                return new Answer(400, Map.of("error", "invalid request", "problems", List.of("accountId: required with the admin token")));
            }
            account = tokenAccount;
        } else {
            try {
                account = Long.parseLong(accountParam);
            } catch (NumberFormatException e) {
                return new Answer(400, Map.of("error", "invalid request", "problems", List.of("accountId: must be a number")));
            }
            if (tokenAccount != null && !tokenAccount.equals(account)) {
                return error(404, "account " + account + " not found");   // as if it did not exist
            }
        }
        List<Map<String, Object>> mine = subscriptions.values().stream()
                .filter(s -> account.equals(s.get("accountId"))).map(FakeStoreApi::withoutSecret).toList();
        return new Answer(200, Map.of("subscriptions", mine));
    }

    @SuppressWarnings("unchecked")
    private Answer create(Request request, Long tokenAccount) {
        String type = request.contentType() == null ? "" : request.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json")) return error(415, "body must be JSON");
        Object parsed;
        try {
            parsed = MiniJson.parse(request.body());
        } catch (IllegalArgumentException e) {
            return error(400, "body is not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) return error(400, "body must be a JSON object");
        Map<String, Object> in = (Map<String, Object>) parsed;
        List<String> problems = new ArrayList<>();
        for (String field : in.keySet()) {
            if (!CREATE_FIELDS.contains(field)) problems.add(field + ": unknown field");
        }
        Object accountId = in.get("accountId");
        if (!(accountId instanceof Long)) problems.add("accountId: required, a number");
        else if (tokenAccount != null && !tokenAccount.equals(accountId)) problems.add("accountId: not the token's account");
        Object product = in.get("product");
        if (!"CALLKEEPER".equals(product) && !"CALLTRACKING".equals(product)) {
            problems.add("product: must be CALLKEEPER or CALLTRACKING");
        }
        Object url = in.get("url");
        if (!(url instanceof String u) || !absoluteHttp(u)) problems.add("url: must be an absolute http or https URL");
        Object method = in.getOrDefault("method", "POST");
        if (!METHODS.contains(method)) problems.add("method: must be POST, GET, PUT or PATCH");
        Object contentType = in.getOrDefault("contentType", "application/json");
        if (!CONTENT_TYPES.contains(contentType)) problems.add("contentType: must be application/json or application/x-www-form-urlencoded");
        Object events = in.getOrDefault("events", List.of("STARTED", "ENDED"));
        if (!(events instanceof List<?> list) || list.isEmpty() || !EVENTS.containsAll(list)) {
            problems.add("events: a non-empty subset of STARTED, ENDED");
        }
        Object renames = in.getOrDefault("renames", Map.of());
        if (!(renames instanceof Map<?, ?> renameMap)) {
            problems.add("renames: must be an object");
        } else {
            for (Map.Entry<?, ?> e : renameMap.entrySet()) {
                if (!DOCUMENTED_KEYS.contains(e.getKey())) problems.add("renames: " + e.getKey() + " is not a documented key");
                if (!(e.getValue() instanceof String s) || s.isBlank()) problems.add("renames: " + e.getKey() + " needs a new name");
            }
        }
        Object params = in.getOrDefault("params", Map.of());
        if (!(params instanceof Map)) problems.add("params: must be an object");
        if ("CALLKEEPER".equals(product)) {
            if (renames instanceof Map<?, ?> r && !r.isEmpty()) problems.add("renames: must be empty for CALLKEEPER");
            if (!"application/json".equals(contentType)) problems.add("contentType: CALLKEEPER sends JSON only");
        }
        if (!problems.isEmpty()) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("error", "invalid subscription");
            answer.put("problems", problems);
            return new Answer(400, answer);
        }
        Map<String, Object> sub = newSubscription((Long) accountId, (String) product, (String) url);
        sub.put("method", method);
        sub.put("contentType", contentType);
        sub.put("events", events);
        sub.put("renames", renames);
        sub.put("params", params);
        sub.put("headers", in.getOrDefault("headers", Map.of()));
        sub.put("rateLimit", in.get("rateLimit"));
        subscriptions.put((String) sub.get("id"), sub);
        return new Answer(201, sub);
    }

    /** As list and get answer: the secret is shown on create and on request only. */
    private static Map<String, Object> withoutSecret(Map<String, Object> sub) {
        Map<String, Object> shown = new LinkedHashMap<>(sub);
        shown.remove("secret");
        return shown;
    }

    private Map<String, Object> newSubscription(long accountId, String product, String url) {
        String id = "sub_fake" + nextId++;
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("sent", 0L);
        counters.put("failed", 0L);
        counters.put("lastAttemptAt", null);
        counters.put("lastStatus", null);
        counters.put("lastOutcome", null);
        Map<String, Object> sub = new LinkedHashMap<>();
        sub.put("id", id);
        sub.put("accountId", accountId);
        sub.put("product", product);
        sub.put("url", url);
        sub.put("method", "POST");
        sub.put("contentType", "application/json");
        sub.put("events", List.of("STARTED", "ENDED"));
        sub.put("renames", Map.of());
        sub.put("params", Map.of());
        sub.put("headers", Map.of());
        sub.put("rateLimit", null);
        sub.put("enabled", true);
        sub.put("disabledReason", null);
        sub.put("secret", "whsec_" + "ZmFrZS1zZWNyZXQtZm9yLS" + id.replace("_", ""));
        sub.put("previousSecretExpiresAt", null);
        sub.put("createdAt", now());
        sub.put("updatedAt", now());
        sub.put("counters", counters);
        return sub;
    }

    private static boolean absoluteHttp(String url) {
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) return query;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(key, value);
        }
        return query;
    }
}
