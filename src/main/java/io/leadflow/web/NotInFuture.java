package io.leadflow.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * A moment that has happened already, allowing for clocks that run a little apart: it may lie at
 * most {@link #toleranceSeconds()} after "now". {@code null} is valid. "Now" is the validator's
 * clock, which the application sets to the engine clock.
 */
@Documented
@Constraint(validatedBy = NotInFutureValidator.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface NotInFuture {

    String message() default "must not be more than 5 minutes in the future";

    long toleranceSeconds() default 300;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
