package io.leadflow.api;

import static io.leadflow.api.ApiErrorsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import io.leadflow.SpringIntegrationTest;

/**
 * A client that accepts no answer we can give ({@code Accept: application/xml}) gets {@code 406}
 * before anything is done: the write is not made. Spring checks the {@code Accept} header against
 * what a mapping {@code produces} before it calls the controller; without {@code produces} it finds
 * out only when it writes the answer, after the transaction committed, so the client was told 406
 * for a lead, an event, a key (whose secret it never saw) or an erasure that had been made.
 */
class UnacceptableAnswerTest extends SpringIntegrationTest {

    static final String XML = MediaType.APPLICATION_XML_VALUE;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    static Map<String, Object> lead(String email) {
        return Map.of("email", email, "firstName", "Ada", "lastName", "Lovelace", "company", "Analytical Engines",
                "companySize", 500, "country", "DE");
    }

    @Test
    void everyApiWriteThatAnswersWithABody_declaresWhatItProduces() {
        List<String> undeclared = new ArrayList<>();
        mappings.getHandlerMethods().forEach((RequestMappingInfo info, HandlerMethod handler) -> {
            boolean api = info.getPatternValues().stream().anyMatch(p -> p.startsWith("/api/"));
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            boolean write = methods.stream().anyMatch(m -> m == RequestMethod.POST || m == RequestMethod.PUT || m == RequestMethod.PATCH);
            if (api && write && answersWithABody(handler.getMethod()) && info.getProducesCondition().isEmpty()) {
                undeclared.add(methods + " " + info.getPatternValues() + " " + handler.getShortLogMessage());
            }
        });
        assertThat(undeclared).as("writes that would answer 406 after committing").isEmpty();
    }

    /** {@code void} and {@code ResponseEntity<Void>} write no body, so no Accept header can refuse them. */
    static boolean answersWithABody(Method method) {
        if (method.getReturnType() == void.class) {
            return false;
        }
        return !(method.getGenericReturnType() instanceof java.lang.reflect.ParameterizedType type
                && type.getRawType() == ResponseEntity.class && type.getActualTypeArguments()[0] == Void.class);
    }

    @Test
    void aCaptureThatCannotBeAnswered_isA406_andStoresNoLead() {
        String email = "accept-xml-" + System.nanoTime() + "@example.com";

        assertProblem(http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON).header("Accept", XML)
                .body(lead(email)).retrieve().toEntity(String.class), 406, "Not Acceptable");

        ResponseEntity<Map<String, Object>> again = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(lead(email)).retrieve().toEntity(JSON_OBJECT);
        assertThat(again.getStatusCode().value()).as("the first capture stored nothing: this one creates the lead").isEqualTo(201);
        assertThat(again.getBody()).containsEntry("status", "created");
    }

    @Test
    void anEventAnErasureAndAKeyThatCannotBeAnswered_areA406_andChangeNothing() {
        String leadId = (String) http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(lead("accept-xml-" + System.nanoTime() + "@example.com")).retrieve().body(JSON_OBJECT).get("id");
        long engagements = engagementsOf(leadId);

        assertProblem(http.post().uri("/api/leads/{id}/engagements", leadId).contentType(MediaType.APPLICATION_JSON).header("Accept", XML)
                .body(Map.of("type", "webinar")).retrieve().toEntity(String.class), 406, "Not Acceptable");
        assertProblem(http.post().uri("/api/leads/{id}/erasure", leadId).header("Accept", XML)
                .retrieve().toEntity(String.class), 406, "Not Acceptable");
        String keyName = "unanswered-" + System.nanoTime();
        assertProblem(http.post().uri("/api/api-keys").contentType(MediaType.APPLICATION_JSON).header("Accept", XML)
                .body(Map.of("name", keyName, "scopes", List.of("read"))).retrieve().toEntity(String.class), 406, "Not Acceptable");

        assertThat(engagementsOf(leadId)).as("no engagement recorded").isEqualTo(engagements);
        assertThat(((Map<?, ?>) http.get().uri("/api/leads/{id}", leadId).retrieve().body(JSON_OBJECT).get("lead")).get("firstName"))
                .as("not erased").isEqualTo("Ada");
        assertThat(http.get().uri("/api/api-keys").retrieve().body(ROWS)).as("no key made whose secret nobody saw")
                .noneMatch(key -> keyName.equals(key.get("name")));
    }

    long engagementsOf(String leadId) {
        return ((List<?>) http.get().uri("/api/leads/{id}", leadId).retrieve().body(JSON_OBJECT).get("engagements")).size();
    }
}
