package io.leadflow.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import io.leadflow.web.ApiDocumentation;

/**
 * The OpenAPI description says, for every operation, what {@link ApiSecurity#RULES} ask of a
 * caller: which login (HTTP Basic, an API key, or none for the web-form webhook), what it needs
 * (a scope or a group, in the description) and the 401 and 403 problems. Derived from the rules the
 * filter chain enforces, so the two cannot drift apart.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityDocumentation {

    @Bean
    OpenApiCustomizer apiSecurityRequirements() {
        return ApiSecurityDocumentation::document;
    }

    static void document(OpenAPI api) {
        if (api.getPaths() == null) {
            return;
        }
        boolean problemSchema = api.getComponents() != null && api.getComponents().getSchemas() != null
                && api.getComponents().getSchemas().containsKey("ProblemDetail");
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                document(HttpMethod.valueOf(method.name()), path, operation, problemSchema)));
    }

    static void document(HttpMethod method, String path, Operation operation, boolean problemSchema) {
        Optional<ApiSecurity.Rule> rule = ApiSecurity.RULES.stream().filter(r -> r.matches(method, path)).findFirst();
        if (rule.isPresent() && rule.get().authorities().isEmpty()) {
            operation.setSecurity(List.of()); // open: the web-form webhook
            return;
        }
        // a key holds scopes only; a person holds groups and the scopes of their groups
        boolean keys = rule.isEmpty() || rule.get().authorities().stream().anyMatch(a -> a.startsWith(ApiScope.AUTHORITY_PREFIX));
        List<SecurityRequirement> logins = new ArrayList<>();
        if (keys) {
            logins.add(new SecurityRequirement().addList(ApiSecurity.API_KEY_AUTH));
        }
        logins.add(new SecurityRequirement().addList(ApiSecurity.BASIC_AUTH));
        operation.setSecurity(logins);
        String needs = "Needs " + rule.map(ApiSecurity.Rule::needs).orElse("a login") + ".";
        operation.setDescription(operation.getDescription() == null ? needs : operation.getDescription() + "\n\n" + needs);
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        operation.getResponses().putIfAbsent("401", problem("No or wrong credentials", problemSchema));
        if (rule.isPresent()) {
            operation.getResponses().putIfAbsent("403", problem("The login lacks what the request needs: " + rule.get().needs(), problemSchema));
        }
    }

    private static ApiResponse problem(String description, boolean problemSchema) {
        MediaType json = new MediaType();
        if (problemSchema) {
            json.schema(new Schema<>().$ref("#/components/schemas/ProblemDetail"));
        }
        return new ApiResponse().description(description).content(new Content().addMediaType(ApiDocumentation.PROBLEM_JSON, json));
    }
}
