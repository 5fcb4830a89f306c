package com.example.shop.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A missing or unusable key stops the start-up with what is wrong and what to set. */
class KeyFailureAnalyzer extends AbstractFailureAnalyzer<KeyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, KeyException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
