package io.leadflow.web;

import java.time.Instant;
import java.time.OffsetDateTime;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link NotInFuture} against the validator's clock. */
public class NotInFutureValidator implements ConstraintValidator<NotInFuture, OffsetDateTime> {

    private long toleranceSeconds;

    @Override
    public void initialize(NotInFuture annotation) {
        toleranceSeconds = annotation.toleranceSeconds();
    }

    @Override
    public boolean isValid(OffsetDateTime value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        Instant latest = context.getClockProvider().getClock().instant().plusSeconds(toleranceSeconds);
        return !value.toInstant().isAfter(latest);
    }
}
