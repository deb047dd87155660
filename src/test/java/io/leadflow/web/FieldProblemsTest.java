package io.leadflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.validation.Validation;

import org.junit.jupiter.api.Test;

import io.leadflow.capture.LeadTextInput;
import io.leadflow.web.InvalidFieldsException.FieldProblem;

/** A web form's or a CSV row's field that several checks refuse is named once, with what to fix first. */
class FieldProblemsTest {

    final LeadTextInput input = new LeadTextInput(Validation.buildDefaultValidatorFactory().getValidator());

    @Test
    void aMissingEmailIsMissing_aLongOneTooLong_notAlsoNoAddress() {
        assertThat(problems(Map.of())).containsExactly(new FieldProblem("email", "must not be blank"));
        assertThat(problems(Map.of("email", "b".repeat(300) + "@example.com")))
                .containsExactly(new FieldProblem("email", "size must be between 0 and 254"));
        // a domain too long to store, the address short enough: the storage limit, not "no address" besides
        assertThat(problems(Map.of("email", "x@" + "a.".repeat(124) + "io"))).containsExactly(new FieldProblem("email",
                "is too long to store: at most 254 characters in lower case, the part after @ at most 200"));
        assertThat(problems(Map.of("email", "no-address"))).containsExactly(new FieldProblem("email", "must be a valid email address"));
    }

    @Test
    void everyBadFieldIsStillNamed_inOrderOfTheirNames() {
        Map<String, String> row = Map.of("email", "", "firstName", "", "lastName", "L".repeat(101), "company", "Co",
                "companySize", "10", "country", "Germany");

        assertThat(problems(row)).extracting(FieldProblem::field).containsExactly("country", "email", "firstName", "lastName");
    }

    private java.util.List<FieldProblem> problems(Map<String, String> fields) {
        Map<String, String> row = new java.util.HashMap<>(Map.of("firstName", "Ada", "lastName", "Lovelace", "company", "Engines",
                "companySize", "10", "country", "DE"));
        row.putAll(fields);
        LeadTextInput.Result result = input.read(row::get, "import");
        assertThat(result.valid()).isFalse();
        return result.problems();
    }
}
