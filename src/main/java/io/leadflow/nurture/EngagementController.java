package io.leadflow.nurture;

import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.leadflow.lead.LeadRepository;
import io.leadflow.web.ApiDocumentation;
import io.leadflow.web.NotFoundException;

/**
 * Engagement events from other systems: {@code POST /api/leads/{id}/engagements} by lead id,
 * {@code POST /api/engagements} by email. Each is recorded on the lead and wakes it if it waits
 * in nurture; 202 tells which.
 */
@RestController
@Tag(name = "Engagement")
public class EngagementController {

    private final EngagementService engagements;
    private final LeadRepository leads;

    public EngagementController(EngagementService engagements, LeadRepository leads) {
        this.engagements = engagements;
        this.leads = leads;
    }

    @Operation(summary = "Record an engagement event of a lead", description = "Recorded on the lead; wakes the lead if it waits in nurture.")
    @ApiResponse(responseCode = "202", description = "Recorded; wokeNurture tells whether a nurtured lead was woken or an archived lead revived")
    @ApiResponse(responseCode = "400", description = "Invalid event, every bad field named; nothing recorded", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such lead", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping("/api/leads/{id}/engagements")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public EngagementRecorded recordForLead(@PathVariable String id, @Valid @RequestBody EngagementRequest request) {
        return new EngagementRecorded(id, engagements.record(id, request.type(), request.occurredAt(), request.detail()));
    }

    @Operation(summary = "Record an engagement event by the lead's email", description = "For systems that do not know the lead id; the email is matched like at capture (case and spaces do not matter).")
    @ApiResponse(responseCode = "202", description = "Recorded; wokeNurture tells whether a nurtured lead was woken or an archived lead revived")
    @ApiResponse(responseCode = "400", description = "Invalid event, every bad field named; nothing recorded", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No lead with this email", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping("/api/engagements")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public EngagementRecorded recordForEmail(@Valid @RequestBody EmailEngagementRequest request) {
        String id = leads.findIdByEmail(request.email())
                .orElseThrow(() -> new NotFoundException("lead", "email", request.email()));
        return new EngagementRecorded(id, engagements.record(id, request.type(), request.occurredAt(), request.detail()));
    }

    /** The answer: which lead the event was recorded on, and whether it woke the lead from nurture (or revived it from the archive). */
    public record EngagementRecorded(String leadId, boolean wokeNurture) {
    }
}
