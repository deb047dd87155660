package io.leadflow.web;

import java.io.IOException;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.DefaultCorsProcessor;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Spring's CORS checks, with the refusal (a page on an origin the form does not allow) answered as
 * the problem every other {@code /api} error is: {@code 403 application/problem+json}, instead of
 * Spring's plain text "Invalid CORS request" without a content type.
 */
public class ProblemCorsProcessor extends DefaultCorsProcessor {

    static final String DETAIL = "This endpoint does not take requests from the page's origin (Origin header); nothing was stored";

    private final ObjectMapper json;

    public ProblemCorsProcessor(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void rejectRequest(ServerHttpResponse response) throws IOException {
        ProblemDetail problem = ApiProblemHandler.problem(HttpStatus.FORBIDDEN, null, DETAIL);
        response.setStatusCode(HttpStatus.FORBIDDEN);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getBody().write(json.writeValueAsBytes(problem));
        response.flush();
    }
}
