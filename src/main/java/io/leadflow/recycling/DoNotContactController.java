package io.leadflow.recycling;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.leadflow.lead.EmailAddresses;
import io.leadflow.security.ApiSecurity;
import io.leadflow.web.ApiDocumentation;

/**
 * Do-not-contact and erasure requests of a lead: {@code POST /api/leads/{id}/do-not-contact} and
 * {@code POST /api/leads/{id}/erasure}, and the erasure by address {@code POST /api/erasures}. All need HTTP Basic as an engine user of
 * {@link ApiSecurity#PRIVACY_GROUPS}.
 */
@RestController
@Tag(name = "Privacy")
public class DoNotContactController {

    private final DoNotContactService doNotContact;
    private final LeadErasure erasure;

    public DoNotContactController(DoNotContactService doNotContact, LeadErasure erasure) {
        this.doNotContact = doNotContact;
        this.erasure = erasure;
    }

    @Operation(summary = "Stop every contact with a lead",
            description = "Stops the lead's lifecycle (Blacklisted) and remembers the address, so it is never captured, revived or contacted again. With erase: true, the personal data is erased too, as POST /api/leads/{id}/erasure does.")
    @ApiResponse(responseCode = "200", description = "The lead is blacklisted; with erase, the erasure report")
    @ApiResponse(responseCode = "400", description = "The body is not {\"erase\": true|false} (or empty); nothing changed", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "The user is in none of the groups allowed", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such lead", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = ApiSecurity.DO_NOT_CONTACT, produces = MediaType.APPLICATION_JSON_VALUE)
    public DoNotContactResult doNotContact(@PathVariable String id, @RequestBody(required = false) DoNotContactRequest request) {
        if (request != null && Boolean.TRUE.equals(request.erase())) {
            LeadErasure.ErasureReport report = erasure.erase(id);
            return new DoNotContactResult(id, report.stoppedLifecycle(), report);
        }
        return new DoNotContactResult(id, doNotContact.request(id, false), null);
    }

    @Operation(summary = "Erase a lead's personal data",
            description = "Blacklists the lead and erases its personal data everywhere: the lead record, its notes and comments, the engine's variables, history and notifications. Keeps a salted hash of the address (never captured again) and the non-personal facts the KPIs need. Answers with what was erased per place.")
    @ApiResponse(responseCode = "200", description = "Erased; the report counts the entries per place and lists what is kept")
    @ApiResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "The user is in none of the groups allowed", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such lead", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = ApiSecurity.ERASURE, produces = MediaType.APPLICATION_JSON_VALUE)
    public LeadErasure.ErasureReport erase(@PathVariable String id) {
        return erasure.erase(id);
    }

    @Operation(summary = "Erase the personal data of an address",
            description = "For a request that names an email address instead of a lead id: the lead with this address (matched like at capture) is erased as by POST /api/leads/{id}/erasure; an address that is no lead is only suppressed (a salted hash), so it is never captured.")
    @ApiResponse(responseCode = "200", description = "Erased (the report), or only suppressed (report without leadId)")
    @ApiResponse(responseCode = "400", description = "No valid email address; nothing changed", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "The user is in none of the groups allowed", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = ApiSecurity.ERASURE_BY_EMAIL, produces = MediaType.APPLICATION_JSON_VALUE)
    public LeadErasure.ErasureReport eraseByEmail(@Valid @RequestBody ErasureByEmailRequest request) {
        return erasure.eraseByEmail(request.email());
    }

    /** The address to erase, trimmed as capture trims it (an address pasted from a mail keeps its spaces). */
    public record ErasureByEmailRequest(
            @NotBlank @Email(regexp = EmailAddresses.PATTERN, message = EmailAddresses.PATTERN_MESSAGE) @Size(max = 254) String email) {

        public ErasureByEmailRequest {
            email = EmailAddresses.clean(email);
        }
    }

    /** {@code erase}: also erase the personal data (default false). */
    public record DoNotContactRequest(Boolean erase) {
    }

    /** The lead, whether a running lifecycle was stopped, and with erase the erasure report. */
    public record DoNotContactResult(String leadId, boolean stoppedLifecycle, LeadErasure.ErasureReport erasure) {
    }
}
