package io.leadflow.capture;

import java.net.URI;

import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.leadflow.web.ApiDocumentation;

/** {@code POST /api/leads}: capture a lead from a system. */
@RestController
@Tag(name = "Leads")
@RequestMapping("/api/leads")
public class LeadCaptureController {

    private final LeadCaptureService capture;

    public LeadCaptureController(LeadCaptureService capture) {
        this.capture = capture;
    }

    /**
     * 201 with the new lead's id; 200 with the existing id when the email is already known (the
     * submission is recorded as an engagement, no second lifecycle starts); 400 problem details
     * naming every bad field, with nothing stored.
     */
    @Operation(summary = "Capture a lead", description = "Validated, deduplicated by normalized email; a new lead starts its lifecycle.")
    @ApiResponse(responseCode = "201", description = "New lead; its lifecycle has started")
    @ApiResponse(responseCode = "200", description = "Known email: recorded as a form fill on the existing lead, no second lifecycle")
    @ApiResponse(responseCode = "400", description = "Invalid lead data, every bad field named; nothing stored", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping
    public ResponseEntity<CaptureResponse> capture(@Valid @RequestBody LeadCaptureRequest request) {
        CapturedLead lead = capture.capture(request.toNewLead());
        CaptureResponse body = new CaptureResponse(lead.leadId(), lead.created() ? "created" : "existing");
        if (lead.created()) {
            return ResponseEntity.created(URI.create("/api/leads/" + lead.leadId())).body(body);
        }
        return ResponseEntity.ok().location(URI.create("/api/leads/" + lead.leadId())).body(body);
    }

    public record CaptureResponse(String id, String status) {
    }
}
