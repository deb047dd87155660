package io.leadflow.web;

import java.net.URI;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.servlet.error.BasicErrorController;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorViewResolver;
import org.springframework.boot.web.servlet.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.ErrorResponse;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Spring Boot's {@code /error} page, which answers what escapes Spring MVC's exception handling:
 * an unknown path, a wrong method, an exception thrown in a filter (the servlet container logs it
 * with its stack trace and forwards here). For a request under {@code /api} the answer is an RFC
 * 9457 problem like every other API error; a 5xx gets a generic detail. Other paths (the Camunda
 * webapps, actuator) keep Spring Boot's answer.
 */
@Controller
public class ApiErrorController extends BasicErrorController {

    private static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    private static final TypeReference<Map<String, Object>> AS_MAP = new TypeReference<>() { };

    private final ErrorAttributes errorAttributes;
    private final ObjectMapper json;

    public ApiErrorController(ErrorAttributes errorAttributes, ServerProperties server,
                              ObjectProvider<ErrorViewResolver> errorViewResolvers, ObjectMapper json) {
        super(errorAttributes, server.getError(), errorViewResolvers.orderedStream().toList());
        this.errorAttributes = errorAttributes;
        this.json = json;
    }

    @Override
    public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        if (!isApi(request)) {
            return super.error(request);
        }
        ProblemDetail problem = problem(request);
        return ResponseEntity.status(problem.getStatus()).contentType(PROBLEM_JSON)
                .body(json.convertValue(problem, AS_MAP));
    }

    /** A browser asking for HTML still gets the problem under {@code /api}: the API has no pages. */
    @Override
    public ModelAndView errorHtml(HttpServletRequest request, HttpServletResponse response) {
        if (!isApi(request)) {
            return super.errorHtml(request, response);
        }
        ProblemDetail problem = problem(request);
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem detail is always writable as JSON", e);
        }
        View view = (model, req, res) -> {
            res.setContentType(PROBLEM_JSON.toString());
            res.getOutputStream().write(body);
        };
        ModelAndView answer = new ModelAndView(view);
        answer.setStatus(HttpStatus.valueOf(problem.getStatus()));
        return answer;
    }

    private ProblemDetail problem(HttpServletRequest request) {
        HttpStatus status = getStatus(request);
        Throwable error = errorAttributes.getError(new ServletWebRequest(request));
        String path = originalPath(request);
        String detail;
        if (status.is5xxServerError()) {
            detail = ApiProblemHandler.INTERNAL_ERROR_DETAIL;
        } else if (status == HttpStatus.NOT_FOUND && (error == null || error instanceof NoResourceFoundException)) {
            detail = "No endpoint " + request.getMethod() + " " + path;
        } else if (error instanceof ErrorResponse response && response.getBody().getDetail() != null) {
            detail = response.getBody().getDetail();  // Spring's own wording, written for clients
        } else {
            detail = null;
        }
        ProblemDetail problem = ApiProblemHandler.problem(status, null, detail);
        try {
            problem.setInstance(URI.create(path));
        } catch (IllegalArgumentException notAUri) {
            // the container let through a path that is no URI: the problem goes without instance
        }
        return problem;
    }

    private static boolean isApi(HttpServletRequest request) {
        String path = originalPath(request);
        return path.equals("/api") || path.startsWith("/api/");
    }

    /** The path the client asked for, without the context path. */
    private static String originalPath(HttpServletRequest request) {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? request.getRequestURI() : uri.toString();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && path.startsWith(context) ? path.substring(context.length()) : path;
    }
}
