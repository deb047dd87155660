package io.leadflow.nurture;

import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.leadflow.lead.Lead;
import io.leadflow.lead.LeadRepository;
import io.leadflow.recycling.Suppressions;
import io.leadflow.security.ApiScope;
import io.leadflow.web.Accepted;
import io.leadflow.web.ApiDocumentation;
import io.leadflow.web.NotFoundException;

/**
 * Engagement events from other systems: {@code POST /api/leads/{id}/engagements} by lead id,
 * {@code POST /api/engagements} by email. Each is recorded on the lead and wakes it if it waits
 * in nurture; 202 tells which. A lead that asked not to be contacted (or its address, after an
 * erasure) is answered {@code suppressed: true} and nothing is recorded.
 * <p>
 * A caller without the {@code read} scope (marketing automation's key with {@code events} only) gets
 * 202 {@code {"status": "accepted"}} instead, for a known, an unknown and a suppressed address alike
 * (an event for an unknown address is dropped): events must not tell it who is a lead. By lead id,
 * an unknown id is still a 404 (an id tells nothing about an email).
 */
@RestController
@Tag(name = "Engagement")
public class EngagementController {

    private final EngagementService engagements;
    private final LeadRepository leads;
    private final Suppressions suppressions;

    public EngagementController(EngagementService engagements, LeadRepository leads, Suppressions suppressions) {
        this.engagements = engagements;
        this.leads = leads;
        this.suppressions = suppressions;
    }

    @Operation(summary = "Record an engagement event of a lead", description = "Recorded on the lead; wakes the lead if it waits in nurture.")
    @ApiResponse(responseCode = "202", description = "Recorded; wokeNurture tells whether a nurtured lead was woken or an archived lead revived; suppressed: true when the lead asked not to be contacted (nothing recorded). To a caller without the read scope: {\"status\": \"accepted\"}")
    @ApiResponse(responseCode = "400", description = "Invalid event, every bad field named; nothing recorded", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such lead", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = "/api/leads/{id}/engagements", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Object recordForLead(@PathVariable String id, @Valid @RequestBody EngagementRequest request) {
        if (leads.findById(id).map(Lead::doNotContact).orElse(false)) {
            EngagementRecorded suppressed = EngagementRecorded.suppressed(id);
            return ApiScope.callerMayRead() ? suppressed : Accepted.ACCEPTED;
        }
        EngagementRecorded recorded = EngagementRecorded.of(id, engagements.record(id, request.type(), request.occurredAt(), request.detail()), id);
        return ApiScope.callerMayRead() ? recorded : Accepted.ACCEPTED;
    }

    @Operation(summary = "Record an engagement event by the lead's email", description = "For systems that do not know the lead id; the email is matched like at capture (case and spaces do not matter).")
    @ApiResponse(responseCode = "202", description = "Recorded; wokeNurture tells whether a nurtured lead was woken or an archived lead revived; suppressed: true (no leadId) when the address asked not to be contacted (nothing recorded). To a caller without the read scope, for a known, unknown or suppressed address alike: {\"status\": \"accepted\"}")
    @ApiResponse(responseCode = "400", description = "Invalid event, every bad field named; nothing recorded", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No lead with this email (only to callers with the read scope)", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = "/api/engagements", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Object recordForEmail(@Valid @RequestBody EmailEngagementRequest request) {
        boolean mayRead = ApiScope.callerMayRead();
        // looked up before the suppression list, as at capture (see LeadRegistration.match)
        java.util.Optional<String> known = leads.findIdByEmail(request.email());
        if (suppressions.isSuppressed(request.email())) {
            EngagementRecorded suppressed = EngagementRecorded.suppressed(null);
            return mayRead ? suppressed : Accepted.ACCEPTED;
        }
        if (known.isEmpty() && !mayRead) {
            return Accepted.ACCEPTED;
        }
        String id = known.orElseThrow(() -> new NotFoundException("lead", "email", request.email()));
        // suppressed by email: no lead id, as for an address on the suppression list
        EngagementRecorded recorded = EngagementRecorded.of(id, engagements.record(id, request.type(), request.occurredAt(), request.detail()), null);
        return mayRead ? recorded : Accepted.ACCEPTED;
    }

    /**
     * The answer: which lead the event was recorded on, whether it woke the lead from nurture (or
     * revived it from the archive), and whether it was refused because the lead asked not to be
     * contacted (then nothing was recorded; by email, no lead id is given).
     */
    public record EngagementRecorded(String leadId, boolean wokeNurture, boolean suppressed) {

        public EngagementRecorded(String leadId, boolean wokeNurture) {
            this(leadId, wokeNurture, false);
        }

        /** The answer to an event's outcome; a suppressed one names {@code suppressedLeadId}. */
        static EngagementRecorded of(String leadId, EngagementService.Outcome outcome, String suppressedLeadId) {
            return outcome == EngagementService.Outcome.SUPPRESSED ? suppressed(suppressedLeadId)
                    : new EngagementRecorded(leadId, outcome == EngagementService.Outcome.WOKE_LIFECYCLE);
        }

        static EngagementRecorded suppressed(String leadId) {
            Suppressions.countRefused("engagement");
            return new EngagementRecorded(leadId, false, true);
        }
    }
}
