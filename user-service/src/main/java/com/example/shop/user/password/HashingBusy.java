package com.example.shop.user.password;

/**
 * Every slot for a password hash is taken and the queue is full: the request is refused before it costs
 * anything, as 503 with {@code Retry-After} (see {@code AuthProblems}).
 */
public class HashingBusy extends RuntimeException {

    public HashingBusy() {
        super("too many password checks at once", null, false, false);
    }
}
