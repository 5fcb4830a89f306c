package com.example.shop.common.remote;

/**
 * A proxied request that failed on the client's side of the gateway: the client's body broke off (a
 * reset, a hang-up mid-upload) or the gateway refused it while streaming it. Carries what went wrong as
 * its cause. The backends' circuit breakers ignore it ({@link IgnoredFailures}), so that no client can open a
 * backend's breaker.
 */
public final class ClientSideFailure extends RuntimeException {

    public ClientSideFailure(Throwable cause) {
        super(cause.toString(), cause, false, false);
    }
}
