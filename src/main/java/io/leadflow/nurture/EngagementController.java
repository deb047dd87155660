package io.leadflow.nurture;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.leadflow.lead.LeadRepository;
import io.leadflow.web.NotFoundException;

/**
 * Engagement events from other systems: {@code POST /api/leads/{id}/engagements} by lead id,
 * {@code POST /api/engagements} by email. Each is recorded on the lead and wakes it if it waits
 * in nurture; 202 tells which.
 */
@RestController
public class EngagementController {

    private final EngagementService engagements;
    private final LeadRepository leads;

    public EngagementController(EngagementService engagements, LeadRepository leads) {
        this.engagements = engagements;
        this.leads = leads;
    }

    @PostMapping("/api/leads/{id}/engagements")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public EngagementRecorded recordForLead(@PathVariable String id, @Valid @RequestBody EngagementRequest request) {
        if (leads.findById(id).isEmpty()) {
            throw new NotFoundException("lead", id);
        }
        return new EngagementRecorded(id, engagements.record(id, request.type(), request.occurredAt(), request.detail()));
    }

    @PostMapping("/api/engagements")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public EngagementRecorded recordForEmail(@Valid @RequestBody EmailEngagementRequest request) {
        String id = leads.findIdByEmail(request.email())
                .orElseThrow(() -> new NotFoundException("lead", "email", request.email()));
        return new EngagementRecorded(id, engagements.record(id, request.type(), request.occurredAt(), request.detail()));
    }

    /** The answer: which lead the event was recorded on, and whether it woke the lead from nurture. */
    public record EngagementRecorded(String leadId, boolean wokeNurture) {
    }
}
