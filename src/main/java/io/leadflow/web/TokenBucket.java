package io.leadflow.web;

/**
 * A rate limit: a bucket of {@code capacity} tokens that refills {@code capacity} per minute, so a
 * caller may burst its whole minute at once and then goes on at its steady rate. Thread-safe.
 */
public final class TokenBucket {

    private static final double NANOS_PER_MINUTE = 60e9;

    private final int capacity;
    private double tokens;
    private long refilledAt;
    private boolean started;

    public TokenBucket(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a rate limit allows at least one request per minute, not " + capacity);
        }
        this.capacity = capacity;
        this.tokens = capacity;
    }

    /**
     * Takes one token.
     *
     * @param nowNanos {@link System#nanoTime()}
     * @return 0 when the request may go on, else the whole seconds until it may
     */
    public synchronized long take(long nowNanos) {
        if (started) {
            // in double: the product in long overflows after 92 s at a capacity of 10^8, after 177 days idle at 600
            tokens = Math.min(capacity, tokens + (double) (nowNanos - refilledAt) * capacity / NANOS_PER_MINUTE);
        }
        started = true;
        refilledAt = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) * 60 / capacity));
    }

    /** Gives back a token taken by {@link #take} for a request another limit then refused. */
    public synchronized void giveBack() {
        tokens = Math.min(capacity, tokens + 1);
    }
}
