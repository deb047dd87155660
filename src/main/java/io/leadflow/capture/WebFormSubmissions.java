package io.leadflow.capture;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.util.MultiValueMap;

import io.leadflow.capture.WebFormProperties.WebForm;
import io.leadflow.web.InvalidFieldsException;
import io.leadflow.web.InvalidFieldsException.FieldProblem;
import io.leadflow.web.NotFoundException;

/**
 * A web form's submission, captured like any lead: the form's field names mapped to ours, then
 * the same validation, deduplication and lifecycle as {@code POST /api/leads}, with source
 * {@code webForm}. A filled honeypot is dropped without a trace the sender could see.
 */
@Service
public class WebFormSubmissions {

    static final String SOURCE = "webForm";

    private static final Logger log = LoggerFactory.getLogger(WebFormSubmissions.class);

    private final WebFormProperties properties;
    private final LeadTextInput input;
    private final LeadCaptureService capture;
    private final WebFormRateLimits limits;

    public WebFormSubmissions(WebFormProperties properties, LeadTextInput input, LeadCaptureService capture,
                              WebFormRateLimits limits) {
        this.properties = properties;
        this.input = input;
        this.capture = capture;
        this.limits = limits;
    }

    /**
     * @param clientAddress the sender's address, for the form's per-client rate limit
     * @return the captured lead, or empty when the submission was a bot's
     */
    public Optional<CapturedLead> submit(String formId, MultiValueMap<String, String> submitted, String clientAddress) {
        WebForm form = properties.form(formId).orElseThrow(() -> new NotFoundException("web form", formId));
        limits.take(formId, form, clientAddress);
        if (form.honeypot() != null && hasText(submitted.getFirst(form.honeypot()))) {
            log.info("Web form '{}': honeypot field '{}' was filled; submission dropped as a bot's", formId, form.honeypot());
            return Optional.empty();
        }
        LeadTextInput.Result result = input.read(field -> valueOf(form, submitted, field), SOURCE);
        List<FieldProblem> undecodable = undecodable(form, submitted);
        if (!result.valid() || !undecodable.isEmpty()) {
            List<FieldProblem> named = java.util.stream.Stream.concat(undecodable.stream(), result.problems().stream()
                    .filter(p -> undecodable.stream().noneMatch(u -> u.field().equals(form.formFieldFor(p.field()))))
                    .map(p -> new FieldProblem(form.formFieldFor(p.field()), p.reason())))
                    .sorted(Comparator.comparing(FieldProblem::field))
                    .toList();
            throw new InvalidFieldsException("Invalid lead data",
                    named.size() + " field(s) are invalid; nothing was stored", named);
        }
        return Optional.of(capture.capture(result.lead()));
    }

    /**
     * The form's fields whose bytes were not UTF-8 (a page that posts Latin-1 without saying so in its
     * Content-Type): the servlet container reads each such byte as U+FFFD, and "J\uFFFDrg" was stored
     * as the contact's name.
     */
    private static List<FieldProblem> undecodable(WebForm form, MultiValueMap<String, String> submitted) {
        List<String> read = LeadTextInput.FIELDS.stream().map(form::formFieldFor).toList();
        return submitted.entrySet().stream()
                .filter(field -> read.contains(field.getKey()))
                .filter(field -> field.getValue().stream().anyMatch(value -> value != null && value.indexOf('\uFFFD') >= 0))
                .map(field -> new FieldProblem(field.getKey(), "is not UTF-8 text: post the form as UTF-8 (the page's charset,"
                        + " or accept-charset=\"UTF-8\" on the form), or name the charset in the Content-Type"))
                .sorted(Comparator.comparing(FieldProblem::field))
                .toList();
    }

    private static String valueOf(WebForm form, MultiValueMap<String, String> submitted, String field) {
        String value = submitted.getFirst(form.formFieldFor(field));
        if ("campaign".equals(field) && !hasText(value)) {
            return form.campaign();
        }
        return value;
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
