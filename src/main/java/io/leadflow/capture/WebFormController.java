package io.leadflow.capture;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.ErrorResponseException;
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
    @ApiResponse(responseCode = "400", description = "Invalid lead data, named by the form's field names (a field that is not UTF-8 text among them), or a body the server cannot read (too many fields, a broken %-escape); nothing stored", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "The body is larger than the server reads (server.tomcat.max-http-form-post-size, 2 MB); nothing stored", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "429", description = "The form's rate limit (per client address, or for everyone together) is reached; nothing stored, send it again after Retry-After seconds", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "Posted by a browser from a page on an origin the form does not allow (Origin header); nothing stored", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such web form", content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = PATH + "/{formId}", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Void> submit(@PathVariable String formId, @RequestParam MultiValueMap<String, String> fields,
                                       HttpServletRequest request) {
        refuseUnreadBody(request);
        submissions.submit(formId, fields, request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }

    /**
     * The servlet container drops every field of a body it cannot read (larger than
     * {@code server.tomcat.max-http-form-post-size}, more fields than {@code
     * server.tomcat.max-parameter-count}, a broken %-escape) and says so only in a request attribute:
     * without this check such a form was refused as if every field had been left blank. 413 for a body
     * too large, 400 naming the cause otherwise; nothing is stored.
     */
    static void refuseUnreadBody(HttpServletRequest request) {
        if (request.getAttribute(PARSE_FAILED) == null) {
            return;
        }
        String reason = String.valueOf(request.getAttribute(PARSE_FAILED_REASON));
        if ("POST_TOO_LARGE".equals(reason)) {
            throw new ErrorResponseException(HttpStatus.PAYLOAD_TOO_LARGE, ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE,
                    "The form's body is larger than the server reads; nothing was stored"), null);
        }
        String detail = switch (reason) {
            case "TOO_MANY_PARAMETERS" -> "The form sent more fields than the server reads";
            case "URL_DECODING" -> "A field of the form is not properly encoded (a % not followed by two hex digits)";
            default -> "The form's body could not be read (" + reason + ")";
        };
        throw new ErrorResponseException(HttpStatus.BAD_REQUEST, ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                detail + "; nothing was stored"), null);
    }

    /** Tomcat's request attributes for a body whose parameters it could not read ({@code org.apache.catalina.Globals}). */
    private static final String PARSE_FAILED = "org.apache.catalina.parameter_parse_failed";
    private static final String PARSE_FAILED_REASON = "org.apache.catalina.parameter_parse_failed_reason";
}
