package com.example.shop.user.auth;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import com.example.shop.user.auth.domain.SigningKeyException;

/** A missing or unfitting token-signing key stops the start-up with what is wrong and what to set. */
class SigningKeyFailureAnalyzer extends AbstractFailureAnalyzer<SigningKeyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SigningKeyException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
