package io.leadflow.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import io.leadflow.platform.BeforeServing;
import io.leadflow.web.InvalidFieldsException;
import io.leadflow.web.InvalidFieldsException.FieldProblem;

/**
 * The API keys of integrating systems: created and revoked by an administrator, each with a name (what
 * the logs say), its scopes and its rate limit. A key's secret is 32 random bytes, shown once at
 * creation; only its SHA-256 is stored.
 * <p>
 * Why SHA-256 and not bcrypt: bcrypt and its kin are slow on purpose, to make guessing a
 * <em>password</em> (few bits of entropy) from a stolen hash expensive. A 256-bit random secret cannot
 * be guessed from its hash at any speed, so a slow hash buys nothing there, and it would cost its
 * tens of milliseconds on every request; a fast hash also lets the key be found by its hash in one
 * indexed lookup. No pepper is needed for the same reason, so there is no secret to configure.
 */
@Service
public class ApiKeys {

    /** The secret's prefix: makes a leaked key recognizable to secret scanners. */
    public static final String HEADER = "X-API-Key";
    static final String DEMO_KEY_NAME = "demo";
    static final String SECRET_PREFIX = "lf_";
    static final int MAX_NAME_LENGTH = 100;
    /** Longer header values are not hashed, just refused. */
    static final int MAX_SECRET_LENGTH = 200;

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final int defaultRequestsPerMinute;
    private final String demoSecret;

    public ApiKeys(JdbcClient jdbc, @Value("${leadflow.api-keys.requests-per-minute:600}") int defaultRequestsPerMinute,
                   @Value("${leadflow.demo.api-key:}") String demoSecret) {
        if (defaultRequestsPerMinute < 1) {
            // every key created without its own limit would have failed each of its requests with a 500
            throw new IllegalArgumentException("leadflow.api-keys.requests-per-minute must be at least 1, was " + defaultRequestsPerMinute);
        }
        this.jdbc = jdbc;
        this.defaultRequestsPerMinute = defaultRequestsPerMinute;
        this.demoSecret = demoSecret;
    }

    /** A key without its secret. */
    public record ApiKey(String id, String name, Set<ApiScope> scopes, int requestsPerMinute, OffsetDateTime createdAt,
                         String createdBy, OffsetDateTime revokedAt, String revokedBy) {

        public boolean revoked() {
            return revokedAt != null;
        }
    }

    /** A new key and its secret: the only time the secret is seen. */
    public record CreatedKey(ApiKey key, String secret) {
    }

    /**
     * Creates a key.
     *
     * @param requestsPerMinute its rate limit on capture and events; null for the default
     * @throws InvalidFieldsException naming every bad field (nothing is stored)
     */
    public CreatedKey create(String name, List<String> scopes, Integer requestsPerMinute, String createdBy) {
        List<FieldProblem> problems = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH || !name.matches("[\\p{L}\\p{N} ._@:/()-]+")) {
            problems.add(new FieldProblem("name", "must be 1 to " + MAX_NAME_LENGTH
                    + " letters, digits, spaces or . _ @ : / ( ) -"));
        }
        Set<ApiScope> granted = EnumSet.noneOf(ApiScope.class);
        if (scopes == null || scopes.isEmpty()) {
            problems.add(new FieldProblem("scopes", "must name at least one of " + scopeIds()));
        } else {
            for (String scope : scopes) {
                Optional<ApiScope> known = ApiScope.of(scope);
                known.ifPresentOrElse(granted::add,
                        () -> problems.add(new FieldProblem("scopes", "'" + scope + "' is not one of " + scopeIds())));
            }
        }
        if (requestsPerMinute != null && (requestsPerMinute < 1 || requestsPerMinute > 1_000_000)) {
            problems.add(new FieldProblem("requestsPerMinute", "must be between 1 and 1000000"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidFieldsException("Invalid API key", problems.size() + " field(s) are invalid; no key was created", problems);
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        CreatedKey created = insert(name.strip(), granted, requestsPerMinute == null ? defaultRequestsPerMinute : requestsPerMinute,
                secret, createdBy);
        log.info("API key '{}' ({}) created by {} with scopes {}", created.key().name(), created.key().id(), createdBy, scopeIds(granted));
        return created;
    }

    /** The demo profile's key ({@code leadflow.demo.api-key}), with a secret known from the README; created once. */
    @EventListener(BeforeServing.Event.class)
    public void createDemoKey() {
        createDemoKey(DEMO_KEY_NAME, EnumSet.of(ApiScope.CAPTURE, ApiScope.EVENTS, ApiScope.READ));
    }

    void createDemoKey(String name, Set<ApiScope> scopes) {
        if (demoSecret.isBlank()) {
            return;
        }
        if (jdbc.sql("select count(*) from api_key where secret_sha256 = :hash").param("hash", sha256(demoSecret))
                .query(Integer.class).single() == 0) {
            insert(name, scopes, defaultRequestsPerMinute, demoSecret, "demo profile");
            log.info("Demo API key '{}' created with scopes {} (demo profile only)", name, scopeIds(scopes));
        }
    }

    private CreatedKey insert(String name, Set<ApiScope> scopes, int requestsPerMinute, String secret, String createdBy) {
        ApiKey key = new ApiKey(UUID.randomUUID().toString(), name, Set.copyOf(scopes), requestsPerMinute,
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS), createdBy, null, null);
        jdbc.sql("""
                insert into api_key (id, name, scopes, secret_sha256, requests_per_minute, created_at, created_by)
                values (:id, :name, :scopes, :hash, :rpm, :createdAt, :createdBy)
                """)
                .param("id", key.id())
                .param("name", key.name())
                .param("scopes", scopeIds(scopes))
                .param("hash", sha256(secret))
                .param("rpm", key.requestsPerMinute())
                .param("createdAt", key.createdAt())
                .param("createdBy", createdBy)
                .update();
        return new CreatedKey(key, secret);
    }

    /** Every key, revoked ones included, newest first; never a secret. */
    public List<ApiKey> list() {
        return jdbc.sql("select * from api_key order by created_at desc, name").query((rs, n) -> new ApiKey(
                rs.getString("id"), rs.getString("name"), parseScopes(rs.getString("scopes")), rs.getInt("requests_per_minute"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getString("created_by"),
                rs.getObject("revoked_at", OffsetDateTime.class), rs.getString("revoked_by"))).list();
    }

    public Optional<ApiKey> find(String id) {
        return list().stream().filter(key -> key.id().equals(id)).findFirst();
    }

    /**
     * Revokes a key: its next request is refused. Revoking a revoked key changes nothing.
     *
     * @return false when there is no such key
     */
    public boolean revoke(String id, String revokedBy) {
        Optional<ApiKey> key = find(id);
        if (key.isEmpty()) {
            return false;
        }
        int changed = jdbc.sql("update api_key set revoked_at = :now, revoked_by = :by where id = :id and revoked_at is null")
                .param("now", OffsetDateTime.now(ZoneOffset.UTC)).param("by", revokedBy).param("id", id).update();
        if (changed > 0) {
            log.info("API key '{}' ({}) revoked by {}", key.get().name(), id, revokedBy);
        }
        return true;
    }

    /** The active key with this secret; empty for an unknown or revoked one (or the demo key outside the demo profile). */
    public Optional<ApiKey> authenticate(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > MAX_SECRET_LENGTH) {
            return Optional.empty();
        }
        if (secret.equals(ProductionSettingsGuard.DEMO_API_KEY) && !secret.equals(demoSecret)) {
            return Optional.empty();
        }
        return jdbc.sql("select * from api_key where secret_sha256 = :hash and revoked_at is null")
                .param("hash", sha256(secret))
                .query((rs, n) -> new ApiKey(rs.getString("id"), rs.getString("name"), parseScopes(rs.getString("scopes")),
                        rs.getInt("requests_per_minute"), rs.getObject("created_at", OffsetDateTime.class),
                        rs.getString("created_by"), null, null))
                .optional();
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static Set<ApiScope> parseScopes(String ids) {
        Set<ApiScope> scopes = EnumSet.noneOf(ApiScope.class);
        Arrays.stream(ids.split(",")).map(String::strip).map(ApiScope::of).flatMap(Optional::stream).forEach(scopes::add);
        return scopes;
    }

    private static String scopeIds(Set<ApiScope> scopes) {
        return scopes.stream().sorted().map(ApiScope::id).collect(Collectors.joining(","));
    }

    private static String scopeIds() {
        return Arrays.stream(ApiScope.values()).map(ApiScope::id).collect(Collectors.joining(", "));
    }
}
