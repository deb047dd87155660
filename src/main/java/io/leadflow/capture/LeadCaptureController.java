package io.leadflow.capture;

import java.net.URI;

import jakarta.validation.Valid;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/leads}: capture a lead from a system. */
@RestController
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
