package io.leadflow.capture;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.leadflow.web.ApiDocumentation;

/**
 * {@code POST /api/webforms/{formId}}: the webhook a web form (or its form builder) posts to, as
 * {@code application/x-www-form-urlencoded}. Accepted submissions are answered 204 whether the
 * lead is new or known, and so is a bot's, so the answer tells a sender nothing about our data.
 */
@RestController
@Tag(name = "Web forms")
public class WebFormController {

    static final String PATH = "/api/webforms";

    private final WebFormSubmissions submissions;

    public WebFormController(WebFormSubmissions submissions) {
        this.submissions = submissions;
    }

    @Operation(summary = "Capture a lead from a web form", description = "application/x-www-form-urlencoded with the form's own field names, mapped by leadflow.webforms.<formId>.fields; source webForm. Browsers may post only from the form's allowed origins.")
    @ApiResponse(responseCode = "204", description = "Accepted (new or known lead alike)")
    @ApiResponse(responseCode = "400", description = "Invalid lead data, named by the form's field names; nothing stored", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "429", description = "The form's rate limit (per client address, or for everyone together) is reached; nothing stored, send it again after Retry-After seconds", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "Posted by a browser from a page on an origin the form does not allow (Origin header); nothing stored", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such web form", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = PATH + "/{formId}", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Void> submit(@PathVariable String formId, @RequestParam MultiValueMap<String, String> fields,
                                       HttpServletRequest request) {
        submissions.submit(formId, fields, request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }
}
