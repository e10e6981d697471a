/** What the services' logging needs beyond logback's own parts: {@link io.callhook.service.logging.RepeatedWarnings}. */
package io.callhook.service.logging;
