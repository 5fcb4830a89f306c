package com.example.shop.remote;

import org.springframework.web.reactive.function.client.WebClientException;

/**
 * The load balancer had no instance of the service to send a call to, so none was made. The circuit
 * breaker ignores it ({@link IgnoredFailures}): it says nothing about how the service answers; the retry does
 * not repeat it ({@link RemoteFailures}): an attempt a few milliseconds later finds the same list.
 * Reported to the client as a 503 naming the service, as any other failed call. A {@link WebClientException},
 * so that WebClient passes it on as it is.
 */
public final class NoInstanceException extends WebClientException {

    public NoInstanceException(String service) {
        super("No instance of " + service + " to call");
    }
}
