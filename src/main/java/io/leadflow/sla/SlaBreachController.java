package io.leadflow.sla;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.leadflow.web.ApiDocumentation;

/** {@code GET /api/sla-breaches}: every missed deadline, newest first, for one lead or since a time. */
@RestController
@RequestMapping("/api/sla-breaches")
public class SlaBreachController {

    static final int MAX_RESULTS = 500;

    private final SlaBreachRepository breaches;

    public SlaBreachController(SlaBreachRepository breaches) {
        this.breaches = breaches;
    }

    @Operation(summary = "List missed SLA deadlines", description = "Newest first, for one lead (leadId) or since a time (since), at most limit (1-500).")
    @ApiResponse(responseCode = "200", description = "The breaches, newest first")
    @ApiResponse(responseCode = "400", description = "leadId not a lead id, since not an ISO-8601 date-time with offset, or limit not a whole number from 1 to 500; the parameter named", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping
    public List<SlaBreach> list(@RequestParam(required = false) @Pattern(regexp = "^[0-9A-Fa-f-]{1,36}$",
                                        message = "must be a lead id (a UUID)") String leadId,
                                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime since,
                                @RequestParam(defaultValue = "100") @Min(1) @Max(MAX_RESULTS) int limit) {
        return breaches.find(leadId, since, limit);
    }
}
