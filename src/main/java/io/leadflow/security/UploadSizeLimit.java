package io.leadflow.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * An upload that says it is larger than {@code spring.servlet.multipart.max-request-size} is answered
 * 413 before a byte of it is read or stored, so the client has the answer as soon as its headers are
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
        chain.doFilter(request, response);
    }
}
