package io.leadflow.capture;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.lead.Lead;
import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadNumbers;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.lead.NewLead;
import io.leadflow.web.FieldProblems;

/**
 * "Register lead": a lead captured through the API already has its record; a lead entered in the
 * Tasklist start form gets it here, validated by the same rules as the API and deduplicated by
 * email. A known email attaches to the existing lead and ends this instance. Either way the lead's
 * number becomes the instance's business key and variable {@code leadNumber}.
 */
@Component("registerLeadDelegate")
public class RegisterLeadDelegate implements JavaDelegate {

    private final LeadRepository leads;
    private final LeadRegistration registration;
    private final Validator validator;

    public RegisterLeadDelegate(LeadRepository leads, LeadRegistration registration, Validator validator) {
        this.leads = leads;
        this.registration = registration;
        this.validator = validator;
    }

    @Override
    public void execute(DelegateExecution execution) {
        // a lead the app started this process for (capture, revival) comes with its number as business key
        String leadId = LeadContext.text(execution, LeadVariables.LEAD_ID);
        Lead given = leadId == null ? null : LeadContext.lead(execution, leads)
                .orElseThrow(() -> new IllegalStateException("No lead with id " + leadId));
        execution.setVariable(LeadVariables.DUPLICATE_OF_LEAD_ID, null);
        if (leadId == null) {
            NewLead lead = validatedFormInput(execution);
            LeadRegistration.Match match = registration.match(lead, "Tasklist");
            if (match.suppressed()) {
                throw new InvalidLeadException("this contact asked not to be contacted");
            }
            Optional<String> existing = match.knownLeadId();
            if (existing.isPresent()) {
                execution.setVariable(LeadVariables.DUPLICATE_OF_LEAD_ID, existing.get());
                // an entry of that lead: the erasure of the lead finds it and its history, which holds the form's
                // contact data, but it is none of the lead's processes (a model that went on from here with the
                // lead's id would otherwise have worked on the lead of any email it was given)
                String number = leads.get(existing.get()).number();
                execution.setVariable(LeadVariables.LEAD_NUMBER, number);
                execution.setProcessBusinessKey(LeadNumbers.entryKey(number));
                return;
            }
            LeadRegistration.Registered registered = registration.register(lead);
            execution.setVariable(LeadVariables.LEAD_ID, registered.leadId());
            given = leads.get(registered.leadId());
        }
        Lead lead = given;
        // the instance exists before the lead's row when the lead is entered in Tasklist; a lead captured
        // through the API comes with both already
        LeadNumbers.adopt(execution, lead.number());
        if (lead.doNotContact()) {
            // a revival that raced a do-not-contact request: no new lifecycle, the caller's transaction rolls back
            throw new IllegalStateException("Lead " + lead.id() + " asked not to be contacted; no new lifecycle starts");
        }
        // no contact data into the process here: the lead's first user task copies it from the record
        // (LeadTaskListener), so a lead that waits in nurture keeps its personal data in the record only
        execution.setVariable(LeadVariables.RECYCLE_COUNT, lead.recycleCount()); // a revived lead keeps its count
    }

    private NewLead validatedFormInput(DelegateExecution execution) {
        LeadCaptureRequest request = new LeadCaptureRequest(
                LeadContext.text(execution, LeadVariables.EMAIL),
                LeadContext.text(execution, LeadVariables.FIRST_NAME),
                LeadContext.text(execution, LeadVariables.LAST_NAME),
                LeadContext.text(execution, LeadVariables.PHONE),
                LeadContext.text(execution, LeadVariables.COMPANY_NAME),
                LeadContext.text(execution, LeadVariables.JOB_TITLE),
                LeadContext.text(execution, LeadVariables.ROLE),
                LeadContext.text(execution, LeadVariables.INDUSTRY),
                LeadContext.integer(execution, LeadVariables.COMPANY_SIZE),
                LeadContext.text(execution, LeadVariables.COUNTRY),
                Optional.ofNullable(LeadContext.text(execution, LeadVariables.SOURCE)).orElse("manual"),
                LeadContext.text(execution, LeadVariables.CAMPAIGN));
        Set<ConstraintViolation<LeadCaptureRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new InvalidLeadException(FieldProblems.of(violations).stream()
                    .map(problem -> problem.field() + " " + problem.reason())
                    .collect(Collectors.joining("; ")));
        }
        return request.toNewLead();
    }

    /** The start form was submitted with data the agreement does not accept; nothing is stored. */
    public static class InvalidLeadException extends org.camunda.bpm.engine.BadUserRequestException {
        public InvalidLeadException(String message) {
            super("The lead was not captured: " + message);
        }
    }
}
