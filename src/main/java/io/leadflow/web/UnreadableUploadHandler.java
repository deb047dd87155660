package io.leadflow.web;

import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * An upload under {@code /api} whose multipart body cannot be read (sent as
 * {@code multipart/form-data} without a boundary, or cut off): the client's error, a 400 naming the
 * part {@code file}. Spring MVC reads a multipart body before it looks for the controller, so
 * {@link ApiProblemHandler}, which answers for our controllers, never saw it, and the client got a
 * 500 with the parser's stack trace in the log. An upload too large keeps its 413, but a part whose
 * headers are too long (a file name of 450 characters) is a 400 saying so, not "upload too large"
 * (which the client would answer by splitting a 100-byte file); other paths keep
 * Spring's answer.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class UnreadableUploadHandler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UnreadableUploadHandler.class);

    @ExceptionHandler(MultipartException.class)
    public ResponseEntity<ProblemDetail> unreadableUpload(MultipartException ex, HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith("/api/")) {
            throw ex; // not ours to answer: Spring's handling goes on as without this class
        }
        if (ex instanceof MaxUploadSizeExceededException && partHeadersTooLong(ex)) {
            // the parser's limit on a part's headers, which Spring reports as an upload too large: a long file name
            ProblemDetail problem = ApiProblemHandler.problem(HttpStatus.BAD_REQUEST, "Unreadable upload",
                    "A part's headers are longer than the server reads; nothing was stored");
            problem.setProperty("errors", List.of(Map.of("field", "file",
                    "reason", "has a file name too long to read (its part's headers take at most 512 bytes): shorten the file name")));
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        if (ex instanceof MaxUploadSizeExceededException) {
            throw ex; // a file too large: its 413
        }
        log.debug("{} {}: upload refused as unreadable", request.getMethod(), path, ex);
        ProblemDetail problem = ApiProblemHandler.problem(HttpStatus.BAD_REQUEST, "Unreadable upload",
                "The body is not a readable multipart/form-data upload; nothing was stored");
        problem.setProperty("errors", List.of(Map.of("field", "file",
                "reason", "must be sent as multipart/form-data with a boundary, the CSV file in the part named file")));
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** Whether the parser refused a part's headers (Tomcat: "Header section has more than … bytes"), not the upload's size. */
    static boolean partHeadersTooLong(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("Header section has more than")) {
                return true;
            }
        }
        return false;
    }
}
