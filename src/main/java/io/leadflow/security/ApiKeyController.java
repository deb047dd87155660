package io.leadflow.security;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.leadflow.security.ApiKeys.ApiKey;
import io.leadflow.web.ApiDocumentation;
import io.leadflow.web.NotFoundException;

/**
 * {@code /api/api-keys}: administrators (group {@code camunda-admin} or scope {@code admin}) create,
 * list and revoke the keys of integrating systems. The secret is in the answer to the creation only.
 */
@RestController
@Tag(name = "API keys")
@RequestMapping(ApiSecurity.API_KEYS)
public class ApiKeyController {

    private final ApiKeys keys;

    public ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    /** A new key: name (what the logs say), scopes (capture, events, read, admin), optional requestsPerMinute. */
    public record NewKey(String name, List<String> scopes, Integer requestsPerMinute) {
    }

    /** A key as listed: never its secret. */
    public record KeyView(String id, String name, List<String> scopes, int requestsPerMinute, OffsetDateTime createdAt,
                          String createdBy, OffsetDateTime revokedAt, String revokedBy) {

        static KeyView of(ApiKey key) {
            return new KeyView(key.id(), key.name(), ids(key.scopes()), key.requestsPerMinute(), key.createdAt(),
                    key.createdBy(), key.revokedAt(), key.revokedBy());
        }
    }

    /** The answer to a creation: the key and its secret, shown this once. */
    public record CreatedKeyView(String id, String name, List<String> scopes, int requestsPerMinute, String secret) {
    }

    @Operation(summary = "Create an API key", description = "For one integrating system, with its scopes: capture (website, web-form back ends, CSV uploads), events (marketing automation), read (lead records, SLA breaches, KPIs), admin. The secret is shown in this answer only; send it as header X-API-Key.")
    @ApiResponse(responseCode = "201", description = "Created; the secret is in this answer only")
    @ApiResponse(responseCode = "400", description = "Invalid name, scopes or requestsPerMinute, every bad field named; nothing created", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CreatedKeyView> create(@RequestBody NewKey request, Authentication caller) {
        ApiKeys.CreatedKey created = keys.create(request.name(), request.scopes(), request.requestsPerMinute(), caller.getName());
        ApiKey key = created.key();
        return ResponseEntity.created(URI.create(ApiSecurity.API_KEYS + "/" + key.id()))
                .body(new CreatedKeyView(key.id(), key.name(), ids(key.scopes()), key.requestsPerMinute(), created.secret()));
    }

    @Operation(summary = "List the API keys", description = "Every key, revoked ones included, newest first; never a secret.")
    @GetMapping
    public List<KeyView> list() {
        return keys.list().stream().map(KeyView::of).toList();
    }

    @Operation(summary = "Revoke an API key", description = "Its next request is refused with 401. Revoking a revoked key changes nothing.")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiResponse(responseCode = "404", description = "No such key", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @DeleteMapping("/{id}")
    public ResponseEntity<Void> revoke(@PathVariable String id, Authentication caller) {
        if (!keys.revoke(id, caller.getName())) {
            throw new NotFoundException("API key", id);
        }
        return ResponseEntity.noContent().build();
    }

    private static List<String> ids(Set<ApiScope> scopes) {
        return scopes.stream().sorted().map(ApiScope::id).toList();
    }
}
