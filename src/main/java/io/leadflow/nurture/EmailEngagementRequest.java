package io.leadflow.nurture;

import java.time.OffsetDateTime;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.leadflow.lead.EmailAddresses;
import io.leadflow.web.NotBefore1970;
import io.leadflow.web.NotInFuture;
import io.leadflow.web.TextRules;

/** A behaviour event addressed by the lead's email, for systems that do not know our lead id. */
public record EmailEngagementRequest(
        @NotBlank @Email(regexp = EmailAddresses.PATTERN, message = EmailAddresses.PATTERN_MESSAGE) @Size(max = 254) String email,
        @NotBlank @Pattern(regexp = EngagementRequest.TYPE_PATTERN, message = EngagementRequest.TYPE_MESSAGE) String type,
        @NotInFuture @NotBefore1970 OffsetDateTime occurredAt,
        @Size(max = 500) @Pattern(regexp = TextRules.NO_CONTROL_CHARACTERS,
                message = TextRules.NO_CONTROL_CHARACTERS_MESSAGE) String detail) {

    public EmailEngagementRequest {
        email = EmailAddresses.clean(email);
    }
}
