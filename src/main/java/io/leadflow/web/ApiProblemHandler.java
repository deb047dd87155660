package io.leadflow.web;

import java.net.URI;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.NonNull;
import org.springframework.lang.Nullable;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;

import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Errors of {@code /api/**} raised in our controllers, as RFC 9457 problem details. Validation
 * errors list every bad field with its reason under {@code errors}; anything unexpected is a 500.
 * Errors raised before a controller is found (unknown path, wrong method) or outside Spring MVC
 * (a filter) reach {@link ApiErrorController} instead.
 */
@RestControllerAdvice(basePackages = "io.leadflow")
public class ApiProblemHandler extends ResponseEntityExceptionHandler {

    /** The detail of every 5xx: what the client may know, which is nothing about the cause. */
    static final String INTERNAL_ERROR_DETAIL = "The request failed on our side; the error is logged";

    static final int RETRY_AFTER_SECONDS = 2;
    static final int IMPORT_RETRY_AFTER_SECONDS = 60;

    private static final Logger log = LoggerFactory.getLogger(ApiProblemHandler.class);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(@NonNull MethodArgumentNotValidException ex,
            @NonNull HttpHeaders headers, @NonNull HttpStatusCode status, @NonNull WebRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        FieldProblems.ofFieldErrors(ex.getBindingResult().getFieldErrors())
                .forEach(e -> errors.add(Map.of("field", e.field(), "reason", e.reason())));
        // "lead data" only where the body is a lead: an engagement, a migration or an erasure is a request
        boolean lead = ex.getParameter().getParameterType() == io.leadflow.capture.LeadCaptureRequest.class;
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, lead ? "Invalid lead data" : "Invalid request",
                errors.size() + " field(s) are invalid; nothing was stored");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(@NonNull HttpMessageNotReadableException ex,
            @NonNull HttpHeaders headers, @NonNull HttpStatusCode status, @NonNull WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Unreadable request body",
                "The body is not valid JSON of the expected shape; nothing was stored");
        // a value of the wrong type (MismatchedInputException) or out of its type's range (a number
        // too large for companySize: InputCoercionException, wrapped with the field's path)
        if (ex.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> a + "." + b).orElse("");
            String reason = mapping.getCause() instanceof InputCoercionException ? "is a number out of range"
                    : mapping instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null
                    ? reasonForType(mismatched.getTargetType()) : "has the wrong type";
            problem.setProperty("errors", List.of(Map.of("field", field, "reason", reason)));
        }
        return ResponseEntity.badRequest().body(problem);
    }

    /**
     * A query or path parameter that is not of its type ({@code limit=abc}, {@code since=yesterday}):
     * 400 naming the parameter, as Bean Validation's refusals do.
     */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(@NonNull TypeMismatchException ex, @NonNull HttpHeaders headers,
            @NonNull HttpStatusCode status, @NonNull WebRequest request) {
        String field = ex instanceof MethodArgumentTypeMismatchException argument ? argument.getName() : ex.getPropertyName();
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", "1 parameter(s) are invalid; nothing was stored");
        problem.setProperty("errors", List.of(Map.of("field", String.valueOf(field), "reason",
                ex.getRequiredType() == null ? "has the wrong type" : reasonForType(ex.getRequiredType()))));
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    @ExceptionHandler(io.leadflow.capture.LeadCaptureService.IdempotencyKeyReusedException.class)
    public ResponseEntity<ProblemDetail> idempotencyKeyReused(RuntimeException ex) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency key reused", ex.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", "Idempotency-Key", "reason", "already used for a different lead")));
        return ResponseEntity.unprocessableEntity().body(problem);
    }

    /**
     * A migration whose lifecycle plan is not valid: the versions exist, but the request cannot be
     * carried out, so 422 naming each problem of the plan (the dry run lists them too); nothing was migrated.
     */
    @ExceptionHandler(io.leadflow.modeling.LeadMigrations.InvalidPlanException.class)
    public ResponseEntity<ProblemDetail> invalidMigrationPlan(io.leadflow.modeling.LeadMigrations.InvalidPlanException ex) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_ENTITY, "Migration plan not valid", ex.getMessage());
        problem.setProperty("errors", ex.plan().planProblems().stream()
                .map(reason -> Map.of("field", "targetVersion", "reason", reason))
                .toList());
        problem.setProperty("planProblems", ex.plan().planProblems());
        return ResponseEntity.unprocessableEntity().body(problem);
    }

    @ExceptionHandler(jakarta.validation.ConstraintViolationException.class)
    public ResponseEntity<ProblemDetail> invalidParameter(jakarta.validation.ConstraintViolationException ex) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", "Nothing was stored");
        problem.setProperty("errors", FieldProblems.of(ex.getConstraintViolations(), ApiProblemHandler::fieldName).stream()
                .map(e -> Map.of("field", e.field(), "reason", e.reason()))
                .toList());
        return ResponseEntity.badRequest().body(problem);
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

    /**
     * A race lost more often than the bounded retries allow, or the database out of reach: not the
     * client's fault and not a bug, so 503 with {@code Retry-After}; the client sends the same request
     * again (with its Idempotency-Key, where it has one). Logged at WARN, without the SQL.
     */
    @ExceptionHandler({ OptimisticLockingException.class, TransientDataAccessException.class,
            DataAccessResourceFailureException.class })
    public ResponseEntity<ProblemDetail> busy(Exception ex, WebRequest request) {
        log.warn("{} answered 503: {}", describe(request), ex.getClass().getSimpleName());
        // a race lost rolls back; a connection lost may have been lost after the commit took effect,
        // so there the answer cannot promise nothing was stored (a repeat with the same Idempotency-Key
        // or of the same lead changes nothing: the database decides)
        String detail = databaseOutOfReach(ex)
                ? (poolExhausted(ex) ? "Every database connection of this node was busy (none came within the pool's wait)"
                        : "The database was out of reach") + "; the request may not have been stored. Send it again after " + RETRY_AFTER_SECONDS
                        + " s (a capture with the same Idempotency-Key, or of the same email, makes no second lead)"
                : "The request met concurrent work on the same lead; nothing was stored. Send it again after " + RETRY_AFTER_SECONDS + " s";
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Busy, try again", detail));
    }

    /** A rate limit reached (the web-form webhook's): 429 with {@code Retry-After}. */
    @ExceptionHandler(TooManyRequestsException.class)
    public ResponseEntity<ProblemDetail> tooManyRequests(TooManyRequestsException ex) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(ex.retryAfterSeconds()))
                .body(problem(HttpStatus.TOO_MANY_REQUESTS, "Rate limit reached", ex.getMessage()));
    }

    /** Every import worker busy and the import queue full: 503 with {@code Retry-After}; upload the file again later. */
    @ExceptionHandler(io.leadflow.capture.LeadImports.ImportQueueFullException.class)
    public ResponseEntity<ProblemDetail> importQueueFull(RuntimeException ex) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(IMPORT_RETRY_AFTER_SECONDS))
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Import queue full",
                        ex.getMessage() + ". Upload the file again after " + IMPORT_RETRY_AFTER_SECONDS + " s"));
    }

    /**
     * Parameters checked by Bean Validation on the handler method ({@code @Max} on a
     * {@code @RequestParam}, say): 400 naming each parameter as the client sent it.
     */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(@NonNull HandlerMethodValidationException ex,
            @NonNull HttpHeaders headers, @NonNull HttpStatusCode status, @NonNull WebRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (ParameterValidationResult result : ex.getParameterValidationResults()) {
            String field = parameterName(result.getMethodParameter());
            result.getResolvableErrors().forEach(error ->
                    errors.add(Map.of("field", field, "reason", String.valueOf(error.getDefaultMessage()))));
        }
        errors.sort(Comparator.comparing(e -> String.valueOf(e.get("field"))));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request",
                errors.size() + " parameter(s) are invalid; nothing was stored");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    /**
     * Anything else is a failure of ours, not of the client: 500, logged once here with its stack
     * trace, answered with a detail that tells nothing about our internals (no exception text, no
     * SQL). {@link IllegalArgumentException} included: client input is checked by Bean Validation
     * before it reaches our code, so an illegal argument inside is our bug.
     */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
        if (DisconnectedClientHelper.isClientDisconnectedException(ex)) {
            return null;
        }
        if (databaseOutOfReach(ex)) {
            ResponseEntity<ProblemDetail> busy = busy(ex, request);
            return ResponseEntity.status(busy.getStatusCode()).headers(busy.getHeaders()).body(busy.getBody());
        }
        return handleExceptionInternal(ex, null, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    /** Every answer of this handler; a 5xx is logged and its detail replaced by a generic one. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(@NonNull Exception ex, @Nullable Object body,
            @NonNull HttpHeaders headers, @NonNull HttpStatusCode statusCode, @NonNull WebRequest request) {
        if (statusCode.is5xxServerError()) {
            log.error("{} failed with {}", describe(request), statusCode.value(), ex);
            HttpStatus status = HttpStatus.resolve(statusCode.value());
            body = problem(status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status, null, INTERNAL_ERROR_DETAIL);
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    /**
     * The database out of reach, however it is wrapped: no connection within Hikari's timeout
     * ({@code CannotCreateTransactionException}, or the engine's {@code ProcessEngineException} around
     * MyBatis' {@code PersistenceException}), or a connection broken by a restarting server (SQL
     * states 08… connection exception, 57P… operator intervention; the rollback that follows on that
     * connection fails too, and Spring reports the rollback's failure with the first one inside), or
     * a connection broken at the commit (Spring then tries to roll back on a connection the pool has
     * already closed and reports only the rollback's plain {@code SQLException}: a commit or rollback
     * that fails in JDBC is a broken connection).
     */
    /**
     * No connection within the pool's wait while the database answers (Hikari's "Connection is not
     * available, request timed out"): the node's pool is too small for its load, not a database outage,
     * and an operator reading the answer looks at the pool.
     */
    static boolean poolExhausted(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException && cause.getMessage() != null
                    && cause.getMessage().contains("Connection is not available")) {
                return true;
            }
        }
        return false;
    }

    static boolean databaseOutOfReach(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (cause instanceof TransactionSystemException rollback && rollback.getOriginalException() != null
                    && databaseOutOfReach(rollback.getOriginalException())) {
                return true; // the rollback failed on the broken connection after the statement did
            }
            if (cause instanceof TransactionSystemException commitOrRollback && commitOrRollback.getCause() instanceof SQLException) {
                return true; // the commit failed on a broken connection, and the rollback that followed too
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static String describe(WebRequest request) {
        return request instanceof ServletWebRequest servlet
                ? servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI()
                : request.getDescription(false);
    }

    /**
     * The field a violation of {@code @Validated} method validation names, as the client sent it: a
     * header or query parameter by its HTTP name ({@code Idempotency-Key}, not the Java parameter
     * {@code idempotencyKey}), anything else by its path without the method's name.
     */
    private static String fieldName(jakarta.validation.ConstraintViolation<?> violation) {
        String method = null;
        for (jakarta.validation.Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == jakarta.validation.ElementKind.METHOD) {
                method = node.getName();
            } else if (node.getKind() == jakarta.validation.ElementKind.PARAMETER && method != null) {
                int index = node.as(jakarta.validation.Path.ParameterNode.class).getParameterIndex();
                for (java.lang.reflect.Method candidate : violation.getRootBeanClass().getMethods()) {
                    if (candidate.getName().equals(method) && candidate.getParameterCount() > index) {
                        MethodParameter parameter = new MethodParameter(candidate, index);
                        if (parameter.hasParameterAnnotation(RequestHeader.class) || parameter.hasParameterAnnotation(RequestParam.class)
                                || parameter.hasParameterAnnotation(PathVariable.class)) {
                            return parameterName(parameter);
                        }
                    }
                }
            }
        }
        return violation.getPropertyPath().toString().replaceFirst("^[^.]*\\.", "");
    }

    private static String parameterName(MethodParameter parameter) {
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
        PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
        String declared = param != null ? firstNonEmpty(param.name(), param.value())
                : header != null ? firstNonEmpty(header.name(), header.value())
                : path != null ? firstNonEmpty(path.name(), path.value())
                : "";
        return declared.isEmpty() ? String.valueOf(parameter.getParameterName()) : declared;
    }

    private static String firstNonEmpty(String name, String value) {
        return name.isEmpty() ? value : name;
    }

    private static String reasonForType(Class<?> type) {
        if (type == java.time.LocalDate.class) {
            return "must be a date, e.g. 2026-11-25";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "must be an ISO-8601 date-time with offset, e.g. 2026-11-25T09:30:00Z";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "must be a whole number"; // as the CSV import and the web forms say
        }
        if (type == boolean.class || type == Boolean.class) {
            return "must be true or false";
        }
        if (type == String.class) {
            return "must be text (in quotes)";
        }

        return "must be of type " + type.getSimpleName();
    }

    /** A problem of type about:blank; a null title is the status's reason phrase. */
    static ProblemDetail problem(HttpStatus status, @Nullable String title, @Nullable String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title == null ? status.getReasonPhrase() : title);
        problem.setType(URI.create("about:blank"));
        return problem;
    }
}
