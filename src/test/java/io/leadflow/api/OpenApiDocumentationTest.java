package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.ResponseEntity;

import io.leadflow.SpringIntegrationTest;

/** The OpenAPI description a system integrator reads: every {@code /api} path, nothing else. */
class OpenApiDocumentationTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Test
    void apiDocs_listEveryApiPath_withSummaries_andNoEngineOrActuatorPaths() {
        Map<String, Object> docs = http.get().uri("/v3/api-docs").retrieve().body(MAP);

        assertThat(docs.get("info").toString()).contains("leadflow API");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, Object>>> paths = (Map<String, Map<String, Map<String, Object>>>) docs.get("paths");
        assertThat(paths).containsKeys("/api/leads", "/api/leads/{id}", "/api/leads/{id}/engagements", "/api/engagements",
                "/api/webforms/{formId}", "/api/imports", "/api/imports/{id}", "/api/sla-breaches");
        assertThat(paths.keySet()).allMatch(path -> path.startsWith("/api/"));
        assertThat(paths.values()).allSatisfy(operations -> assertThat(operations.values())
                .allSatisfy(operation -> assertThat(operation).containsKey("summary")));
        assertThat(paths.get("/api/leads/{id}/engagements").get("post").get("responses").toString())
                .contains("202", "application/json", "404", "application/problem+json");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperation_namesTheLoginItNeeds_asTheSecurityRulesDo_onlyTheWebFormIsOpen() {
        Map<String, Map<String, Map<String, Object>>> paths = (Map<String, Map<String, Map<String, Object>>>)
                http.get().uri("/v3/api-docs").retrieve().body(MAP).get("paths");

        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            if (path.startsWith("/api/webforms/")) {
                assertThat(operation.get("security")).as("%s %s is open", method, path).isEqualTo(List.of());
            } else {
                assertThat((List<Map<String, Object>>) operation.get("security")).as("%s %s", method, path)
                        .contains(Map.of("basicAuth", List.of()));
                assertThat((String) operation.get("description")).as("%s %s", method, path).contains("Needs ");
                assertThat(operation.get("responses")).as("%s %s", method, path).asString().contains("401=");
            }
        }));
        Map<String, Object> events = paths.get("/api/engagements").get("post");
        assertThat(events.get("security")).isEqualTo(List.of(Map.of("apiKey", List.of()), Map.of("basicAuth", List.of())));
        assertThat((String) events.get("description")).endsWith("Needs scope 'events'.");
        assertThat(paths.get("/api/migrations").get("post").get("security")).as("migrations: people only")
                .isEqualTo(List.of(Map.of("basicAuth", List.of())));
        assertThat(paths.get("/api/reps").get("get").get("security")).as("reading reps: scope read or a manager's login")
                .isEqualTo(List.of(Map.of("apiKey", List.of()), Map.of("basicAuth", List.of())));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationThatTakesInput_documentsItsRefusal_asAProblem() {
        Map<String, Map<String, Map<String, Object>>> paths = (Map<String, Map<String, Map<String, Object>>>)
                http.get().uri("/v3/api-docs").retrieve().body(MAP).get("paths");

        List<String> undocumented = new java.util.ArrayList<>();
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            boolean query = ((List<Map<String, Object>>) operation.getOrDefault("parameters", List.of())).stream()
                    .anyMatch(parameter -> "query".equals(parameter.get("in")));
            Map<String, Object> refusal = ((Map<String, Map<String, Object>>) operation.get("responses")).get("400");
            if ((query || operation.containsKey("requestBody"))
                    && (refusal == null || !refusal.toString().contains("application/problem+json"))) {
                undocumented.add(method + " " + path);
            }
        }));
        assertThat(undocumented).as("operations whose 400 an integrator cannot read about").isEmpty();
    }

    @Test
    void swaggerUi_isServedAtSwaggerUiHtml() {
        ResponseEntity<Void> entry = http.get().uri("/swagger-ui.html").retrieve().toBodilessEntity();
        ResponseEntity<String> ui = http.get().uri(entry.getHeaders().getLocation().getPath()).retrieve().toEntity(String.class);

        assertThat(entry.getStatusCode().value()).isEqualTo(302);
        assertThat(entry.getHeaders().getLocation().getPath()).isEqualTo("/swagger-ui/index.html");
        assertThat(ui.getStatusCode().value()).isEqualTo(200);
        assertThat(ui.getBody()).contains("Swagger UI");
    }
}
