package io.leadflow.web;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.validation.ConstraintViolation;

import org.springframework.validation.FieldError;

import io.leadflow.web.InvalidFieldsException.FieldProblem;

/**
 * One problem per field, the one to fix first: a field several checks refuse was named two or three
 * times ({@code ""} as email: "must be a valid email address" and "must not be blank"; 300
 * characters: too long twice and not an address). A missing value comes first, then a length, then
 * the rest; fields are sorted by name.
 */
public final class FieldProblems {

    private FieldProblems() {
    }

    /** The violations of Jakarta Validation, fields named by {@code field}. */
    public static List<FieldProblem> of(Collection<? extends ConstraintViolation<?>> violations,
                                        Function<ConstraintViolation<?>, String> field) {
        return firstPerField(violations, field, ConstraintViolation::getMessage,
                v -> v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName());
    }

    /** The violations of Jakarta Validation, each field named by its property path. */
    public static List<FieldProblem> of(Collection<? extends ConstraintViolation<?>> violations) {
        return of(violations, v -> v.getPropertyPath().toString());
    }

    /** Spring MVC's field errors (a constraint's error code is its annotation's simple name). */
    public static List<FieldProblem> ofFieldErrors(Collection<FieldError> errors) {
        return firstPerField(errors, FieldError::getField, e -> String.valueOf(e.getDefaultMessage()), FieldError::getCode);
    }

    /** How early a constraint's problem is named: missing, then length, then the rest. */
    static int rank(String constraint) {
        if (constraint == null) {
            return 3;
        }
        return switch (constraint) {
            case "NotNull", "NotBlank", "NotEmpty" -> 0;
            case "Size", "Length" -> 1;
            case "StorableEmail" -> 2;
            default -> 3;
        };
    }

    private static <E> List<FieldProblem> firstPerField(Collection<? extends E> errors, Function<? super E, String> field,
                                                       Function<? super E, String> message, Function<? super E, String> constraint) {
        Map<String, FieldProblem> first = new LinkedHashMap<>();
        errors.stream()
                .sorted(Comparator.comparing((E e) -> field.apply(e))
                        .thenComparingInt(e -> rank(constraint.apply(e)))
                        .thenComparing(e -> message.apply(e)))
                .forEach(e -> first.putIfAbsent(field.apply(e), new FieldProblem(field.apply(e), message.apply(e))));
        return List.copyOf(first.values());
    }
}
