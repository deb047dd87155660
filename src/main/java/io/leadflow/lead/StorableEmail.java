package io.leadflow.lead;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * An address the lead record can store as it is compared: normalized (lower case, which makes some
 * letters longer, "İ" two characters) at most {@value #MAX_NORMALIZED} characters, and its domain at
 * most {@value #MAX_DOMAIN} (the company domain a suspected duplicate is found by). An address
 * {@code @Email} accepts can be longer in both, and its capture failed in the database with a 500.
 * Anything that is not an address is left to the checks next to it, so each mistake is named once.
 */
@Documented
@Constraint(validatedBy = StorableEmail.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface StorableEmail {

    /** Column lead.email_normalized. */
    int MAX_NORMALIZED = 254;
    /** Column lead.company_domain. */
    int MAX_DOMAIN = 200;

    String message() default "is too long to store: at most 254 characters in lower case, the part after @ at most 200";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<StorableEmail, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String normalized = EmailAddresses.normalize(value);
            String domain = EmailAddresses.domainOf(value);
            return normalized == null || normalized.length() <= MAX_NORMALIZED && (domain == null || domain.length() <= MAX_DOMAIN);
        }
    }
}
