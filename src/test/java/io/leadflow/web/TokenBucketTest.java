package io.leadflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    static final long T0 = 1_000_000_000L;

    @Test
    void aFullMinuteBurst_thenTheSteadyRate() {
        TokenBucket bucket = new TokenBucket(60);
        for (int i = 0; i < 60; i++) {
            assertThat(bucket.take(T0)).isZero();
        }
        assertThat(bucket.take(T0)).as("seconds until the next token").isEqualTo(1);
        assertThat(bucket.take(T0 + Duration.ofMillis(1_100).toNanos())).isZero();
    }

    @Test
    void aKeyIdleForHalfAYear_isServedAtOnce() {
        TokenBucket bucket = new TokenBucket(600);
        assertThat(bucket.take(T0)).isZero();

        assertThat(bucket.take(T0 + Duration.ofDays(200).toNanos()))
                .as("refill computed without overflow (in long it turned negative after 177 days)").isZero();
    }

    @Test
    void aLiftedLimit_staysLiftedAfterMinutesWithoutRequests() {
        TokenBucket bucket = new TokenBucket(100_000_000);
        assertThat(bucket.take(T0)).isZero();

        assertThat(bucket.take(T0 + Duration.ofMinutes(8).toNanos())).isZero();
        assertThat(bucket.take(T0 + Duration.ofMinutes(8).toNanos())).isZero();
    }
}
