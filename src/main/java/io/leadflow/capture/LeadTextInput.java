package io.leadflow.capture;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.stereotype.Component;

import io.leadflow.lead.NewLead;
import io.leadflow.web.FieldProblems;
import io.leadflow.web.InvalidFieldsException.FieldProblem;

/**
 * A lead given as plain text fields (a web form, a CSV row), read into a {@link LeadCaptureRequest}
 * and validated by exactly the rules of the JSON capture. Blank text counts as not given.
 */
@Component
public class LeadTextInput {

    /** Our field names, as in {@link LeadCaptureRequest}; {@code source} is set by the channel. */
    public static final List<String> FIELDS = List.of("email", "firstName", "lastName", "phone", "company", "jobTitle",
            "role", "industry", "companySize", "country", "campaign");

    /** Fields a lead cannot be captured without. */
    public static final List<String> REQUIRED_FIELDS = List.of("email", "firstName", "lastName", "company",
            "companySize", "country");

    static final String COMPANY_SIZE = "companySize";

    private final Validator validator;

    public LeadTextInput(Validator validator) {
        this.validator = validator;
    }

    /**
     * @param field  the text given for one of our {@link #FIELDS}, or {@code null}
     * @param source the channel the lead came through ({@code webForm}, {@code import})
     * @return the lead, or the problems with our field names, sorted by field
     */
    public Result read(Function<String, String> field, String source) {
        List<FieldProblem> problems = new ArrayList<>();
        Integer companySize = null;
        String size = text(field, COMPANY_SIZE);
        if (size != null) {
            try {
                companySize = Integer.valueOf(size);
            } catch (NumberFormatException e) {
                // digits beyond an int are a number too large, as the JSON API says it, not "no whole number"
                problems.add(new FieldProblem(COMPANY_SIZE, size.strip().matches("[+-]?\\d+")
                        ? "must be at most " + String.format(java.util.Locale.ROOT, "%,d", LeadCaptureRequest.MAX_COMPANY_SIZE)
                        : "must be a whole number"));
            }
        }
        LeadCaptureRequest request = new LeadCaptureRequest(text(field, "email"), text(field, "firstName"),
                text(field, "lastName"), text(field, "phone"), text(field, "company"), text(field, "jobTitle"),
                text(field, "role"), text(field, "industry"), companySize, text(field, "country"), source,
                text(field, "campaign"));
        boolean sizeUnreadable = !problems.isEmpty();
        Set<ConstraintViolation<LeadCaptureRequest>> violations = validator.validate(request);
        for (FieldProblem problem : FieldProblems.of(violations)) {
            if (!(sizeUnreadable && COMPANY_SIZE.equals(problem.field()))) {
                problems.add(problem);
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::reason));
            return new Result(null, problems);
        }
        return new Result(request.toNewLead(), List.of());
    }

    private static String text(Function<String, String> field, String name) {
        String value = field.apply(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Either a lead ready to capture, or why not. */
    public record Result(NewLead lead, List<FieldProblem> problems) {

        public boolean valid() {
            return lead != null;
        }
    }
}
