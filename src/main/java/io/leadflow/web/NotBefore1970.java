package io.leadflow.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.time.OffsetDateTime;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A moment of the lead's history, so not before 1970: earlier ones are typing errors (year 1 for
 * 2026), and the oldest ones PostgreSQL cannot store at all (before 4713 BC), which would answer 500
 * instead of naming the field. {@code null} is valid.
 */
@Documented
@Constraint(validatedBy = NotBefore1970.Validator.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface NotBefore1970 {

    String message() default "must not be before 1970";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<NotBefore1970, OffsetDateTime> {
        @Override
        public boolean isValid(OffsetDateTime value, ConstraintValidatorContext context) {
            return value == null || !value.toInstant().isBefore(Instant.EPOCH);
        }
    }
}
