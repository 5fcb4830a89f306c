package com.example.shop.gateway.populate;

import java.util.List;

/**
 * A populated answer that would go over its budget ({@link AnswerBudget}): more documents than
 * {@code shop.populate.max-documents}, or more bytes than {@code shop.populate.max-answer-memory}. Foreseen from
 * the plan and the request before any backend is called when it can be (the documents a page and the list
 * limits can bring), else found as the work proceeds (the documents' sizes, arrays of references); either way
 * nothing of the answer is sent. The client's to change (a smaller page, a {@code limit}, fewer paths), so a
 * 400 naming {@code populate}, the limit, and what was counted against it.
 */
public class PopulateLimitException extends PopulateException {

    /** What is limited. */
    public enum Limit {

        /** Documents populated into one answer. */
        DOCUMENTS("documents", "shop.populate.max-documents"),

        /** Bytes one answer counts: the backend's answer, the lookups' answers, and the documents spliced in. */
        BYTES("bytes", "shop.populate.max-answer-memory");

        private final String unit;

        private final String setting;

        Limit(String unit, String setting) {
            this.unit = unit;
            this.setting = setting;
        }

        public String unit() {
            return unit;
        }

        public String setting() {
            return setting;
        }
    }

    private final Limit limit;

    private final long max;

    private final long counted;

    private final boolean foreseen;

    private PopulateLimitException(String message, Limit limit, long max, long counted, boolean foreseen) {
        super(message, List.of());
        this.limit = limit;
        this.max = max;
        this.counted = counted;
        this.foreseen = foreseen;
    }

    /** The most documents the plan can bring to this request is over the budget; nothing was fetched. */
    public static PopulateLimitException foreseen(long max, long worstCase, String hint) {
        return new PopulateLimitException("populate: this request could bring up to " + worstCase
                + " populated documents, over the limit of " + max + " per answer; " + hint, Limit.DOCUMENTS, max,
                worstCase, true);
    }

    /** Counted as the work went: over the budget of {@code limit}; the work stopped there. */
    public static PopulateLimitException counted(Limit limit, long max, long counted) {
        return new PopulateLimitException("populate: the answer came to more than " + max + " " + limit.unit()
                + " (the limit per answer; " + counted + " counted when the work stopped); ask for a smaller page, "
                + "fewer paths, a field selection such as (name), or a smaller [limit=...] on a list",
                limit, max, counted, false);
    }

    public Limit limit() {
        return limit;
    }

    /** The budget. */
    public long max() {
        return max;
    }

    /** The worst case foreseen, or what had been counted when the work stopped. */
    public long counted() {
        return counted;
    }

    /** Whether the refusal came from the plan, before any backend call. */
    public boolean foreseen() {
        return foreseen;
    }

    /** No stack trace: a client's request over a limit, answered with a 400, is nothing to debug. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
