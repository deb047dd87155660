package io.leadflow.capture;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.leadflow.capture.WebFormProperties.WebForm;
import io.leadflow.web.TokenBucket;
import io.leadflow.web.TooManyRequestsException;

/**
 * The web-form webhook's rate limits, in place of the API key a browser cannot keep secret: per form,
 * one limit for everyone together ({@code requests-per-minute}, so a flood cannot fill the lead
 * table) and one per client address ({@code requests-per-minute-per-client}, so one script cannot
 * use up the form's minute). Token buckets in this node's memory, like the API keys' limits; the
 * per-client buckets are bounded and forgotten after ten idle minutes, so a flood from many
 * addresses cannot grow the heap. The client address is the connection's; behind a proxy set
 * {@code server.forward-headers-strategy} so it is the browser's.
 */
@Component
public class WebFormRateLimits {

    private static final Logger log = LoggerFactory.getLogger(WebFormRateLimits.class);

    private static final int MAX_TRACKED_CLIENTS = 100_000;

    private final Map<String, TokenBucket> forms = new ConcurrentHashMap<>();
    private final Cache<String, TokenBucket> clients = Caffeine.newBuilder()
            .maximumSize(MAX_TRACKED_CLIENTS)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();
    private final LongSupplier nanoTime;

    public WebFormRateLimits() {
        this(System::nanoTime);
    }

    /** @param nanoTime the clock of the buckets ({@link System#nanoTime()}; a test's own) */
    WebFormRateLimits(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Takes one submission of {@code clientAddress} from the form's limits.
     *
     * @throws TooManyRequestsException when either limit is reached (the other is not charged)
     */
    void take(String formId, WebForm form, String clientAddress) {
        long now = nanoTime.getAsLong();
        TokenBucket client = clients.get(formId + '\n' + clientAddress, key -> new TokenBucket(form.requestsPerMinutePerClient()));
        long clientWait = client.take(now);
        if (clientWait > 0) {
            log.info("Web form '{}': client {} over its {} submissions per minute; answered 429", formId, clientAddress,
                    form.requestsPerMinutePerClient());
            throw new TooManyRequestsException("This web form takes " + form.requestsPerMinutePerClient()
                    + " submissions per minute from one address; nothing was stored. Send it again after " + clientWait + " s", clientWait);
        }
        long formWait = forms.computeIfAbsent(formId, id -> new TokenBucket(form.requestsPerMinute())).take(now);
        if (formWait > 0) {
            client.giveBack();
            log.warn("Web form '{}' over its {} submissions per minute from all clients; answered 429", formId, form.requestsPerMinute());
            throw new TooManyRequestsException("This web form takes " + form.requestsPerMinute()
                    + " submissions per minute; nothing was stored. Send it again after " + formWait + " s", formWait);
        }
    }
}
