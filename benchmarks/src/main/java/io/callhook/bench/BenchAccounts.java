package io.callhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.demo.DemoStoreClient;
import io.callhook.demo.PipelineServices.Service;
import io.callhook.demo.Traffic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The accounts the whole-pipeline benchmarks run (the pipeline benchmark and the broker-traffic
 * count): accounts 1 to {@value #ACCOUNTS}, {@value #SUBSCRIPTIONS_PER_ACCOUNT} subscriptions
 * each, made through the store's API, and the services' settings that go with them.
 */
final class BenchAccounts {

    static final int ACCOUNTS = 20;
    static final int SUBSCRIPTIONS_PER_ACCOUNT = 3;
    static final String ADMIN = "bench-admin-token-0123456789abcdef";

    private BenchAccounts() {
    }

    /** Each service's own settings: state under {@code work}, the store's API on {@code storePort}. */
    static Map<Service, Map<String, String>> serviceEnv(Path work, int storePort) {
        Map<String, String> enricher = new HashMap<>(Map.of("CALLHOOK_ENRICHER_STATE_DIR", work.resolve("enricher").toString()));
        String geo = System.getenv("CALLHOOK_GEOIP_DB");
        if (geo != null && !geo.isBlank()) {
            enricher.put("CALLHOOK_GEOIP_DB", geo);
        }
        return Map.of(Service.ENRICHER, enricher, Service.DISPATCHER, Map.of(), Service.STORE, Map.of(
                "CALLHOOK_STORE_ADMIN_TOKEN", ADMIN, "CALLHOOK_STORE_TOKEN_KEY", "bench-token-key-0123456789abcdef",
                "CALLHOOK_STORE_INTERNAL_TOKEN", "bench-internal-token-0123456789abcdef",
                "CALLHOOK_STORE_HTTP_PORT", Integer.toString(storePort), "CALLHOOK_STORE_STATE_DIR", work.resolve("store").toString()));
    }

    /**
     * Makes every account's subscriptions (Calltracking accounts take both events); their URLs are
     * {@code urlOf} of {@code "<account>/<n>"}. Returns the subscription ids by account.
     */
    static Map<Long, List<String>> subscribe(DemoStoreClient store, UnaryOperator<String> urlOf) throws Exception {
        Map<Long, List<String>> ids = new HashMap<>();
        for (long account = 1; account <= ACCOUNTS; account++) {
            for (int n = 0; n < SUBSCRIPTIONS_PER_ACCOUNT; n++) {
                String product = Traffic.productOf(account).name();
                JsonNode created = store.create("{\"accountId\":" + account + ",\"product\":\"" + product + "\",\"url\":\""
                        + urlOf.apply(account + "/" + n) + "\"}");
                ids.computeIfAbsent(account, a -> new ArrayList<>()).add(created.get("id").asText());
            }
        }
        return ids;
    }
}
