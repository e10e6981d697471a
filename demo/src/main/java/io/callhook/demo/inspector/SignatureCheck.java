package io.callhook.demo.inspector;

import java.util.Objects;

/**
 * Outcome of checking one request's Standard Webhooks signature.
 *
 * @param status what the check found
 * @param reason why the request is {@link Status#INVALID INVALID}; null otherwise
 */
public record SignatureCheck(Status status, String reason) {

    /** What the inspector could tell about a request's signature. */
    public enum Status {
        /** A {@code v1} signature matches a secret registered for the path, within the time tolerance. */
        VALID,
        /** A secret is registered for the path but the request does not prove it was signed with it. */
        INVALID,
        /** No secret is registered for the path, so nothing was checked. */
        NO_SECRET
    }

    private static final SignatureCheck VALID_CHECK = new SignatureCheck(Status.VALID, null);
    private static final SignatureCheck NO_SECRET_CHECK = new SignatureCheck(Status.NO_SECRET, null);

    public SignatureCheck {
        Objects.requireNonNull(status, "status");
        if ((status == Status.INVALID) != (reason != null)) {
            throw new IllegalArgumentException("a reason is given for INVALID and only for it");
        }
    }

    public static SignatureCheck valid() {
        return VALID_CHECK;
    }

    public static SignatureCheck noSecret() {
        return NO_SECRET_CHECK;
    }

    public static SignatureCheck invalid(String reason) {
        return new SignatureCheck(Status.INVALID, Objects.requireNonNull(reason, "reason"));
    }
}
