package io.leadflow.nurture;

import java.time.OffsetDateTime;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.leadflow.web.NotBefore1970;
import io.leadflow.web.NotInFuture;
import io.leadflow.web.TextRules;

/**
 * A behaviour event of a lead, reported by a system (marketing automation, web analytics,
 * the webinar tool). {@code occurredAt} defaults to now.
 */
public record EngagementRequest(
        @NotBlank @Pattern(regexp = TYPE_PATTERN, message = TYPE_MESSAGE) String type,
        @NotInFuture @NotBefore1970 OffsetDateTime occurredAt,
        @Size(max = 500) @Pattern(regexp = TextRules.NO_CONTROL_CHARACTERS, message = TextRules.NO_CONTROL_CHARACTERS_MESSAGE) String detail) {

    static final String TYPE_PATTERN = "^(pageVisit|download|emailClick|webinar|formFill)$";
    static final String TYPE_MESSAGE = "must be one of pageVisit, download, emailClick, webinar, formFill";
}
