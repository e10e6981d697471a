package io.callhook.store.service;

import java.util.List;
import java.util.Map;

/**
 * A subscription as a client sends it (create, PUT or PATCH). Every field may be missing; which
 * are required depends on the operation. JSON fields not listed here are refused.
 */
public record SubscriptionInput(Long accountId, String product, String url, String method, String contentType,
                                List<String> events, Map<String, String> renames, Map<String, String> params,
                                Map<String, String> headers, Integer rateLimit, Boolean enabled, String id) {
}
