package io.leadflow.lead;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;
import java.util.Set;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A two-letter code that is an ISO 3166-1 alpha-2 country ({@link Locale#getISOCountries()}), in
 * either case: "DE" and "de" pass, "ZZ" does not. Other shapes ("Germany") are left to a
 * {@code @Pattern} next to it, so each mistake is named once. The forms offer the same list.
 */
@Documented
@Constraint(validatedBy = IsoCountry.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface IsoCountry {

    String message() default "is not an ISO 3166 country code (two letters such as DE, FR or US)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Codes {
        static final Set<String> ALL = Set.of(Locale.getISOCountries());

        private Codes() {
        }

        /** True for a known code in either case, and for anything that is not two letters (another check names that). */
        public static boolean known(String value) {
            return value == null || !value.matches("^[A-Za-z]{2}$") || ALL.contains(value.toUpperCase(Locale.ROOT));
        }
    }

    class Validator implements ConstraintValidator<IsoCountry, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return Codes.known(value);
        }
    }
}
