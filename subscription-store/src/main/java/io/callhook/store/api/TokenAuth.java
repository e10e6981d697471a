package io.callhook.store.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Bearer tokens: the admin token, or an account token {@code ak_<accountId>_<signature>} whose
 * signature is the HMAC of the account id under the token key (see API.md). Account tokens are
 * checked by computing them again, so nothing is stored; comparisons take constant time. The
 * store's instances have a token of their own, which opens only their internal endpoint.
 */
public final class TokenAuth {

    private static final String BEARER = "Bearer ";

    private final Optional<String> adminToken;
    private final Optional<String> instanceToken;
    private final Optional<String> tokenKey;

    public TokenAuth(Optional<String> adminToken, Optional<String> instanceToken, Optional<String> tokenKey) {
        this.adminToken = adminToken.filter(token -> !token.isBlank());
        this.instanceToken = instanceToken.filter(token -> !token.isBlank());
        this.tokenKey = tokenKey.filter(key -> !key.isBlank());
    }

    /** Whether an {@code Authorization} header carries the instances' own token. */
    public boolean isInstance(String authorization) {
        return authorization != null && authorization.startsWith(BEARER) && instanceToken.isPresent()
                && constantTimeEquals(authorization.substring(BEARER.length()).strip(), instanceToken.get());
    }

    /** The caller of an {@code Authorization} header, empty when it proves nothing. */
    public Optional<Principal> authenticate(String authorization) {
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return Optional.empty();
        }
        String token = authorization.substring(BEARER.length()).strip();
        if (adminToken.isPresent() && constantTimeEquals(token, adminToken.get())) {
            return Optional.of(new Principal.Admin());
        }
        return account(token);
    }

    private Optional<Principal> account(String token) {
        if (tokenKey.isEmpty() || !token.startsWith("ak_")) {
            return Optional.empty();
        }
        int end = token.indexOf('_', 3);
        if (end < 0) {
            return Optional.empty();
        }
        long accountId;
        try {
            accountId = Long.parseLong(token.substring(3, end));
        } catch (NumberFormatException notAnAccount) {
            return Optional.empty();
        }
        String expected = AccountTokens.mint(tokenKey.get(), accountId);
        return constantTimeEquals(token, expected) ? Optional.of(new Principal.Account(accountId)) : Optional.empty();
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
