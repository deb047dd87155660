package io.leadflow.capture;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.leadflow.security.ApiScope;
import io.leadflow.web.Accepted;
import io.leadflow.web.ApiDocumentation;

/** {@code POST /api/leads}: capture a lead from a system. */
@RestController
@Validated
@Tag(name = "Leads")
@RequestMapping("/api/leads")
public class LeadCaptureController {

    private final LeadCaptureService capture;

    public LeadCaptureController(LeadCaptureService capture) {
        this.capture = capture;
    }

    /**
     * 201 with the new lead's id and number; 200 with the existing id and number when the email is already known (the
     * submission is recorded as an engagement, no second lifecycle starts); 400 problem details
     * naming every bad field, with nothing stored. With an {@code Idempotency-Key} a retried request
     * gets the first answer again (header {@code Idempotent-Replayed: true}); the same key with a
     * different lead is a 422. An address that asked not to be contacted gets 200
     * {@code {"status": "suppressed"}} without an id, and nothing is stored.
     * <p>
     * A caller without the {@code read} scope (a website's key with {@code capture} only) gets 202
     * {@code {"status": "accepted"}} for a new, a known and a suppressed address alike, without id or
     * Location: capture must not tell it who is a lead already.
     */
    @Operation(summary = "Capture a lead", description = "Validated, deduplicated by normalized email; a new lead starts its lifecycle.")
    @ApiResponse(responseCode = "201", description = "New lead; its lifecycle has started")
    @ApiResponse(responseCode = "200", description = "Known email: recorded as a form fill on the existing lead, no second lifecycle; or {\"status\": \"suppressed\"} without an id: the address asked not to be contacted, nothing was stored")
    @ApiResponse(responseCode = "202", description = "To a caller without the read scope, for a new, known or suppressed address alike: {\"status\": \"accepted\"}, no id")
    @ApiResponse(responseCode = "400", description = "Invalid lead data, every bad field named; nothing stored", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "Idempotency-Key already used for a different lead; nothing stored", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CaptureResponse> capture(@Valid @RequestBody LeadCaptureRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false)
            @Size(min = 1, max = 200) @Pattern(regexp = "^[\\x21-\\x7E]+$", message = "must be 1 to 200 visible ASCII characters")
            String idempotencyKey, Authentication caller) {
        CapturedLead lead = capture.capture(request.toNewLead(), idempotencyKey, caller.getName());
        if (!ApiScope.callerMayRead()) {
            ResponseEntity.BodyBuilder accepted = ResponseEntity.accepted();
            if (lead.replayed()) {
                accepted.header("Idempotent-Replayed", "true");
            }
            return accepted.body(new CaptureResponse(null, null, Accepted.ACCEPTED.status()));
        }
        if (lead.suppressed()) {
            return ResponseEntity.ok(new CaptureResponse(null, null, "suppressed"));
        }
        CaptureResponse body = new CaptureResponse(lead.leadId(), lead.leadNumber(), lead.created() ? "created" : "existing");
        ResponseEntity.BodyBuilder response = lead.created()
                ? ResponseEntity.created(URI.create("/api/leads/" + lead.leadId()))
                : ResponseEntity.ok().location(URI.create("/api/leads/" + lead.leadId()));
        if (lead.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(body);
    }

    /** {@code number}: the lead's readable number (e.g. L-2026-000123), the business key people see. */
    public record CaptureResponse(String id, String number, String status) {
    }
}
