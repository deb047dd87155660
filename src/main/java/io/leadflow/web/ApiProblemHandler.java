package io.leadflow.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.NonNull;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Errors of {@code /api/**} as RFC 9457 problem details. Validation errors list every bad field
 * with its reason under {@code errors}.
 */
@RestControllerAdvice(basePackages = "io.leadflow")
public class ApiProblemHandler extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(@NonNull MethodArgumentNotValidException ex,
            @NonNull HttpHeaders headers, @NonNull HttpStatusCode status, @NonNull WebRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        ex.getBindingResult().getFieldErrors().stream()
                .sorted(Comparator.comparing(FieldError::getField))
                .forEach(e -> errors.add(Map.of("field", e.getField(), "reason", String.valueOf(e.getDefaultMessage()))));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid lead data",
                errors.size() + " field(s) are invalid; nothing was stored");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(@NonNull HttpMessageNotReadableException ex,
            @NonNull HttpHeaders headers, @NonNull HttpStatusCode status, @NonNull WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Unreadable request body",
                "The body is not valid JSON of the expected shape; nothing was stored");
        if (ex.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> a + "." + b).orElse("");
            String reason = mismatch instanceof InvalidFormatException invalid
                    ? reasonForType(invalid.getTargetType())
                    : "has the wrong type";
            problem.setProperty("errors", List.of(Map.of("field", field, "reason", reason)));
        }
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(io.leadflow.capture.LeadCaptureService.IdempotencyKeyReusedException.class)
    public ResponseEntity<ProblemDetail> idempotencyKeyReused(RuntimeException ex) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency key reused", ex.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", "Idempotency-Key", "reason", "already used for a different lead")));
        return ResponseEntity.unprocessableEntity().body(problem);
    }

    @ExceptionHandler(jakarta.validation.ConstraintViolationException.class)
    public ResponseEntity<ProblemDetail> invalidParameter(jakarta.validation.ConstraintViolationException ex) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", "Nothing was stored");
        problem.setProperty("errors", ex.getConstraintViolations().stream()
                .map(v -> Map.of("field", v.getPropertyPath().toString().replaceFirst("^[^.]*\\.", ""), "reason", v.getMessage()))
                .toList());
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<ProblemDetail> badArgument(IllegalArgumentException ex) {
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Invalid request", ex.getMessage()));
    }

    @ExceptionHandler(InvalidFieldsException.class)
    public ResponseEntity<ProblemDetail> invalidFields(InvalidFieldsException ex) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ex.title(), ex.getMessage());
        problem.setProperty("errors", ex.errors().stream()
                .map(e -> Map.of("field", e.field(), "reason", e.reason()))
                .toList());
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(NotFoundException.class)
    public ResponseEntity<ProblemDetail> notFound(NotFoundException ex) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem(HttpStatus.NOT_FOUND, "Not found", ex.getMessage()));
    }

    private static String reasonForType(Class<?> type) {
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "must be an ISO-8601 date-time with offset, e.g. 2026-11-25T09:30:00Z";
        }
        return "must be of type " + type.getSimpleName();
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        return problem;
    }
}
