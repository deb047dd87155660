package io.leadflow.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * An upload that says it is larger than {@code spring.servlet.multipart.max-request-size}, or a JSON body
 * larger than 1 MiB, is answered 413 before a byte of it is read or stored, so the client has the answer as soon as its headers are
 * sent. An upload without a length (chunked) is stopped by the multipart limit itself while it is
 * read (Spring's 413).
 */
class UploadSizeLimit extends OncePerRequestFilter {

    private final long maxBytes;
    private final ApiSecurity.ProblemWriter problems;

    UploadSizeLimit(long maxBytes, ApiSecurity.ProblemWriter problems) {
        this.maxBytes = maxBytes;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        if (maxBytes > 0 && type != null && type.toLowerCase().startsWith("multipart/") && request.getContentLengthLong() > maxBytes) {
            problems.write(request, response, HttpStatus.PAYLOAD_TOO_LARGE, "Upload too large",
                    "The upload has " + request.getContentLengthLong() + " bytes; at most " + maxBytes
                            + " are accepted (split the file); nothing was stored");
            return;
        }
        if (type != null && isJson(type) && request.getContentLengthLong() > JSON_MAX_BYTES) {
            // no request of /api needs more (a lead with every field at its longest is some 20 kB): a larger body
            // is parsed into memory whole before anything can refuse it
            problems.write(request, response, HttpStatus.PAYLOAD_TOO_LARGE, "Request too large",
                    "The JSON body has " + request.getContentLengthLong() + " bytes; at most " + JSON_MAX_BYTES
                            + " are accepted (send many leads as a CSV import); nothing was stored");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The most a JSON request body of /api may have: 1 MiB. */
    static final long JSON_MAX_BYTES = 1024 * 1024;

    private static boolean isJson(String contentType) {
        String type = contentType.toLowerCase(java.util.Locale.ROOT).split(";", 2)[0].strip();
        return type.equals("application/json") || type.endsWith("+json");
    }
}
