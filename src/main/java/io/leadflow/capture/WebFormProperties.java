package io.leadflow.capture;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The web forms that may post leads to {@code /api/webforms/{formId}}, each under
 * {@code leadflow.webforms.<formId>}: how its field names map to ours, its honeypot field, its
 * campaign and the browser origins allowed to post it.
 */
@ConfigurationProperties("leadflow")
public record WebFormProperties(Map<String, WebForm> webforms) {

    public WebFormProperties {
        webforms = webforms == null ? Map.of() : Map.copyOf(webforms);
    }

    public Optional<WebForm> form(String formId) {
        return Optional.ofNullable(webforms.get(formId));
    }

    /**
     * One web form.
     *
     * @param fields         our field name → the form's field name; a field not listed is read under our own name
     * @param honeypot       a field hidden from people: a submission that fills it is a bot's, answered as
     *                       accepted and dropped
     * @param campaign       the campaign of every lead from this form, unless the form sends a mapped {@code campaign}
     * @param allowedOrigins browser origins (scheme://host[:port]) allowed to post the form; none: no browser origin
     * @param requestsPerMinute          submissions per minute the form takes from everyone together (default 600)
     * @param requestsPerMinutePerClient submissions per minute the form takes from one client address (default 10)
     */
    public record WebForm(Map<String, String> fields, String honeypot, String campaign, List<String> allowedOrigins,
                          Integer requestsPerMinute, Integer requestsPerMinutePerClient) {

        static final int DEFAULT_REQUESTS_PER_MINUTE = 600;
        static final int DEFAULT_REQUESTS_PER_MINUTE_PER_CLIENT = 10;

        public WebForm {
            fields = fields == null ? Map.of() : Map.copyOf(fields);
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
            requestsPerMinute = requestsPerMinute == null ? DEFAULT_REQUESTS_PER_MINUTE : requestsPerMinute;
            requestsPerMinutePerClient = requestsPerMinutePerClient == null
                    ? DEFAULT_REQUESTS_PER_MINUTE_PER_CLIENT : requestsPerMinutePerClient;
            if (requestsPerMinute < 1 || requestsPerMinutePerClient < 1) {
                throw new IllegalArgumentException("leadflow.webforms.*.requests-per-minute and requests-per-minute-per-client must be at least 1");
            }
        }

        /** The form's name for one of our fields (config keys may be camelCase or kebab-case). */
        public String formFieldFor(String ourField) {
            String wanted = comparable(ourField);
            return fields.entrySet().stream()
                    .filter(e -> comparable(e.getKey()).equals(wanted))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(ourField);
        }

        private static String comparable(String name) {
            return name.replace("-", "").toLowerCase(Locale.ROOT);
        }
    }
}
