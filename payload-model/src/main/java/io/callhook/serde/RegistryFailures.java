package io.callhook.serde;

import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.rest.client.error.ApicurioRestClientException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a failure of the infrastructure (registry unreachable or overloaded, broker timeouts)
 * from a failure of the record itself. A record must never be dead-lettered because the
 * registry was briefly down: such failures are retried instead. Classified by exception type
 * and HTTP status, never by message text.
 */
public final class RegistryFailures {

    private RegistryFailures() {
    }

    /**
     * Whether the failure lies with the infrastructure, not the record: the same record may well
     * succeed later, so it must be retried, never dead-lettered.
     */
    public static boolean isInfrastructure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RestClientException http) {
                // No status: the registry was not reached (Apicurio's client reports transport
                // errors this way). 5xx (e.g. a storage lock timeout) and 429: it could not serve
                // us now. Any other status is an answer about the record (404: unknown schema id).
                Integer status = http.getError() == null ? null : http.getError().getErrorCode();
                return status == null || status >= 500 || status == 429;
            }
            // Network failures only: Avro reports undecodable bytes as EOFException, an IOException
            // too, and retrying those would block the partition forever.
            if (cause instanceof ApicurioRestClientException // authentication and other client-side failures
                    || cause instanceof SocketException
                    || cause instanceof SocketTimeoutException
                    || cause instanceof UnknownHostException
                    || cause instanceof HttpTimeoutException
                    || cause instanceof TimeoutException
                    || cause instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }
}
