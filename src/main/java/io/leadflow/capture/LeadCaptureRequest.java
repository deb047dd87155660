package io.leadflow.capture;

import static io.leadflow.web.TextRules.NO_CONTROL_CHARACTERS;
import static io.leadflow.web.TextRules.NO_CONTROL_CHARACTERS_MESSAGE;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.leadflow.lead.EmailAddresses;
import io.leadflow.lead.IsoCountry;
import io.leadflow.lead.NewLead;
import io.leadflow.lead.StorableEmail;

/** What a system (or the Tasklist start form) sends to capture a lead. */
public record LeadCaptureRequest(
        @NotBlank @Email(regexp = EmailAddresses.PATTERN, message = EmailAddresses.PATTERN_MESSAGE) @Size(max = 254) @StorableEmail String email,
        @NotBlank @Size(max = 100) @Pattern(regexp = NO_CONTROL_CHARACTERS, message = NO_CONTROL_CHARACTERS_MESSAGE) String firstName,
        @NotBlank @Size(max = 100) @Pattern(regexp = NO_CONTROL_CHARACTERS, message = NO_CONTROL_CHARACTERS_MESSAGE) String lastName,
        @Size(max = 40) @Pattern(regexp = "^[+0-9 ()/.-]*$", message = "may contain only digits, spaces and + ( ) / . -") String phone,
        @NotBlank @Size(max = 200) @Pattern(regexp = NO_CONTROL_CHARACTERS, message = NO_CONTROL_CHARACTERS_MESSAGE) String company,
        @Size(max = 120) @Pattern(regexp = NO_CONTROL_CHARACTERS, message = NO_CONTROL_CHARACTERS_MESSAGE) String jobTitle,
        @Pattern(regexp = "^(executive|manager|practitioner|other)$", message = "must be one of executive, manager, practitioner, other") String role,
        @Size(max = 100) @Pattern(regexp = NO_CONTROL_CHARACTERS, message = NO_CONTROL_CHARACTERS_MESSAGE) String industry,
        @NotNull @Min(1) @Max(value = MAX_COMPANY_SIZE, message = "must be at most 10,000,000") Integer companySize,
        @NotBlank @Pattern(regexp = "^[A-Za-z]{2}$", message = "must be a two-letter ISO country code") @IsoCountry String country,
        @Size(max = 50) @Pattern(regexp = NO_CONTROL_CHARACTERS, message = NO_CONTROL_CHARACTERS_MESSAGE) String source,
        @Size(max = 100) @Pattern(regexp = NO_CONTROL_CHARACTERS, message = NO_CONTROL_CHARACTERS_MESSAGE) String campaign) {

    /** The largest company size the agreement accepts; the forms have the same limit. */
    public static final int MAX_COMPANY_SIZE = 10_000_000;

    public LeadCaptureRequest {
        email = EmailAddresses.clean(email);
    }

    public NewLead toNewLead() {
        return new NewLead(email.trim(), firstName.trim(), lastName.trim(), blankToNull(phone), company.trim(),
                blankToNull(jobTitle), blankToNull(role), blankToNull(industry), companySize,
                country.toUpperCase(java.util.Locale.ROOT), blankToNull(source), blankToNull(campaign));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
